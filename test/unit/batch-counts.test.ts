/** Collect's heading counts each outcome apart, as a single job's does: started is not delivered. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { VideoEntry } from '../../src/github/results.ts'
import { entryCounts, failedEntry } from '../../src/report/batch.ts'

const entry = (name: string, status: VideoEntry['status']): VideoEntry => ({ ...failedEntry(name, ''), status, error: null })

describe('entryCounts', () => {
  it('counts videos of jobs that did not wait as started, none delivered', () => {
    assert.equal(entryCounts([entry('a', 'started'), entry('b', 'started'), entry('c', 'started')]), '0 delivered, 3 started (of 3)')
  })
  it('names each outcome that occurred, delivered always', () => {
    assert.equal(
      entryCounts([entry('a', 'downloaded'), entry('b', 'failed'), entry('c', 'skipped'), entry('d', 'dry-run'), entry('e', 'downloaded')]),
      '2 delivered, 1 dry-run, 1 failed, 1 skipped (of 5)'
    )
    assert.equal(entryCounts([entry('a', 'downloaded')]), '1 delivered (of 1)')
  })
})
