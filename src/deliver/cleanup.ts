import type { AiStudiosClient } from '../aistudios/client.js'
import { notDelivered, type Job, type VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { info, videoLog, warning } from '../log.js'
import { withDeadline } from '../waits.js'
import { recordDelivered } from '../video/ledger.js'
import * as path from 'node:path'

/**
 * With `cleanup`, the v3 projects this run exported and fully delivered, deleted from the AI Studios
 * dashboard in one `DELETE /api/odin/v3/editor/project` (delete-projects.md takes a list of ids). Never
 * a failed video's (its key must stay resumable), nor any while a video of the run failed, nor a
 * reused one's (another run exported it). The
 * legacy API documents no call that deletes a project. A refused delete costs only a warning.
 */
export async function cleanupExports(results: VideoResult[], client: AiStudiosClient, job: Job, signal?: AbortSignal): Promise<void> {
  // A re-run attempt of a failed job starts again with every video, re-attaching to each export this
  // attempt made: deleted, a delivered video's project could not be downloaded again and would be paid for twice.
  const undelivered = results.filter(notDelivered).length
  if (undelivered > 0) {
    info(`cleanup: nothing deleted: ${undelivered} video(s) of this run were not delivered, and a re-run attempt re-attaches to every export it made`)
    return
  }
  const downloaded = results.filter(
    (result) => result.status === 'downloaded' && result.exportKey && result.reusedFromRun === undefined && result.deliveredByAttempt === undefined
  )
  const delivered = downloaded.filter((result) => {
    const missing = missingDelivery(result, job)
    if (missing) info(`cleanup: ${result.exportKey} is kept in AI Studios: ${missing}`)
    return !missing
  })
  const legacy = delivered.filter((result) => result.generation === 'legacy').length
  if (legacy > 0) info(`cleanup: the legacy API has no call that deletes a project; ${legacy} legacy export(s) stay in AI Studios`)
  const v3 = delivered.filter((result) => result.generation === 'v3')
  // A saved project exported as it is: should the API answer its own ID as the export's, the user's project is kept.
  const own = v3.filter((result) => result.exportKey === savedProjectOf(result) || unknownSource(result))
  for (const result of own) {
    const why = unknownSource(result)
      ? "a resumed key whose project or template the step does not name may be a saved project's own ID"
      : 'it is the saved project the video was exported from'
    info(`cleanup: ${result.exportKey} is kept in AI Studios: ${why}`)
  }
  // Each export is marked delivered in the ledger before it is deleted; one that cannot be marked is kept.
  const exported: string[] = []
  for (const result of v3.filter((candidate) => !own.includes(candidate))) {
    if (await markDelivered(result, job, signal)) exported.push(result.exportKey as string)
  }
  // A reviewed draft is kept: which project a draft record names is the word of whichever run of the
  // repository wrote it, and a record naming a project of the user's own must not get it deleted.
  for (const result of v3.filter((candidate) => candidate.fromDraft))
    info(`cleanup: the reviewed draft ${result.fromDraft?.projectId} is kept in AI Studios; delete it there once its video is right`)
  const ids = exported
  if (ids.length === 0) return
  try {
    // A courtesy, not the run's work: one 'request-timeout' in all, retries included, and a cancel ends it.
    const deleted = await client.deleteProjects(ids, { log: videoLog(undefined), signal: withDeadline(job.api.requestTimeoutMs, signal).signal })
    info(`cleanup: deleted ${deleted} of ${ids.length} exported project(s) from AI Studios (${ids.join(', ')})`)
    if (deleted < ids.length) warning(`cleanup: the API deleted ${deleted} of ${ids.length} exported project(s); delete the rest in AI Studios`)
  } catch (error) {
    const why = signal?.aborted ? 'the run was cancelled' : errorMessage(error)
    warning(`cleanup: the exported project(s) ${ids.join(', ')} could not be deleted (${why}); delete them in AI Studios`)
  }
}

/** Which delivery the run was asked for did not happen (an artifact upload skipped without the runtime token, on GHES), if any. */
export function missingDelivery(result: VideoResult, job: Job): string | undefined {
  if (job.artifact.enabled && !result.artifact) return 'its artifact was not uploaded'
  if (job.github.release && !result.releaseUrl) return 'it was not attached to the release'
  return undefined
}

/**
 * Before its project is deleted, the ledger learns the video was delivered and where: a re-run attempt
 * then neither waits for a project that is gone nor pays for it again. Without that mark the project is
 * kept. A resumed export has no request to mark, and a re-run attempt resuming it is told it is unknown.
 */
async function markDelivered(result: VideoResult, job: Job, signal?: AbortSignal): Promise<boolean> {
  const { fingerprint, exportKey: key, video, sha256, artifact } = result
  if (!job.runner.artifactService || !fingerprint || !key || !video || !sha256) return true
  if (!artifact || artifact.id <= 0) {
    // Deleted, its video could come back to a re-run attempt from nowhere: it waits for the project instead.
    info(`cleanup: ${key} is kept in AI Studios: its video went up as no artifact of this run, where a re-run attempt could take it from`)
    return false
  }
  const delivered = {
    attempt: job.runner.runAttempt,
    artifactId: artifact.id,
    artifactName: artifact.name,
    zipped: artifact.zipped,
    savedAs: path.basename(video.path),
    // An unzipped artifact is downloaded under its own name; a zipped one holds the video under the file's.
    file: artifact.zipped ? path.basename(video.path) : artifact.name,
    size: video.size,
    sha256
  }
  try {
    await recordDelivered(fingerprint, key, delivered, job.runner, videoLog(undefined), withDeadline(job.api.requestTimeoutMs, signal).signal)
    return true
  } catch (error) {
    warning(
      `cleanup: ${key} is kept in AI Studios: the ledger could not record its delivery (${errorMessage(error)}), and a re-run attempt would pay for it again`
    )
    return false
  }
}

/** A resumed export whose source the step does not name: its key cannot be told from a saved project's own ID. */
const unknownSource = ({ spec: { source } }: VideoResult): boolean => source.kind === 'resume' && !source.of

/** The saved project a video was made from, if any (a resumed one's too). */
function savedProjectOf({ spec: { source } }: VideoResult): string | undefined {
  const made = source.kind === 'resume' ? source.of : source
  return made?.kind === 'project' ? made.projectId : undefined
}
