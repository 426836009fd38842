import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  MAX_SUMMARY_BODY_CHARS,
  OUTPUT_LIMIT_BYTES,
  SUMMARY_BUDGET_BYTES,
  SUMMARY_LIMIT_BYTES,
  VIDEOS_OUTPUT_BUDGET_BYTES,
  boundVideosJson,
  cut,
  takeWithin,
  utf8Bytes
} from '../../src/report/bounds.ts'

// GitHub's limits on what a step writes (a job summary and a step output: 1 MiB each) and the pure
// ways to stay under them (bounds.ts): exactly at a bound is within it.

describe("GitHub's limits", () => {
  it('are 1 MiB for a summary and an output, with room left under each', () => {
    assert.equal(SUMMARY_LIMIT_BYTES, 1_048_576)
    assert.equal(OUTPUT_LIMIT_BYTES, 1_048_576)
    assert.equal(SUMMARY_BUDGET_BYTES, 1_048_576 - 65_536)
    assert.equal(VIDEOS_OUTPUT_BUDGET_BYTES, 1_048_576 - 16_384)
    assert.equal(MAX_SUMMARY_BODY_CHARS, 32_768)
  })
})

describe('utf8Bytes and cut', () => {
  it('counts bytes as UTF-8 writes them', () => {
    assert.equal(utf8Bytes('aé제😀'), 1 + 2 + 3 + 4)
  })

  it('keeps a text of exactly the maximum whole', () => {
    assert.equal(cut('abcd', 4), 'abcd')
    assert.equal(cut('abcde', 4), 'abcd… (1 more characters)')
  })
})

describe('takeWithin', () => {
  it('takes an item that fills the budget exactly', () => {
    assert.deepEqual(
      takeWithin([3, 2, 1], (n) => n, 5, 10),
      { taken: [3, 2], omitted: 1, bytes: 5 }
    )
  })
})

describe('boundVideosJson', () => {
  const entry = (name: string, url: string, error: string | null = null) => ({ name, status: 'downloaded', 'export-key': 'k', url, error })

  it('leaves JSON of exactly the budget as it is', () => {
    const entries = [entry('a', 'https://x/1')]
    const size = utf8Bytes(JSON.stringify(entries))
    assert.deepEqual(boundVideosJson(entries, size), { json: JSON.stringify(entries), dropped: [], omitted: 0 })
  })

  it("empties the field taking the most room across all entries, counting every entry's bytes", () => {
    // url is longer in each entry, error longer in one: across the entries, url takes more.
    const entries = [entry('a', 'u'.repeat(30), 'e'.repeat(40)), entry('b', 'u'.repeat(30)), entry('c', 'u'.repeat(30))]
    const withoutUrl = entries.map((each) => ({ ...each, url: null }))
    const result = boundVideosJson(entries, utf8Bytes(JSON.stringify(withoutUrl)))
    assert.deepEqual(result.dropped, ['url'])
    assert.equal(result.json, JSON.stringify(withoutUrl))
    assert.equal(result.omitted, 0)
  })

  it('counts a field by its UTF-8 bytes, not its characters', () => {
    const entries = [entry('a', 'u'.repeat(12), '😀'.repeat(4))]
    const result = boundVideosJson(entries, utf8Bytes(JSON.stringify([{ ...entries[0], error: null }])))
    assert.deepEqual(result.dropped, ['error'])
  })

  it('leaves out the last entries only when emptying every field is not enough, staying within the budget', () => {
    const bare = (name: string) => ({ name, status: 'failed', 'export-key': null, url: null })
    const entries = [bare('aaaa'), bare('bbbb'), bare('cccc')]
    const two = JSON.stringify(entries.slice(0, 2))
    // Each entry is counted with a comma after it: one byte to spare.
    const result = boundVideosJson(entries, utf8Bytes(two) + 1)
    assert.deepEqual(result, { json: two, dropped: [], omitted: 1 })
    assert.deepEqual(boundVideosJson(entries, utf8Bytes(two) - 1), { json: JSON.stringify(entries.slice(0, 1)), dropped: [], omitted: 2 })
  })
})
