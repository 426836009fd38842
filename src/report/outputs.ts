import * as core from '@actions/core'
import type { VideoResult } from '../domain.js'
import { info, redact, warning } from '../log.js'
import { OUTPUT_LIMIT_BYTES, boundVideosJson } from './bounds.js'
import type { Shard } from '../job/plan.js'
import { videoEntries, type VideoEntry } from '../github/results.js'

/** Sets one output, with any masked secret a value echoes hidden: outputs are not masked by the runner once read. */
const setOutput = (name: string, value: string | number): void => core.setOutput(name, redact(String(value)))

/**
 * The `videos` output: one object a video, for later steps to read with fromJSON; kept under GitHub's
 * limit for an output, the log saying what had to be left out.
 */
export function setVideosOutput(entries: VideoEntry[]): void {
  const { json, dropped, omitted } = boundVideosJson(entries)
  if (dropped.length > 0 || omitted > 0) {
    warning(
      `The 'videos' output would pass GitHub's ${OUTPUT_LIMIT_BYTES >> 20} MiB limit for an output: ` +
        (dropped.length > 0 ? `${dropped.join(', ')} ${dropped.length === 1 ? 'is' : 'are'} left empty in every entry` : '') +
        (dropped.length > 0 && omitted > 0 ? ', and ' : '') +
        (omitted > 0 ? `the last ${omitted} of ${entries.length} entries are left out` : '') +
        '; the log names every video and its export key'
    )
  }
  setOutput('videos', json)
}

/** Sets the step outputs: `videos` always; the single-video outputs from a plan's only video. */
export function setOutputs(results: VideoResult[]): void {
  setVideosOutput(videoEntries(results))
  if (results.length !== 1) return
  const [result] = results
  if (result.exportKey) {
    setOutput('export-key', result.exportKey)
    setOutput('project-id', result.exportKey) // the former name of export-key, kept as an alias
  }
  if (result.videoUrl) setOutput('video-url', result.videoUrl)
  if (result.thumbnailUrl) setOutput('thumbnail-url', result.thumbnailUrl)
  if (result.credits !== undefined) setOutput('credits', result.credits)
  if (result.video) {
    setOutput('video-path', result.video.path)
    setOutput('video-size', result.video.size)
    const { durationSeconds, width, height } = result.video.mp4
    setOutput('video-duration', durationSeconds.toFixed(3))
    if (width !== undefined && height !== undefined) {
      setOutput('video-width', width)
      setOutput('video-height', height)
    }
  }
  if (result.sha256) setOutput('video-sha256', result.sha256)
  if (result.artifact) {
    setOutput('artifact-id', result.artifact.id)
    setOutput('artifact-url', result.artifact.url)
  }
  if (result.dryRun) setOutput('request-path', result.dryRun.path)
  if (result.draft) {
    setOutput('draft-project-id', result.draft.projectId)
    setOutput('draft-url', result.draft.url)
  }
}

/** An accepted export's key, written the moment it exists (a single-video job's `export-key`, alias `project-id`): a kill later still leaves it. */
export function setKeyOutput(result: VideoResult, videos: number): void {
  if (videos !== 1 || !result.exportKey) return
  setOutput('export-key', result.exportKey)
  setOutput('project-id', result.exportKey)
}

/**
 * Plan mode: the matrix of shards for `strategy.matrix: ${{ fromJSON(...) }}`, and how many videos it
 * holds: GitHub fails a job whose matrix is empty, so the render job is guarded by `count != '0'`.
 * Nothing is sent.
 */
export function setMatrixOutput(shards: Shard[], pipeline: string): void {
  setOutput('matrix', JSON.stringify({ include: shards }))
  setOutput('pipeline', pipeline)
  const videos = shards.reduce((sum, shard) => sum + shard.video.split(',').length, 0)
  setOutput('count', String(videos))
  info(`Plan: ${videos} video(s) in ${shards.length} job(s), nothing sent`)
}
