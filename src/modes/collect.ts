import * as core from '@actions/core'
import { rowOf, upsertComment } from '../deliver/comment.js'
import type { RunnerEnv } from '../domain.js'
import { errorMessage } from '../errors.js'
import { connectGitHub } from '../github/connect.js'
import { readResultRecords } from '../github/results.js'
import { readCollectJob } from '../job/collect-settings.js'
import { needsGitHub } from '../job/github-settings.js'
import type { InputReader } from '../job/parse.js'
import { planVideos } from '../job/plan.js'
import { info, warning } from '../log.js'
import { entryFailed, gatherEntries, writeBatchSummary } from '../report/batch.js'
import { setVideosOutput } from '../report/outputs.js'
import { terminalText } from '../text.js'

/**
 * `collect: true`, the job after a plan's matrix: reads every result record of this run attempt and
 * writes one summary, one `videos` output and one pull request comment for the whole batch. Fails when
 * a video failed or a planned video has no record. Exports nothing and needs no AI Studios credentials.
 */
export async function collect(get: InputReader, runner: RunnerEnv, signal: AbortSignal): Promise<void> {
  try {
    const job = readCollectJob(get, runner)
    if (!runner.artifactService) throw new Error("'collect' reads this run's artifacts: it runs only in a job of the workflow run it collects")
    const github = needsGitHub(job.github) ? await connectGitHub(job.github, signal) : undefined
    const planned = (await planVideos(job, github, runner)).map((video) => video.name ?? '')
    const { read: records, foreign } = await readResultRecords(runner, job.pipeline, warning, signal)
    const entries = gatherEntries(planned, records, warning)
    info(`collect: ${records.length} result record(s) of pipeline ${job.pipeline.id} (${job.manifest}) for ${planned.length} planned video(s)`)
    if (foreign.length > 0)
      info(
        terminalText(
          `collect: ${foreign.length} result record(s) of other pipelines of this run left alone (${foreign.slice(0, 10).join(', ')}${foreign.length > 10 ? ', …' : ''}); ` +
            "a record of this pipeline's plan is read only when its render job had the plan's 'pipeline' output"
        )
      )
    setVideosOutput(entries)
    try {
      await writeBatchSummary(entries, records.length, runner.summaryFile)
    } catch (summaryError) {
      warning(`The job summary could not be written: ${errorMessage(summaryError)}`)
    }
    if (github && job.github.comment) {
      const rows = entries.map((entry) => rowOf(entry, Number(runner.runId) || 1, job.pipeline.manifest))
      await upsertComment(github, rows, runner).catch((error: unknown) => {
        if (signal.aborted) throw error
        throw new Error(`The batch's pull request comment could not be written (${errorMessage(error)}); its token needs pull-requests: write`)
      })
    }
    const failed = entries.filter(entryFailed)
    if (failed.length > 0) {
      for (const entry of failed) core.error(terminalText(`${entry.name}: ${entry.error ?? entry.status}`))
      core.setFailed(
        terminalText(`${failed.length} of ${entries.length} video(s) were not delivered: ${failed.map((entry) => entry.name).join(', ')}`)
      )
    }
  } catch (error) {
    core.setFailed(terminalText(errorMessage(signal.aborted ? signal.reason : error)))
  }
}
