import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_MANIFEST_VIDEOS } from '../../src/job/manifest.ts'
import { MAX_MATRIX_JOBS, shardVideos } from '../../src/job/plan.ts'
import { OUTPUT_LIMIT_BYTES, boundVideosJson, cut, takeWithin, utf8Bytes } from '../../src/report/bounds.ts'

describe('takeWithin', () => {
  it('takes items in order while both the count and the byte budget allow', () => {
    assert.deepEqual(
      takeWithin([3, 3, 3, 3], (n) => n, 10, 10),
      { taken: [3, 3, 3], omitted: 1, bytes: 9 }
    )
    assert.deepEqual(
      takeWithin([1, 1, 1, 1], (n) => n, 10, 2),
      { taken: [1, 1], omitted: 2, bytes: 2 }
    )
    assert.deepEqual(
      takeWithin([20, 1], (n) => n, 10, 10),
      { taken: [], omitted: 2, bytes: 0 }
    )
  })
})

describe('cut', () => {
  it('keeps a short text whole and says how much of a long one was cut', () => {
    assert.equal(cut('short', 10), 'short')
    assert.equal(cut('a'.repeat(15), 10), `${'a'.repeat(10)}… (5 more characters)`)
  })
})

describe('boundVideosJson', () => {
  const entry = (i: number): Record<string, unknown> => ({
    name: `video-${i}`,
    status: 'downloaded',
    'export-key': `key${i}`,
    url: `https://cdn.example/${'u'.repeat(300)}`,
    error: `e${'r'.repeat(100)}`,
    size: 10
  })

  it('leaves entries that fit as they are', () => {
    const entries = [entry(1), entry(2)]
    assert.deepEqual(boundVideosJson(entries), { json: JSON.stringify(entries), dropped: [], omitted: 0 })
  })

  it('empties the field taking the most room first, then the next, until it fits', () => {
    const entries = Array.from({ length: 100 }, (_, i) => entry(i))
    const full = utf8Bytes(JSON.stringify(entries))
    const withoutUrl = boundVideosJson(entries, full - 1000)
    assert.deepEqual(withoutUrl.dropped, ['url'])
    const parsed = JSON.parse(withoutUrl.json) as Array<Record<string, unknown>>
    assert.equal(parsed.length, 100)
    assert.equal(parsed[0].url, null)
    assert.equal(parsed[0].error, entries[0].error)
    assert.ok(utf8Bytes(withoutUrl.json) <= full - 1000)
    assert.deepEqual(boundVideosJson(entries, 10_000).dropped, ['url', 'error'])
  })

  it('never drops name, status or export key; leaves out the last entries only as a last resort', () => {
    const entries = Array.from({ length: 100 }, (_, i) => entry(i))
    const { json, omitted } = boundVideosJson(entries, 2000)
    const parsed = JSON.parse(json) as Array<Record<string, unknown>>
    assert.ok(utf8Bytes(json) <= 2000)
    assert.equal(parsed.length + omitted, 100)
    assert.deepEqual(parsed[0], { name: 'video-0', status: 'downloaded', 'export-key': 'key0', url: null, error: null, size: null })
  })
})

describe("a plan's matrix output", () => {
  it('stays under 1 MiB for the largest manifest: MAX_MANIFEST_VIDEOS names of 80 characters, in any number of jobs', () => {
    const names = Array.from({ length: MAX_MANIFEST_VIDEOS }, (_, index) => `${index}-`.padEnd(80, 'n'))
    for (const jobs of [1, 2, MAX_MATRIX_JOBS]) {
      assert.ok(utf8Bytes(JSON.stringify({ include: shardVideos(names, jobs) })) < OUTPUT_LIMIT_BYTES, `${jobs} job(s)`)
    }
  })
})
