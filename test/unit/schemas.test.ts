import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { BoundaryError, baseName, describeIssues, exportKey, parseAt, sha256Hex } from '../../src/schemas.ts'

describe('boundary schemas', () => {
  it('takes export keys of word characters and dashes, 1 to 128 long', () => {
    for (const key of ['p0001', 'a-b_C9', 'x'.repeat(128)]) assert.equal(exportKey.parse(key), key)
    for (const key of ['', 'x'.repeat(129), 'p0001`x`', 'a b', 'a/b', 'ключ', 'a\nb']) assert.equal(exportKey.safeParse(key).success, false, key)
  })

  it('takes plain file names only', () => {
    for (const name of ['video.mp4', 'a..b.mp4', '.hidden', 'x'.repeat(255)]) assert.equal(baseName.parse(name), name)
    for (const name of ['', '.', '..', 'a/b', 'a\\b', '../x', 'a\u0000b', 'a\u001bb', 'a\nb', 'clip\u202egpj.mp4', 'x'.repeat(256)])
      assert.equal(baseName.safeParse(name).success, false, JSON.stringify(name))
  })

  it('takes a SHA-256 digest as 64 lowercase hex digits', () => {
    assert.equal(sha256Hex.parse('a'.repeat(64)), 'a'.repeat(64))
    for (const digest of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)]) assert.equal(sha256Hex.safeParse(digest).success, false)
  })

  it('names the boundary and the path of each issue, at most three, counting the rest', () => {
    const record = z.object({ a: exportKey, b: exportKey, c: exportKey, d: exportKey })
    assert.throws(
      () => parseAt(record, { a: '!', b: '!', c: '!', d: '!' }, 'the reuse record of run 7'),
      (error: unknown) =>
        error instanceof BoundaryError &&
        error.boundary === 'the reuse record of run 7' &&
        error.message ===
          "the reuse record of run 7: a: is not an export key (letters, digits, '-' and '_'); b: is not an export key (letters, digits, '-' and '_'); c: is not an export key (letters, digits, '-' and '_') (and 1 more)"
    )
    assert.deepEqual(parseAt(record.pick({ a: true }), { a: 'k1', extra: 1 }, 'x'), { a: 'k1' })
  })

  it('shows the whole value as the path of a top-level issue, and control characters in a key escaped', () => {
    const issues = z.record(z.string(), z.number()).safeParse({ 'a\u001b[31m': 'x' }).error?.issues ?? []
    assert.equal(describeIssues(issues), 'a?[31m: Invalid input: expected number, received string')
    assert.match(describeIssues(exportKey.safeParse(1).error?.issues ?? []), /^\(the value\): /)
  })
})
