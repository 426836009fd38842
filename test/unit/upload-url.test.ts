import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uploadUrlAllowed } from '../../src/deliver/release.ts'

describe('uploadUrlAllowed', () => {
  const allowed = (upload: string, api: string): boolean => uploadUrlAllowed(new URL(upload), api)

  it("takes GitHub's upload host for api.github.com, and the API's own origin elsewhere", () => {
    assert.ok(allowed('https://uploads.github.com/repos/o/r/releases/1/assets', 'https://api.github.com'))
    assert.ok(allowed('https://ghes.example.com/api/uploads/repos/o/r/releases/1/assets', 'https://ghes.example.com/api/v3'))
    assert.ok(allowed('http://127.0.0.1:4000/uploads/repos/o/r/releases/1/assets', 'http://127.0.0.1:4000'))
  })

  it('refuses any other host, scheme or port, and a URL carrying credentials', () => {
    assert.ok(!allowed('https://evil.example/upload', 'https://api.github.com'))
    assert.ok(!allowed('http://uploads.github.com/repos/o/r/releases/1/assets', 'https://api.github.com'))
    assert.ok(!allowed('https://uploads.github.com/x', 'https://ghes.example.com/api/v3'))
    assert.ok(!allowed('http://127.0.0.1:4001/uploads', 'http://127.0.0.1:4000'))
    assert.ok(!allowed('https://user:pass@uploads.github.com/x', 'https://api.github.com'))
    assert.ok(!allowed('https://uploads.github.com.evil.example/x', 'https://api.github.com'))
  })
})
