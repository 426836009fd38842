import * as path from 'node:path'
import type { Downloaded, Job, VideoResult } from '../domain.js'
import { untilCancelled, withDeadline } from '../waits.js'
import { errorMessage } from '../errors.js'
import { formatMinutes } from '../text.js'
import { recordReusable } from '../github/reuse.js'
import { info, videoLog, withVideoName } from '../log.js'
import type { GitHub } from '../github/connect.js'
import { uploadVideoArtifact, uploadVideosArtifact } from './artifact.js'
import { videoSha256 } from './checksum.js'
import { commentRows, upsertComment } from './comment.js'
import { attachToRelease } from './release.js'

/** With `reuse`, each uploaded video's record, so a later run of the same request finds it; a failure costs only that. */
async function leaveForReuse(done: Array<{ result: VideoResult; video: Downloaded }>, job: Job, signal?: AbortSignal): Promise<void> {
  for (const { result, video } of done) {
    const { artifact, fingerprint, exportKey, sha256 } = result
    if (!artifact || !fingerprint || !exportKey || !sha256) continue
    const record = {
      artifactId: artifact.id,
      fileName: artifact.zipped ? path.basename(video.path) : artifact.name,
      videoName: path.basename(video.path),
      exportKey,
      generation: result.generation,
      sha256,
      size: video.size
    }
    try {
      await untilCancelled(recordReusable(fingerprint, record, job.runner, job.artifact.retentionDays), signal)
    } catch (error) {
      if (signal?.aborted) throw error
      videoLog(result.spec.name).warning(`reuse: could not leave a record of ${result.name} for later runs (${errorMessage(error)})`)
    }
  }
}

/**
 * Delivers what the run downloaded: the artifact (one per video, or one holding all of a batch), each
 * video's SHA-256, release assets and the pull request comment. Fills each result as it goes, so a
 * failure part-way still leaves the report everything that was done. A cancel stops waiting for
 * whichever delivery is under way (none of them takes a signal), so the run reports at once.
 */
export async function deliverAll(results: VideoResult[], job: Job, github: GitHub | undefined, signal?: AbortSignal): Promise<void> {
  // Each delivery is waited for at most 'timeout', as the video was, and not at all past a cancel.
  const until = async <T>(work: Promise<T>, what: string): Promise<T> => {
    const { deadline, signal: until } = withDeadline(job.wait.timeoutMs, signal)
    try {
      return await untilCancelled(work, until)
    } catch (error) {
      if (signal?.aborted || !deadline.aborted) throw error
      throw new Error(`${what} did not end within 'timeout' (${formatMinutes(job.wait.timeoutMs)})`, { cause: error })
    }
  }
  const done = results.flatMap((result) => (result.status === 'downloaded' && result.video ? [{ result, video: result.video }] : []))
  if (job.batch.artifactPerVideo || job.videos.length === 1) {
    // One after another, so the artifact client's own lines can be given their video's name in a batch.
    for (const { result, video } of done) {
      result.artifact = await withVideoName(result.spec.name, () =>
        until(uploadVideoArtifact(video, result.exportKey ?? '', job.artifact, job.runner), 'The artifact upload')
      )
    }
  } else {
    const shared = await until(
      uploadVideosArtifact(
        done.map(({ video }) => video),
        done.map(({ result }) => result.exportKey ?? ''),
        job.outputDir,
        job.artifact,
        job.runner
      ),
      'The artifact upload'
    )
    for (const { result } of done) result.artifact = shared
  }
  for (const { result, video } of done) result.sha256 = await until(videoSha256(video, result.artifact), 'Hashing the video')
  if (job.github.reuse) await leaveForReuse(done, job, signal)
  if (!github) return
  if (job.github.release) {
    const { tag, replace } = job.github.release
    const urls = await until(
      attachToRelease(
        github,
        tag,
        replace,
        done.map(({ video }) => video),
        signal
      ),
      'Attaching the video to the release'
    )
    for (const { result, video } of done) result.releaseUrl = urls.get(video.path)
  }
  if (!job.github.comment) return
  if (job.matrixJob) info('comment: in a matrix, the collect job writes the pull request comment for the whole batch')
  else await until(upsertComment(github, commentRows(results, job.runner), job.runner), 'The pull request comment')
}
