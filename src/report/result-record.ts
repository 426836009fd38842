import type { Pipeline, RunnerEnv, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { uploadResultRecord, videoEntries, type ResultRecord } from '../github/results.js'
import { info, warning } from '../log.js'
import { after, untilCancelled, withDeadline } from '../waits.js'

/** How long the record's upload is waited for; after a cancel, only what the cancel's grace leaves. */
export const RECORD_UPLOAD_MS = 30_000
const RECORD_UPLOAD_CANCELLED_MS = 3000

/** Room for the errors a record carries; a longer one is cut, never the record refused for it. */
const MAX_ERROR = 2000
const cut = (text: string | null): string | null => (text === null || text.length <= MAX_ERROR ? text : `${text.slice(0, MAX_ERROR - 1)}…`)

/**
 * A matrix job's result record, left however the job ended (a refused input, a failure, a cancel): the
 * `videos` entry of each video it reached and its outcome, for the collect job to gather. `videos` are
 * the names the job was given; a video with no entry is reported by collect with the job's error.
 */
export async function leaveResultRecord(
  results: VideoResult[],
  videos: string[],
  pipeline: Pipeline,
  runner: RunnerEnv,
  outcome: ResultRecord['outcome'],
  error: unknown,
  retentionDays: number | undefined,
  /** The run's cancel: from it (before or during the upload) the record has RECORD_UPLOAD_CANCELLED_MS left. */
  cancel: AbortSignal
): Promise<void> {
  if (!runner.artifactService) return
  const record: ResultRecord = {
    version: 2,
    pipeline,
    job: runner.jobId?.slice(0, 100) ?? null,
    runId: runner.runId,
    attempt: runner.runAttempt,
    videos: videos.filter((name) => /^[\w.-]{1,80}$/.test(name)),
    outcome,
    error: error === undefined ? null : cut(errorMessage(error)),
    entries: videoEntries(results).map((entry) => ({ ...entry, error: cut(entry.error) }))
  }
  const bound = withDeadline(RECORD_UPLOAD_MS, after(cancel, RECORD_UPLOAD_CANCELLED_MS)).signal
  try {
    const name = await untilCancelled(uploadResultRecord(record, runner, retentionDays), bound)
    info(`Left the result record ${name} for the collect job`)
  } catch (uploadError) {
    const within = cancel.aborted ? `${RECORD_UPLOAD_CANCELLED_MS / 1000} s of the cancel` : `${RECORD_UPLOAD_MS / 1000} s`
    const why = bound.aborted ? `no answer within ${within}` : errorMessage(uploadError)
    warning(`The result record could not be left (${why}): the collect job will report this job's videos as not reported`)
  }
}
