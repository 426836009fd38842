import * as path from 'node:path'
import type { Downloaded, Job, VideoResult } from '../domain.js'
import { untilCancelled, withDeadline } from '../waits.js'
import { errorMessage } from '../errors.js'
import { formatMinutes } from '../text.js'
import { recordDraft } from '../github/drafts.js'
import { recordReusable } from '../github/reuse.js'
import { errorLine, info, videoLog, withVideoName } from '../log.js'
import type { GitHub } from '../github/connect.js'
import { uploadVideoArtifact, uploadVideosArtifact } from './artifact.js'
import { videoSha256 } from './checksum.js'
import { commentRows, upsertComment } from './comment.js'
import { attachToRelease, type AssetOutcome } from './release.js'

/**
 * With `reuse`, each uploaded video's record, so a later run of the same request finds it; a failure
 * costs only that. A reviewed draft's video is recorded twice: by the draft as the review left it (an
 * edit in a later review is another video), and by the step's own request with the draft named, for a
 * later run whose draft is gone.
 */
async function leaveForReuse(done: Array<{ result: VideoResult; video: Downloaded }>, job: Job, signal?: AbortSignal): Promise<void> {
  for (const { result, video } of done) {
    const { artifact, fingerprint, reuseKey, exportKey, sha256 } = result
    if (!artifact || !reuseKey || !exportKey || !sha256) continue
    const keys = new Set([reuseKey, ...(result.fromDraft && fingerprint ? [fingerprint] : [])])
    const record = {
      artifactId: artifact.id,
      fileName: artifact.zipped ? path.basename(video.path) : artifact.name,
      videoName: path.basename(video.path),
      exportKey,
      generation: result.generation,
      sha256,
      size: video.size,
      ...(result.fromDraft ? { reviewedDraft: result.fromDraft.projectId } : {})
    }
    for (const key of keys) {
      try {
        await untilCancelled(recordReusable(key, record, job.runner, job.artifact.retentionDays), signal)
      } catch (error) {
        if (signal?.aborted) throw error
        videoLog(result.spec.name).warning(`reuse: could not leave a record of ${result.name} for later runs (${errorMessage(error)})`)
      }
    }
  }
}

/** Each draft's record, so the run that exports it (`from-draft`) finds it; a failure costs only that. */
async function leaveDrafts(results: VideoResult[], job: Job, signal?: AbortSignal): Promise<void> {
  for (const result of results) {
    const { draft, fingerprint } = result
    if (result.status !== 'draft' || !draft || draft.recorded || !fingerprint) continue
    try {
      await untilCancelled(
        recordDraft(fingerprint, { projectId: draft.projectId, created: draft.created }, job.runner, job.artifact.retentionDays),
        signal
      )
    } catch (error) {
      if (signal?.aborted) throw error
      videoLog(result.spec.name).warning(`from-draft: could not leave a record of the draft of ${result.name} (${errorMessage(error)})`)
    }
  }
}

/** Room a failure's reason takes in a video's error, so what follows it (how to deliver) is never cut off. */
const MAX_REASON = 600

/**
 * Marks a saved video whose delivery failed: failed, its file kept, which delivery and why. Only its
 * first failure counts: no later delivery is tried for it.
 */
export function markUndelivered(result: VideoResult, delivery: string, error: unknown, workspace: string): void {
  if (result.status !== 'downloaded' || !result.video || result.delivered) return
  const reason = errorMessage(error)
  const savedAs = path.relative(workspace, result.video.path)
  result.status = 'failed'
  result.stage = 'deliver'
  result.undelivered = { delivery, reason, savedAs }
  const shown = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason
  result.error = `not delivered: the render finished and the video is saved as ${savedAs}, but ${delivery} failed: ${shown}`
}

/** The release delivery, named the same where it fails and where a cancel finds it lacking. */
const attaching = (tag: string): string => `attaching the video to release ${tag}`

