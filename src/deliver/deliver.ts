import * as path from 'node:path'
import type { Downloaded, Job, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { loadArtifactClient } from '../github/artifact-service.js'
import { recordReusable } from '../github/reuse.js'
import { warning } from '../log.js'
import type { GitHub } from '../github/connect.js'
import { uploadVideoArtifact, uploadVideosArtifact } from './artifact.js'
import { videoSha256 } from './checksum.js'
import { upsertComment } from './comment.js'
import { attachToRelease } from './release.js'

/** With `reuse`, each uploaded video's record, so a later run of the same request finds it; a failure costs only that. */
async function leaveForReuse(done: Array<{ result: VideoResult; video: Downloaded }>, job: Job): Promise<void> {
  for (const { result, video } of done) {
    const { artifact, fingerprint, exportKey } = result
    if (!artifact || !fingerprint || !exportKey) continue
    const record = {
      artifactId: artifact.id,
      fileName: artifact.zipped ? path.basename(video.path) : artifact.name,
      videoName: path.basename(video.path),
      exportKey,
      generation: result.generation
    }
    try {
      await recordReusable(fingerprint, record, job.runner, job.artifact.retentionDays, loadArtifactClient)
    } catch (error) {
      warning(`reuse: could not leave a record of ${result.name} for later runs (${errorMessage(error)})`)
    }
  }
}

/**
 * Delivers what the run downloaded: the artifact (one per video, or one holding all of a batch), each
 * video's SHA-256, release assets and the pull request comment. Fills each result as it goes, so a
 * failure part-way still leaves the report everything that was done.
 */
export async function deliverAll(results: VideoResult[], job: Job, github: GitHub | undefined): Promise<void> {
  const done = results.flatMap((result) => (result.status === 'downloaded' && result.video ? [{ result, video: result.video }] : []))
  if (job.batch.artifactPerVideo || job.videos.length === 1) {
    for (const { result, video } of done) result.artifact = await uploadVideoArtifact(video, result.exportKey ?? '', job.artifact, job.runner)
  } else {
    const shared = await uploadVideosArtifact(
      done.map(({ video }) => video),
      done.map(({ result }) => result.exportKey ?? ''),
      job.outputDir,
      job.artifact,
      job.runner
    )
    for (const { result } of done) result.artifact = shared
  }
  for (const { result, video } of done) result.sha256 = await videoSha256(video, result.artifact)
  if (job.github.reuse) await leaveForReuse(done, job)
  if (!github) return
  if (job.github.release) {
    const { tag, replace } = job.github.release
    const urls = await attachToRelease(
      github,
      tag,
      replace,
      done.map(({ video }) => video)
    )
    for (const { result, video } of done) result.releaseUrl = urls.get(video.path)
  }
  if (job.github.comment) await upsertComment(github, results, job.runner)
}
