import * as core from '@actions/core'
import * as path from 'node:path'
import { AiStudiosClient } from './api/client.js'
import { uploadVideoArtifact } from './deliver/artifact.js'
import { sha256File } from './download/checksum.js'
import { downloadVideo } from './download/download.js'
import { exportOnce } from './export/export.js'
import { InputError, RenderError, errorMessage } from './errors.js'
import { reportDryRun } from './report/dry-run.js'
import type { Outcome } from './report/outcome.js'
import { setOutputs } from './report/outputs.js'
import { resumeHint } from './report/resume.js'
import { writeFailureSummary, writeSuccessSummary } from './report/summary.js'
import { buildExportRequest } from './request/build.js'
import { readSettings, type Settings } from './settings/settings.js'
import { waitForVideo } from './wait/wait.js'

/** After a cancel signal, the run has this long to report before it exits regardless. */
const CANCEL_GRACE_MS = 5000

/** inputs → settings → request → export → wait → download → deliver → report */
async function produce(settings: Settings, outcome: Outcome, signal: AbortSignal): Promise<void> {
  const client = new AiStudiosClient(settings.api)
  const source = settings.source
  let key: string
  if (source.kind === 'resume') {
    outcome.source = `export ${source.key} (resumed)`
    outcome.generation = source.generation
    key = outcome.exportKey = source.key
  } else {
    outcome.source = source.kind === 'project' ? `project ${source.projectId}` : `template ${source.template.name}`
    const request = await buildExportRequest(source, settings, client, signal)
    outcome.generation = request.generation
    if (settings.dryRun) return reportDryRun(client, request, settings.outputDir)
    key = await exportOnce(client, request, (accepted) => (outcome.exportKey = accepted), signal)
  }
  core.setOutput('project-id', key)

  const rendered = await waitForVideo(client, key, outcome.generation, settings.wait, signal)
  outcome.videoUrl = rendered.downloadUrl
  outcome.polls = rendered.polls
  core.info(`Downloading ${new URL(rendered.downloadUrl).pathname.split('/').pop()}`)
  outcome.video = await downloadVideo(rendered.downloadUrl, {
    outputDir: settings.outputDir,
    fallbackStem: key,
    requestTimeoutMs: settings.api.requestTimeoutMs,
    signal,
    refreshUrl: async () => {
      const fresh = await client.getProgress(key, outcome.generation, signal)
      if (!fresh.downloadUrl) throw new RenderError(`The API gave no fresh download URL for ${key}`)
      return (outcome.videoUrl = fresh.downloadUrl)
    }
  })
  core.info(`Saved ${path.relative(settings.workspace, outcome.video.path)} (${outcome.video.size} bytes)`)
  outcome.artifact = await uploadVideoArtifact(outcome.video, key, settings.artifact)
  // An unzipped upload already hashed the bytes; hash the file only when nothing else did.
  outcome.sha256 = outcome.artifact?.videoSha256 ?? (await sha256File(outcome.video.path))
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
    const settings = readSettings((name) => core.getInput(name), workspace)
    await produce(settings, outcome, cancel.signal)
  } catch (error) {
    await fail(cancel.signal.aborted ? cancel.signal.reason : error, outcome, workspace)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
