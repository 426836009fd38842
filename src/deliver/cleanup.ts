import type { AiStudiosClient } from '../aistudios/client.js'
import { notDelivered, type Job, type VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { info, videoLog, warning } from '../log.js'
import { withDeadline } from '../waits.js'
import { recordDelivered } from '../video/ledger.js'
import * as path from 'node:path'

/**
 * With `cleanup`, the v3 projects this run exported and fully delivered, and the reviewed drafts they
 * were exported from, deleted from the AI Studios dashboard in one `DELETE /api/odin/v3/editor/project`
 * (delete-projects.md takes a list of ids). Never
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
  const named = projectsNamed(job)
  const own = v3.filter((result) => result.exportKey === savedProjectOf(result) || named.has(result.exportKey as string) || unknownSource(result))
  for (const result of own) {
    const why = unknownSource(result)
      ? "a resumed key whose project or template the step does not name may be a saved project's own ID"
      : result.exportKey === savedProjectOf(result)
        ? 'it is the saved project the video was exported from'
        : 'it is a project the step names'
    info(`cleanup: ${result.exportKey} is kept in AI Studios: ${why}`)
  }
  // Each export is marked delivered in the ledger before it is deleted; one that cannot be marked is kept.
  const exported: string[] = []
  for (const result of v3.filter((candidate) => !own.includes(candidate))) {
    if (await markDelivered(result, job, signal)) exported.push(result.exportKey as string)
  }
  const drafts = reviewedDrafts(v3, exported, named)
  const ids = [...exported, ...drafts]
  if (ids.length === 0) return
  const names = drafts.length === 0 ? 'exported project(s)' : 'project(s)'
  const which =
    drafts.length === 0
      ? exported.join(', ')
      : `${listed('exported project(s)', exported)}${exported.length > 0 ? ' and ' : ''}${listed('reviewed draft(s)', drafts)}`
  try {
    // A courtesy, not the run's work: one 'request-timeout' in all, retries included, and a cancel ends it.
    const deleted = await client.deleteProjects(ids, { log: videoLog(undefined), signal: withDeadline(job.api.requestTimeoutMs, signal).signal })
    info(`cleanup: deleted ${deleted} of ${ids.length} ${names} from AI Studios (${which})`)
    if (deleted < ids.length) warning(`cleanup: the API deleted ${deleted} of ${ids.length} ${names} (${which}); delete the rest in AI Studios`)
  } catch (error) {
    const why = signal?.aborted ? 'the run was cancelled' : errorMessage(error)
    warning(`cleanup: the ${names} ${which} could not be deleted (${why}); delete them in AI Studios`)
  }
}

const listed = (kind: string, ids: string[]): string => (ids.length === 0 ? '' : `${kind} ${ids.join(', ')}`)

/**
 * The reviewed drafts (`from-draft`) whose export was delivered and goes now: each goes with it. Never a
 * project the step names itself (a saved project that was its own draft, a manifest's `project-id`, a
 * resumed export's source): a draft record is the word of a run of this repository's own code, and a project the
 * step names is the user's for sure.
 */
function reviewedDrafts(v3: VideoResult[], exported: string[], named: Set<string>): string[] {
  const drafts = new Set<string>()
  for (const result of v3) {
    const draft = result.fromDraft
    if (!draft || !exported.includes(result.exportKey as string) || draft.projectId === result.exportKey) continue
    if (!draft.created || named.has(draft.projectId)) {
      info(`cleanup: the reviewed draft ${draft.projectId} is kept in AI Studios: it is a project the step names`)
      continue
    }
    drafts.add(draft.projectId)
  }
  return [...drafts]
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
  // A resumed export was not sent by this run's request: a re-run attempt resuming it is told it is unknown.
  if (!job.runner.artifactService || result.spec.source.kind === 'resume' || !fingerprint || !key || !video || !sha256) return true
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
    sha256,
    ...(result.fromDraft ? { reviewedDraft: result.fromDraft.projectId } : {})
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

/** The saved projects the step names itself (its own, a manifest's, a resumed export's source): the user's for sure, never deleted. */
const projectsNamed = (job: Job): Set<string> =>
  new Set([...(job.savedProjects ?? []), ...job.videos.flatMap((spec) => savedProjectOf({ spec }) ?? [])])

/** A resumed export whose source the step does not name: its key cannot be told from a saved project's own ID. */
const unknownSource = ({ spec: { source } }: VideoResult): boolean => source.kind === 'resume' && !source.of

/** The saved project a video was made from, if any (a resumed one's too). */
function savedProjectOf({ spec: { source } }: Pick<VideoResult, 'spec'>): string | undefined {
  const made = source.kind === 'resume' ? source.of : source
  return made?.kind === 'project' ? made.projectId : undefined
}
