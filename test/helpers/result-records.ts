/** A matrix job's result record as collect reads it, for the tests of collect's report. */
import type { ResultRecord, VideoEntry } from '../../src/github/results.ts'

/** Attempt `attempt`'s record of pipeline p1 (videos.yml) in run 7, given `videos` and reporting `entries`. */
export const resultRecord = (attempt: number, videos: string[], entries: VideoEntry[], extra: Partial<ResultRecord> = {}): ResultRecord => ({
  version: 2,
  pipeline: { id: 'p1', manifest: 'videos.yml' },
  job: 'render',
  runId: '7',
  attempt,
  videos,
  outcome: 'success',
  error: null,
  entries,
  ...extra
})
