import * as core from '@actions/core'
import * as path from 'node:path'
import type { Outcome } from './outcome.js'
import { resumeHint } from './resume.js'

export const escape = (text: string): string => text.replace(/[<>&|]/g, (c) => `&#${c.charCodeAt(0)};`)

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** Outside a runner (a local run) there is no summary file to write to. */
export async function write(summary: typeof core.summary): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await summary.write()
  else summary.emptyBuffer()
}

function rows(outcome: Outcome): string[][] {
  const seconds = ((Date.now() - outcome.startedAt) / 1000).toFixed(1)
  const table = [
    ['Source', escape(outcome.source)],
    ['Export key', outcome.exportKey ? `<code>${escape(outcome.exportKey)}</code>` : '(not exported)'],
    ['Time taken', `${seconds} s${outcome.polls ? ` (${outcome.polls} progress checks)` : ''}`]
  ]
  if (outcome.video) {
    table.push(['Video', `<code>${escape(path.basename(outcome.video.path))}</code>, ${formatBytes(outcome.video.size)}`])
  }
  if (outcome.sha256) table.push(['SHA-256', `<code>${outcome.sha256}</code>`])
  if (outcome.artifact) table.push(['Artifact', `<a href="${outcome.artifact.url}">${escape(outcome.artifact.name)}</a>`])
  return table
}

/** The job summary of a run that ended with a video. */
export async function writeSuccessSummary(outcome: Outcome): Promise<void> {
  await write(
    core.summary.addHeading('🎬 AI Studios video rendered', 2).addTable(rows(outcome).map(([k, v]) => [{ data: k, header: true }, v]))
  )
}

/** The job summary of a run that failed: what went wrong and, once exported, how to resume. */
export async function writeFailureSummary(outcome: Outcome, message: string): Promise<void> {
  const summary = core.summary
    .addHeading('❌ AI Studios video not delivered', 2)
    .addRaw(`<p>${escape(message)}</p>`, true)
  if (outcome.exportKey) summary.addRaw(`<p><strong>Resume:</strong> ${escape(resumeHint(outcome.exportKey, outcome.generation))}</p>`, true)
  await write(summary.addTable(rows(outcome).map(([k, v]) => [{ data: k, header: true }, v])))
}

/** The job summary of a run that started the export and did not wait for it (`wait: false`). */
export async function writeStartedSummary(outcome: Outcome): Promise<void> {
  const key = outcome.exportKey ?? ''
  await write(
    core.summary
      .addHeading('⏳ AI Studios export started', 2)
      .addRaw(`<p>Export <code>${escape(key)}</code> is rendering. ${escape(resumeHint(key, outcome.generation))}</p>`, true)
      .addTable(rows(outcome).map(([k, v]) => [{ data: k, header: true }, v]))
  )
}

/** The job summary of a dry run: the request that would have been sent. */
export async function writeDryRunSummary(method: string, url: string, bodyJson: string, requestPath: string): Promise<void> {
  await write(
    core.summary
      .addHeading('AI Studios dry run: nothing was exported', 2)
      .addRaw(`<p><code>${method} ${escape(url)}</code>, saved as <code>${escape(requestPath)}</code></p>`, true)
      .addCodeBlock(bodyJson, 'json')
  )
}
