import * as core from '@actions/core'
import type { VideoResult } from '../domain.js'
import { info } from '../log.js'

/** The `videos` output: one object a video, for later steps to read with fromJSON. */
function videosOutput(results: VideoResult[]): string {
  return JSON.stringify(
    results.map((result) => ({
      name: result.name,
      status: result.status,
      'project-id': result.exportKey ?? null,
      path: result.video?.path ?? null,
      url: result.videoUrl ?? null,
      'thumbnail-url': result.thumbnailUrl ?? null,
      credits: result.credits ?? null,
      size: result.video?.size ?? null,
      duration: result.video?.mp4.durationSeconds ?? null,
      width: result.video?.mp4.width ?? null,
      height: result.video?.mp4.height ?? null,
      sha256: result.sha256 ?? null,
      'reused-from-run': result.reusedFromRun ?? null,
      'artifact-url': result.artifact?.url ?? null,
      'release-url': result.releaseUrl ?? null,
      error: result.error ?? null
    }))
  )
}

/** Sets the step outputs: `videos` always; the single-video outputs from a plan's only video. */
export function setOutputs(results: VideoResult[]): void {
  core.setOutput('videos', videosOutput(results))
  if (results.length !== 1) return
  const [result] = results
  if (result.exportKey) core.setOutput('project-id', result.exportKey)
  if (result.videoUrl) core.setOutput('video-url', result.videoUrl)
  if (result.thumbnailUrl) core.setOutput('thumbnail-url', result.thumbnailUrl)
  if (result.credits !== undefined) core.setOutput('credits', result.credits)
  if (result.video) {
    core.setOutput('video-path', result.video.path)
    core.setOutput('video-size', result.video.size)
    const { durationSeconds, width, height } = result.video.mp4
    core.setOutput('video-duration', durationSeconds.toFixed(3))
    if (width !== undefined && height !== undefined) {
      core.setOutput('video-width', width)
      core.setOutput('video-height', height)
    }
  }
  if (result.sha256) core.setOutput('video-sha256', result.sha256)
  if (result.artifact) {
    core.setOutput('artifact-id', result.artifact.id)
    core.setOutput('artifact-url', result.artifact.url)
  }
  if (result.dryRun) core.setOutput('request-path', result.dryRun.path)
}

/** An accepted export's key, written the moment it exists (a single-video job's `project-id`): a kill later still leaves it. */
export function setKeyOutput(result: VideoResult, videos: number): void {
  if (videos === 1 && result.exportKey) core.setOutput('project-id', result.exportKey)
}

/** Plan mode: the matrix of videos for `strategy.matrix: ${{ fromJSON(...) }}`; nothing is sent. */
export function setMatrixOutput(names: string[]): void {
  core.setOutput('matrix', JSON.stringify({ include: names.map((video) => ({ video })) }))
  info(`Plan: ${names.length} video(s), nothing sent: ${names.join(', ')}`)
}
