import { AiStudiosClient } from '../aistudios/client.js'
import type { Job, Pipeline, RunnerEnv } from '../domain.js'
import { requireReviewedDrafts } from '../video/required-drafts.js'
import { connectGitHub } from '../github/connect.js'
import { budgetLine, budgetRefusal, exportsPlanned } from '../job/budget.js'
import { needsGitHub } from '../job/github-settings.js'
import { readJob } from '../job/inputs.js'
import type { InputReader } from '../job/parse.js'
import { planPipelineId } from '../job/pipeline.js'
import { planVideos, shardVideos } from '../job/plan.js'
import { info } from '../log.js'
import { setMatrixOutput } from '../report/outputs.js'
import { report } from '../report/report.js'
import { writePlanSummary } from '../report/summary.js'

/**
 * `plan: true`, the job before a matrix: the manifest's videos (those a push changed, with only-changed)
 * grouped into at most `max-jobs` shards, output as the matrix with this pipeline's ID. Sends nothing;
 * the cap on what the whole run may spend (`max-videos`), and `from-draft: required`, are checked here,
 * for every render job at once.
 */
export async function plan(get: InputReader, runner: RunnerEnv, signal: AbortSignal): Promise<void> {
  let job: Job | undefined
  try {
    job = readJob(get, runner)
    const github = needsGitHub(job.github) ? await connectGitHub(job.github, signal) : undefined
    const videos = await planVideos(job, github, job.runner)
    // A draft run pays for nothing: its render jobs send no export.
    const planned = job.draft ? 0 : exportsPlanned(videos)
    info(`Plan: ${budgetLine(planned, job.maxVideos).text}`)
    // Each matrix job counts only its own shard: the cap on what one run may spend holds here, for all of them.
    const refusal = budgetRefusal(planned, job.maxVideos, 'plan')
    if (refusal) throw refusal
    // `required` holds for the whole matrix: no render job pays while another's videos have no reviewed draft.
    if (job.github.fromDraft === 'required' && github) {
      const client = new AiStudiosClient(job.api)
      try {
        await requireReviewedDrafts(videos, { job, client, github }, signal)
      } finally {
        await client.close()
      }
    }
    const names = videos.map((video) => video.name ?? '')
    setMatrixOutput(shardVideos(names, job.batch.maxJobs), planPipelineId(job.pipeline as Pipeline, get('pipeline') !== '', runner))
    await writePlanSummary(names, job)
  } catch (error) {
    await report([], runner, job, signal.aborted ? signal.reason : error)
  }
}