const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`

/**
 * Delivers what the run downloaded: the artifact (one per video, or one holding all of a batch), each
 * video's SHA-256, release assets and the pull request comment. Fills each result as it goes. A
 * delivery that fails marks the videos it was for as saved but not delivered (markUndelivered), and
 * the others go on: the comment still lists every video, failures included. A failure that touches no
 * saved video (the comment of a run that waited for none) is thrown once the rest is done. A cancel
 * stops waiting for whichever delivery is under way (none of them takes a signal), so the run reports
 * at once, each video not yet delivered marked at the first delivery it lacks.
 */
export async function deliverAll(results: VideoResult[], job: Job, github: GitHub | undefined, signal?: AbortSignal): Promise<void> {
  // Each delivery is waited for at most 'timeout', as the video was, and not at all past a cancel.
  const until = async <T>(work: Promise<T>): Promise<T> => {
    const { deadline, signal: until } = withDeadline(job.wait.timeoutMs, signal)
    try {
      return await untilCancelled(work, until)
    } catch (error) {
      if (signal?.aborted || !deadline.aborted) throw error
      throw new Error(`it did not end within 'timeout' (${formatMinutes(job.wait.timeoutMs)})`, { cause: error })
    }
  }
  /** The videos still to deliver: saved, and none of their deliveries failed. */
  const saved = (): Array<{ result: VideoResult; video: Downloaded }> =>
    results.flatMap((result) => (result.status === 'downloaded' && result.video ? [{ result, video: result.video }] : []))
  const { workspace } = job.runner
  // What each video has had delivered, so a cancel tells each the first delivery it lacks, no other.
  const uploaded = new Set<VideoResult>()
  const attached = new Set<VideoResult>()
  let commented = false
  // A published asset deleted to make room: if the new one does not arrive, the release holds neither, and that is said.
  const deleted = new Map<Downloaded, string>()
  const withLoss = (video: Downloaded, error: unknown): unknown =>
    deleted.has(video)
      ? new Error(
          `${errorMessage(error)}; its published asset ${deleted.get(video)} was deleted first, so the release holds none until it is attached again`,
          {
            cause: error
          }
        )
      : error
  const releaseDelivery = job.github.release ? attaching(job.github.release.tag) : undefined
  /** The first delivery a video was given and has not had, if any. */
  const lacking = (result: VideoResult): string | undefined => {
    if (job.artifact.enabled && !uploaded.has(result)) return 'the artifact upload'
    if (github && releaseDelivery && !attached.has(result)) return releaseDelivery
    if (github && job.github.comment && !job.matrixJob && !commented) return 'the pull request comment'
    return undefined
  }
  // A failure no saved video carries, for the end.
  let unowned: Error | undefined
  /** A delivery failed for `of`: those still saved are marked, and it is said once for them. */
  const failed = (of: VideoResult[], delivery: string, error: unknown): void => {
    const hit = of.filter((result) => result.status === 'downloaded' && result.video)
    if (hit.length === 0) {
      unowned ??= new Error(`${sentence(delivery)} failed: ${errorMessage(error)}`, { cause: error })
      return
    }
    const names = results.length > 1 && hit.length < results.length ? `${hit.map((result) => result.name).join(', ')}: ` : ''
    errorLine(`${names}${sentence(delivery)} failed: ${errorMessage(error)}`)
    for (const result of hit) markUndelivered(result, delivery, error, workspace)
  }
  /** Runs one delivery for `of`; anything but a cancel fails only it. */
  const attempt = async (of: VideoResult[], delivery: string, work: () => Promise<void>): Promise<void> => {
    try {
      await work()
    } catch (error) {
      if (signal?.aborted) throw error
      failed(of, delivery, error)
    }
  }
  try {
    if (job.batch.artifactPerVideo || job.videos.length === 1) {
      // One after another, so the artifact client's own lines can be given their video's name in a batch.
      for (const { result, video } of saved()) {
        // Taken back from an earlier attempt's artifact (redeliver.ts): that artifact still holds it.
        if (result.artifact) {
          uploaded.add(result)
          continue
        }
        await attempt([result], 'the artifact upload', async () => {
          result.artifact = await withVideoName(result.spec.name, () =>
            until(uploadVideoArtifact(video, result.exportKey ?? '', job.artifact, job.runner))
          )
          uploaded.add(result)
        })
      }
    } else {
      const done = saved().filter(({ result }) => {
        if (result.artifact) uploaded.add(result)
        return !result.artifact
      })
      await attempt(
        done.map(({ result }) => result),
        'the artifact upload',
        async () => {
          const shared = await until(
            uploadVideosArtifact(
              done.map(({ video }) => video),
              done.map(({ result }) => result.exportKey ?? ''),
              job.outputDir,
              job.artifact,
              job.runner
            )
          )
          for (const { result } of done) {
            result.artifact = shared
            uploaded.add(result)
          }
        }
      )
    }
    for (const { result, video } of saved()) {
      await attempt([result], "computing the video's SHA-256", async () => {
        result.sha256 = await until(videoSha256(video, result.artifact))
      })
    }
    if (job.github.reuse) await leaveForReuse(saved(), job, signal)
    // Without the run's artifact service (outside a workflow run) a record could not be found again anyway.
    if (job.runner.artifactService) await leaveDrafts(results, job, signal)
    if (github && job.github.release) {
      const { tag, replace } = job.github.release
      const delivery = attaching(tag)
      // The videos not yet told of: a video refused fails alone, the release unread fails them all.
      const untold = new Map(saved().map(({ result, video }) => [video, result]))
      const told = (outcome: AssetOutcome): void => {
        const result = untold.get(outcome.video)
        if (!result) return
        untold.delete(outcome.video)
        if (outcome.attached) {
          result.releaseUrl = outcome.url
          attached.add(result)
        } else failed([result], delivery, withLoss(outcome.video, outcome.error))
      }
      try {
        await until(attachToRelease(github, tag, replace, [...untold.keys()], told, signal, (video, asset) => deleted.set(video, asset)))
      } catch (error) {
        if (signal?.aborted) throw error
        for (const [video, result] of untold) failed([result], delivery, withLoss(video, error))
        untold.clear() // an upload left behind past 'timeout' tells nothing any more
      }
    }
    if (github && job.github.comment) {
      if (job.matrixJob) info('comment: in a matrix, the collect job writes the pull request comment for the whole batch')
      else {
        // Every video's row, the failures of the deliveries above included.
        const rows = commentRows(results, job.runner, job.manifest)
        await attempt(
          saved().map(({ result }) => result),
          'the pull request comment',
          async () => {
            await until(upsertComment(github, rows, job.runner))
            commented = true
          }
        )
      }
    }
  } catch (error) {
    // A cancel (or anything unforeseen): each video not yet delivered is marked at the first delivery it
    // lacks (an artifact already up, an asset already on the release is not lacking); the rest are delivered.
    const reason: unknown = signal?.aborted ? signal.reason : error
    for (const { result, video } of saved()) {
      const first = lacking(result)
      if (first) markUndelivered(result, first, first === releaseDelivery ? withLoss(video, reason) : reason, workspace)
      else result.delivered = true
    }
    throw error
  }
  for (const { result } of saved()) result.delivered = true
  if (unowned) throw unowned
}
