import * as core from '@actions/core'
import { AiStudiosClient } from './aistudios/client.js'
import { workAbandoned } from './waits.js'
import { normaliseNoProxy } from './aistudios/transport.js'
import { cancelOnSignals } from './cancel.js'
import { collect } from './collect.js'
import { cleanupExports } from './deliver/cleanup.js'
import { deliverAll, markUndelivered } from './deliver/deliver.js'
import { notDelivered, type Job, type VideoResult } from './domain.js'
import { provideArtifactClient } from './github/artifact-service.js'
import { connectGitHub } from './github/connect.js'
import { needsGitHub } from './job/github-settings.js'
import { isCollect } from './job/collect-settings.js'
import { readJob } from './job/inputs.js'
import { asGiven } from './job/action-defaults.js'
import { budgetLine, budgetRefusal, exportsPlanned } from './job/budget.js'
import { entryNames } from './job/manifest.js'
import { planVideos, shardVideos } from './job/plan.js'
import { info } from './log.js'
import { readRunnerEnv } from './job/runner.js'
import { setKeyOutput, setMatrixOutput } from './report/outputs.js'
import { report } from './report/report.js'
import { leaveResultRecord } from './report/result-record.js'
import { writePlanSummary } from './report/summary.js'
import { newResult, produceAll } from './video/produce-all.js'

/** inputs → job → plan → (request → export → wait → download) for each video → deliver → report */
export async function run(): Promise<void> {
  // The action may upload: it alone brings the artifact client (loaded on first use).
  provideArtifactClient(async () => new (await import('@actions/artifact')).DefaultArtifactClient())
  normaliseNoProxy()
  const runner = readRunnerEnv()
  // Read once, as given: a default the runner set on its own reads as not given (see asGiven).
  const get = asGiven((name: string): string => core.getInput(name))
  // Listened for from the start to the last line: a cancel anywhere ends the wait at hand, and the run reports.
  const cancel = cancelOnSignals()
  try {
    if (isCollect(get)) {
      await collect(get, runner, cancel.signal)
      // A record read past its bound was left behind: it must not hold the process.
      if (cancel.signal.aborted || workAbandoned()) process.exit()
      return
    }
  } catch (error) {
    return await report([], runner, undefined, error)
  }
  let job: Job | undefined
  let results: VideoResult[] = []
  let client: AiStudiosClient | undefined
  let failure: unknown
  try {
    job = readJob(get, runner)
    const github = needsGitHub(job.github) ? await connectGitHub(job.github, cancel.signal) : undefined
    const videos = await planVideos(job, github, job.runner)
    if (job.plan) {
      // A draft run pays for nothing: its render jobs send no export.
      const planned = job.draft ? 0 : exportsPlanned(videos)
      const { text } = budgetLine(planned, job.maxVideos)
      info(`Plan: ${text}`)
      // Each matrix job counts only its own shard: the cap on what one run may spend holds here, for all of them.
      const refusal = budgetRefusal(planned, job.maxVideos, 'plan')
      if (refusal) throw refusal
      const names = videos.map((video) => video.name ?? '')
      setMatrixOutput(shardVideos(names, job.batch.maxJobs))
      return await writePlanSummary(names, job)
    }
    results = videos.map(newResult)
    client = new AiStudiosClient(job.api)
    const onExportAccepted = (result: VideoResult): void => setKeyOutput(result, results.length)
    await produceAll(results, { job, client, github, onExportAccepted }, cancel.signal)
    // A dry run writes nothing but its own files: no artifact, release asset, comment or reuse record.
    if (!job.dryRun) await deliverAll(results, job, github, cancel.signal)
    // Only now: a project deleted before its video is delivered could not be resumed.
    if (job.cleanup) await cleanupExports(results, client, job, cancel.signal)
  } catch (error) {
    failure = cancel.signal.aborted ? cancel.signal.reason : error
    // A video saved but not delivered when the run ended says so (deliverAll marks those it reached).
    for (const result of results) markUndelivered(result, 'its delivery', failure, runner.workspace)
  } finally {
    await client?.close()
  }
  await report(results, runner, job, failure)
  // A job of a plan's matrix leaves its result record for the collect job, however it ended.
  const shard = entryNames(get('manifest-entry'))
  if (shard.length > 0 && !job?.plan) {
    const outcome = cancel.signal.aborted ? 'cancelled' : failure !== undefined || results.some(notDelivered) ? 'failure' : 'success'
    await leaveResultRecord(results, shard, runner, outcome, failure, job?.artifact.retentionDays, cancel.signal)
  }
  cancel.dispose()
  // A cancelled run ends once it has reported: work it stopped waiting for (an upload) must not hold it.
  if (cancel.signal.aborted || workAbandoned()) process.exit()
}
