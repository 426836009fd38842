import { AiStudiosClient } from '../aistudios/client.js'
import { cleanupExports } from '../deliver/cleanup.js'
import { deliverAll, markUndelivered } from '../deliver/deliver.js'
import { notDelivered, type Job, type RunnerEnv, type VideoResult } from '../domain.js'
import { connectGitHub } from '../github/connect.js'
import { readJob } from '../job/inputs.js'
import { entryNames } from '../job/manifest.js'
import type { InputReader } from '../job/parse.js'
import { pipelineOfRefused } from '../job/pipeline.js'
import { planVideos } from '../job/plan.js'
import { setKeyOutput } from '../report/outputs.js'
import { report } from '../report/report.js'
import { leaveResultRecord } from '../report/result-record.js'
import { newResult, produceAll } from '../video/produce-all.js'

/**
 * Rendering, one video or a manifest's (a matrix job's shard): inputs → job → plan → (request → export
 * → wait → download) for each video → deliver → cleanup → report, and, in a plan's matrix, the result
 * record the collect job reads, however the job ended.
 */
export async function render(get: InputReader, runner: RunnerEnv, signal: AbortSignal): Promise<void> {
  let job: Job | undefined
  let results: VideoResult[] = []
  let client: AiStudiosClient | undefined
  let failure: unknown
  try {
    job = readJob(get, runner)
    // Called only by what needs it: the features asked for, a draft kept from an earlier run, a resume's check.
    const github = job.github.token ? await connectGitHub(job.github, signal) : undefined
    results = (await planVideos(job, github, job.runner)).map(newResult)
    client = new AiStudiosClient(job.api)
    const onExportAccepted = (result: VideoResult): void => setKeyOutput(result, results.length)
    await produceAll(results, { job, client, github, onExportAccepted }, signal)
    // A dry run writes nothing but its own files: no artifact, release asset, comment or reuse record.
    if (!job.dryRun) await deliverAll(results, job, github, signal)
    // Only now: a project deleted before its video is delivered could not be resumed.
    if (job.cleanup) await cleanupExports(results, client, job, signal)
  } catch (error) {
    failure = signal.aborted ? signal.reason : error
    // A video saved but not delivered when the run ended says so (deliverAll marks those it reached).
    for (const result of results) markUndelivered(result, 'its delivery', failure, runner.workspace)
  } finally {
    await client?.close()
  }
  await report(results, runner, job, failure)
  // A job of a plan's matrix leaves its result record for the collect job, however it ended.
  const shard = entryNames(get('manifest-entry'))
  if (shard.length > 0) {
    const outcome = signal.aborted ? 'cancelled' : failure !== undefined || results.some(notDelivered) ? 'failure' : 'success'
    const pipeline = job?.pipeline ?? pipelineOfRefused(get, runner.workspace)
    await leaveResultRecord(results, shard, pipeline, runner, outcome, failure, job?.artifact.retentionDays, signal)
  }
}
