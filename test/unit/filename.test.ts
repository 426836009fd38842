import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { videoFileName } from '../../src/video/filename.ts'

describe('videoFileName', () => {
  const cases: Array<[string, string]> = [
    ['https://cdn.example.com/videos/k/weekly.mp4?Signature=abc', 'weekly.mp4'],
    ['https://cdn.example.com/videos/%EC%A3%BC%EA%B0%84.mp4', '주간.mp4'],
    ['https://cdn.example.com/videos/..%2F..%2Fetc%2Fpasswd', '_._etc_passwd.mp4'],
    ['https://cdn.example.com/videos/a%5Cb%3Ac.mp4', 'a_b_c.mp4'],
    ['https://cdn.example.com/videos/evil%0Aname.mp4', 'evilname.mp4'],
    ['https://cdn.example.com/videos/..', 'fallback-key.mp4'],
    ['https://cdn.example.com/', 'fallback-key.mp4'],
    ['https://cdn.example.com/videos/noext', 'noext.mp4'],
    ['https://cdn.example.com/videos/bad%E0%A4%A.mp4', 'bad%E0%A4%A.mp4'],
    ['not a url', 'fallback-key.mp4'],
    ['https://cdn.example.com/videos/clip%E2%80%AE4pm.exe', 'clip4pm.exe.mp4'],
    ['https://cdn.example.com/videos/index.html', 'index.html.mp4'],
    ['https://cdn.example.com/videos/WEEKLY.MP4', 'WEEKLY.MP4']
  ]
  for (const [url, expected] of cases) {
    it(`${url} → ${expected}`, () => assert.equal(videoFileName(url, 'fallback-key'), expected))
  }

  it('bounds the length and keeps the extension', () => {
    const name = videoFileName(`https://cdn.example.com/${'a'.repeat(300)}.mp4`, 'k')
    assert.equal(name.length, 120)
    assert.ok(name.endsWith('.mp4'))
  })

  it('never yields a path separator or ..', () => {
    for (const segment of ['%2E%2E', '%2F', 'a%2F..%2Fb', '....mp4', '%00.mp4']) {
      const name = videoFileName(`https://cdn.example.com/${segment}`, 'k')
      assert.ok(!name.includes('/') && !name.includes('\\') && !name.includes('..') && name !== '', `${segment} → ${name}`)
    }
  })
})
