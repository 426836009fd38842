import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ReadRecord, ResultRecord, VideoEntry } from '../../src/github/results.ts'
import { resultRecord } from '../helpers/result-records.ts'
import { NO_RESULT, failedEntry, gatherEntries } from '../../src/report/batch.ts'

const entry = (name: string, status: VideoEntry['status'] = 'downloaded'): VideoEntry => ({
  ...failedEntry(name, 'boom'),
  status,
  'export-key': `k-${name}`,
  'project-id': `k-${name}`,
  error: status === 'failed' ? 'boom' : null
})
const record = (attempt: number, videos: string[], entries: VideoEntry[], extra: Partial<ResultRecord> = {}): ReadRecord => ({
  artifact: `aistudios-result-${attempt}-p1.${videos[0]}.json`,
  record: resultRecord(attempt, videos, entries, extra)
})

describe('gatherEntries', () => {
  it('gives every planned video once, in the plan’s order; one no record names has no result', () => {
    const gathered = gatherEntries(['a', 'b', 'c'], [record(1, ['c'], [entry('c')]), record(1, ['a'], [entry('a')])], () => {})
    assert.deepEqual(
      gathered.map((e) => [e.name, e.status, e.error]),
      [
        ['a', 'downloaded', null],
        ['b', 'failed', NO_RESULT],
        ['c', 'downloaded', null]
      ]
    )
  })

  it('takes the newest attempt’s record of a video, whatever order they come in', () => {
    const gathered = gatherEntries(['a'], [record(2, ['a'], [entry('a')]), record(1, ['a'], [entry('a', 'failed')])], () => {})
    assert.equal(gathered[0].status, 'downloaded')
  })

  it('fails a video its job was given but never reached, with the job’s error', () => {
    const gathered = gatherEntries(['a'], [record(1, ['a'], [], { outcome: 'failure', error: "Input 'manifest': bad" })], () => {})
    assert.deepEqual([gathered[0].status, gathered[0].error], ['failed', "Input 'manifest': bad"])
  })

  it('refuses what a record says of videos its job was not given or the plan does not have', () => {
    const refused: string[] = []
    const gathered = gatherEntries(['a', 'b'], [record(1, ['a', 'x'], [entry('a'), entry('b')])], (message) => refused.push(message))
    assert.equal(gathered[1].error, NO_RESULT, "b's entry is not taken from a record that was not given b")
    assert.match(refused.join('\n'), /was not given in this plan \(x, b\)/)
  })

  it('refuses two records of one attempt that report the same video, naming both, and fails the video', () => {
    const refusals: string[] = []
    const first = record(1, ['a'], [entry('a')])
    const second = { ...record(1, ['a'], [entry('a')]), artifact: 'aistudios-result-1-p1.b.json' }
    const gathered = gatherEntries(['a'], [first, second], (message) => refusals.push(message))
    assert.equal(gathered[0].status, 'failed')
    assert.match(gathered[0].error ?? '', /aistudios-result-1-p1\.a\.json and aistudios-result-1-p1\.b\.json both report it for attempt 1/)
    assert.equal(refusals.length, 1)
    assert.match(refusals[0], /video a is taken as failed/)
  })

  it('lets a later attempt replace a video two records of an earlier attempt disagreed on', () => {
    const gathered = gatherEntries(
      ['a'],
      [record(1, ['a'], [entry('a')]), { ...record(1, ['a'], [entry('a', 'failed')]), artifact: 'x' }, record(2, ['a'], [entry('a')])],
      () => {}
    )
    assert.equal(gathered[0].status, 'downloaded')
  })
})
