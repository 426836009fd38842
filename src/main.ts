import * as core from '@actions/core'
import * as path from 'node:path'
import { produceBatch } from './batch/run.js'
import { uploadVideoArtifact } from './deliver/artifact.js'
import { deliverOnGitHub } from './deliver/github.js'
import { videoChanged } from './github/changes.js'
import { connectGitHub } from './github/connect.js'
import { videoSha256 } from './download/checksum.js'
import { InputError, errorMessage } from './errors.js'
import type { Outcome } from './report/outcome.js'
import { setOutputs } from './report/outputs.js'
import { resumeHint } from './report/resume.js'
import { writeFailureSummary, writeStartedSummary, writeSuccessSummary } from './report/summary.js'
import { renderVideo } from './render/render.js'
import { needsGitHub, readGitHubSettings, type GitHubSettings } from './settings/delivery.js'
import { checkNoBatch } from './settings/manifest.js'
import { readSettings, type Settings } from './settings/settings.js'

/** After a cancel signal, the run has this long to report before it exits regardless. */
const CANCEL_GRACE_MS = 5000

/** inputs → settings → (request → export → wait → download) → deliver → report */
async function produce(settings: Settings, githubSettings: GitHubSettings, outcome: Outcome, signal: AbortSignal): Promise<void> {
  const github = needsGitHub(githubSettings) ? await connectGitHub(githubSettings) : undefined
  if (github && githubSettings.onlyChanged && !(await videoChanged(github, settings.files))) return
  const result = await renderVideo(settings, outcome, signal)
  if (result.reached === 'dry-run') return
  if (result.reached === 'started') {
    setOutputs(outcome)
    return writeStartedSummary(outcome)
  }
  outcome.artifact = await uploadVideoArtifact(result.video, result.key, settings.artifact)
  outcome.sha256 = await videoSha256(result.video, outcome.artifact)
  await deliverOnGitHub(github, githubSettings, [{ name: path.basename(result.video.path), status: 'downloaded', outcome }])
  setOutputs(outcome)
  await writeSuccessSummary(outcome)
}

async function fail(error: unknown, outcome: Outcome, workspace: string): Promise<void> {
  const message = errorMessage(error)
  if (error instanceof InputError && error.location) {
    const { file, line, column } = error.location
    core.error(message, { file: path.relative(workspace, file), startLine: line, startColumn: column })
  } else {
    core.error(message)
  }
  if (outcome.exportKey) core.error(resumeHint(outcome.exportKey, outcome.generation))
  setOutputs(outcome)
  try {
    await writeFailureSummary(outcome, message)
  } catch (summaryError) {
    core.warning(`The job summary could not be written: ${errorMessage(summaryError)}`)
  }
  process.exitCode = 1
}

export async function run(): Promise<void> {
  const outcome: Outcome = { source: '(inputs not read)', startedAt: Date.now(), generation: 'v3' }
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    cancel.abort(new Error(`The run was cancelled (${signal})`))
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const get = (name: string): string => core.getInput(name)
    if (get('manifest').trim()) {
      await produceBatch(get, workspace, cancel.signal)
    } else {
      checkNoBatch(get)
      await produce(readSettings(get, workspace), readGitHubSettings(get), outcome, cancel.signal)
    }
  } catch (error) {
    await fail(cancel.signal.aborted ? cancel.signal.reason : error, outcome, workspace)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
