import * as path from 'node:path'
import { AiStudiosClient } from '../api/client.js'
import { downloadVideo, type Downloaded } from '../download/download.js'
import { RenderError } from '../errors.js'
import { exportOnce } from '../export/export.js'
import { reportDryRun } from '../report/dry-run.js'
import { labelled } from '../report/log.js'
import type { Outcome } from '../report/outcome.js'
import { resumeHint } from '../report/resume.js'
import { buildExportRequest } from '../request/build.js'
import type { Settings } from '../settings/settings.js'
import { waitForVideo } from '../wait/wait.js'

/** How far a render got: only printed (dry run), exported and left to render, or downloaded. */
export type Reached = { reached: 'dry-run' } | { reached: 'started'; key: string } | { reached: 'downloaded'; key: string; video: Downloaded }

/**
 * One video, from settings to a file on disk: request → export → wait → download. Fills `outcome`
 * step by step, so whoever handles a failure knows how far it got (above all, the export key).
 */
export async function renderVideo(settings: Settings, outcome: Outcome, signal: AbortSignal): Promise<Reached> {
  const info = labelled(settings.label)
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
    if (settings.dryRun) {
      await reportDryRun(client, request, settings.outputDir, settings.label)
      return { reached: 'dry-run' }
    }
    key = await exportOnce(client, request, (accepted) => (outcome.exportKey = accepted), signal)
  }
  if (!settings.waitForRender) {
    info(`Not waiting ('wait' is false). ${resumeHint(key, outcome.generation)}`)
    return { reached: 'started', key }
  }

  const rendered = await waitForVideo(client, key, outcome.generation, settings.wait, signal, settings.label)
  outcome.videoUrl = rendered.downloadUrl
  outcome.polls = rendered.polls
  info(`Downloading ${new URL(rendered.downloadUrl).pathname.split('/').pop()}`)
  const video = await downloadVideo(rendered.downloadUrl, {
    outputDir: settings.outputDir,
    fileName: settings.outputName,
    fallbackStem: key,
    requestTimeoutMs: settings.api.requestTimeoutMs,
    signal,
    refreshUrl: async () => {
      const fresh = await client.getProgress(key, outcome.generation, signal)
      if (!fresh.downloadUrl) throw new RenderError(`The API gave no fresh download URL for ${key}`)
      return (outcome.videoUrl = fresh.downloadUrl)
    }
  })
  outcome.video = video
  info(`Saved ${path.relative(settings.workspace, video.path)} (${video.size} bytes)`)
  return { reached: 'downloaded', key, video }
}
