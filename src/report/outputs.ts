import * as core from '@actions/core'
import type { Outcome } from './outcome.js'

/** Sets the step outputs for what the run got; unset ones stay empty. */
export function setOutputs(outcome: Outcome): void {
  if (outcome.exportKey) core.setOutput('project-id', outcome.exportKey)
  if (outcome.videoUrl) core.setOutput('video-url', outcome.videoUrl)
  if (outcome.video) {
    core.setOutput('video-path', outcome.video.path)
    core.setOutput('video-size', outcome.video.size)
  }
  if (outcome.sha256) core.setOutput('video-sha256', outcome.sha256)
  if (outcome.artifact) {
    core.setOutput('artifact-id', outcome.artifact.id)
    core.setOutput('artifact-url', outcome.artifact.url)
  }
}
