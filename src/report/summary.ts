import * as core from '@actions/core'
import * as path from 'node:path'
import { notDelivered, type Job, type RunnerEnv, type VideoResult } from '../domain.js'
import { describeMp4, escapeHtml as escape, formatBytes } from '../text.js'
import { redeliverHint, resumeAdvice } from '../resume.js'
import { redact } from '../log.js'
import {
  MAX_SUMMARY_BODY_CHARS,
  MAX_SUMMARY_REQUESTS,
  MAX_SUMMARY_ROWS,
  MAX_SUMMARY_TEXT_CHARS,
  SUMMARY_BUDGET_BYTES,
  boundedRows,
  cut,
  takeWithin,
  utf8Bytes
} from './bounds.js'

type Summary = typeof core.summary

/** The summary with any masked secret its text echoes hidden: the runner masks only its log. */
export const redacted = (summary: Summary): Summary => {
  const text = redact(summary.stringify())
  return summary.emptyBuffer().addRaw(text)
}

/** Whether the user must be told how to resume this video: exported, not delivered. */
export const needsResume = (result: VideoResult): result is VideoResult & { exportKey: string } =>
  result.exportKey !== undefined && (notDelivered(result) || result.status === 'started')

/** Said where a key would be when the export may have been accepted without one coming back. */
const MAYBE_ACCEPTED = 'unknown: the export may have been accepted; find it in AI Studios (My Studio) and resume with its project ID'

/** What to say where the key goes when there is none: never "not exported" for an export that may have been taken. */
const noKey = (result: VideoResult, none: string): string => (result.exportUnconfirmed ? MAYBE_ACCEPTED : none)

/** How to resume it; for a video saved but not delivered (its error tells that), only how to deliver it. */
const resumeOf = (result: VideoResult & { exportKey: string }): string => (result.undelivered ? redeliverHint(result) : resumeAdvice(result))

/** What happened to a batch, each outcome its own count: "0 delivered, 3 started" is not "3 of 3 delivered". */
export function batchCounts(results: VideoResult[]): string {
  const count = (status: VideoResult['status']): number => results.filter((result) => result.status === status).length
  const counts = [`${count('downloaded')} delivered`]
  for (const [status, word] of [
    ['started', 'started'],
    ['draft', 'saved as drafts for review'],
    ['failed', 'failed'],
    ['skipped', 'skipped']
  ] as const) {
    if (count(status) > 0) counts.push(`${count(status)} ${word}`)
  }
  return `${counts.join(', ')} (of ${results.length})`
}

function heading(results: VideoResult[], job: Job | undefined, failed: boolean): string {
  if (job?.dryRun) return 'AI Studios dry run: nothing was exported'
  if (results.length > 1) {
    const icon = failed ? '❌' : results.some((result) => result.status === 'started') ? '⏳' : results.every(isDraft) ? '📝' : '🎬'
    return `${icon} AI Studios videos: ${batchCounts(results)}`
  }
  if (failed) return `❌ AI Studios video${job?.manifest && results.length === 0 ? 's' : ''} not delivered`
  if (results[0] && isDraft(results[0])) return '📝 AI Studios draft saved for review: nothing was rendered or paid'
  return results[0]?.status === 'started' ? '⏳ AI Studios export started' : '🎬 AI Studios video rendered'
}

const isDraft = (result: VideoResult): boolean => result.status === 'draft'

/** A draft's project and where to open it, for review before paying. */
const draftCell = ({ projectId, url }: { projectId: string; url: string }): string =>
  `<code>${escape(projectId)}</code>, <a href="${escape(url)}">open in AI Studios</a>`

/** The drafts a run saved, as rows within a quarter of the summary's budget: what to open before the merge that pays for them. */
function draftRows(results: VideoResult[]): ReturnType<typeof boundedRows> {
  const drafts = results.flatMap((result) => (result.draft ? [[escape(result.name), draftCell(result.draft)]] : []))
  return boundedRows(drafts, SUMMARY_BUDGET_BYTES / 4, 'drafts', 'the <code>videos</code> output names each')
}

/** The drafts listed for review, if there are any. */
function draftsForReview(summary: Summary, drafts: ReturnType<typeof boundedRows>): void {
  if (drafts.rows.length === 0) return
  summary
    .addHeading('Drafts for review', 3)
    .addRaw('<p>Saved in AI Studios, not rendered: nothing was paid. Review each before the run that exports it.</p>', true)
    .addTable([['Video', 'Draft'].map((data) => ({ data, header: true })), ...drafts.rows])
  if (drafts.more) summary.addRaw(`<p>${drafts.more}</p>`, true)
}

/** One video in detail: where it came from, its key, time, file, checksum, artifact. */
function details(summary: Summary, result: VideoResult): void {
  const seconds = ((Date.now() - result.startedAt) / 1000).toFixed(1)
  const rows = [
    ['Source', escape(result.source)],
    ['Export key', result.exportKey ? `<code>${escape(result.exportKey)}</code>` : noKey(result, '(not exported)')],
    ...(result.draft ? [['Draft', draftCell(result.draft)]] : []),
    ...(result.fromDraft
      ? [['Exported from', `reviewed draft <code>${escape(result.fromDraft.projectId)}</code>, saved by run ${result.fromDraft.runId}`]]
      : []),
    ['Time taken', `${seconds} s${result.polls ? ` (${result.polls} progress checks)` : ''}`]
  ]
  if (result.video) {
    rows.push(['Video', `<code>${escape(path.basename(result.video.path))}</code>, ${formatBytes(result.video.size)}`])
    rows.push(['Duration and picture', escape(describeMp4(result.video.mp4))])
  }
  if (result.sha256) rows.push(['SHA-256', `<code>${result.sha256}</code>`])
  if (result.artifact) rows.push(['Artifact', `<a href="${result.artifact.url}">${escape(result.artifact.name)}</a>`])
  if (result.credits !== undefined) rows.push(['Credits', String(result.credits)])
  if (result.reusedFromRun !== undefined) rows.push(['Reused', `the video of run ${result.reusedFromRun}: nothing was exported`])
  if (result.thumbnailUrl) rows.push(['Thumbnail', `<img src="${escape(result.thumbnailUrl)}" alt="thumbnail" width="240">`])
  summary.addTable(rows.map(([key, value]) => [{ data: key, header: true }, value]))
}

/**
 * Several videos: one row each, then what failed and how to resume it, within the summary's budget:
 * the failures (each with its resume hint) are measured first, rows beyond the bounds counted.
 */
function overview(summary: Summary, results: VideoResult[], budget: number): number {
  const failed = results
    .filter(notDelivered)
    .map((result) => [
      escape(result.name),
      escape(cut(result.error ?? 'not started', MAX_SUMMARY_TEXT_CHARS)),
      needsResume(result) ? escape(resumeOf(result)) : noKey(result, 'nothing was exported')
    ])
  const failures = boundedRows(failed, budget / 2, 'failed videos')
  const all = boundedRows(
    results.map(({ name, status, exportKey, video, artifact, reusedFromRun }) => [
      escape(name),
      reusedFromRun === undefined ? status : `${status} (reused from run ${reusedFromRun})`,
      exportKey ? `<code>${escape(exportKey)}</code>` : '',
      video ? `${escape(path.basename(video.path))}, ${formatBytes(video.size)}, ${escape(describeMp4(video.mp4))}` : '',
      artifact ? `<a href="${artifact.url}">${escape(artifact.name)}</a>` : ''
    ]),
    budget - failures.bytes,
    'videos'
  )
  summary.addTable([['Video', 'Status', 'Export key', 'File', 'Artifact'].map((data) => ({ data, header: true })), ...all.rows])
  if (all.more) summary.addRaw(`<p>${all.more}</p>`, true)
  if (failed.length === 0) return all.bytes
  summary.addHeading('What failed', 3).addTable([['Video', 'Why', 'Resume'].map((data) => ({ data, header: true })), ...failures.rows])
  if (failures.more) summary.addRaw(`<p>${failures.more}</p>`, true)
  return all.bytes + failures.bytes
}

/** Dry-run requests, within what is left of the budget: a few shown (each body cut), the rest counted. */
function dryRunRequests(summary: Summary, results: VideoResult[], budget: number): void {
  const blocks = results.flatMap(({ dryRun }) => {
    if (!dryRun) return []
    const { url, body, path: saved } = dryRun
    // The body holds the template's and the API's text: escaped, since the code block is HTML.
    const shown = cut(body, MAX_SUMMARY_BODY_CHARS)
    return [{ intro: `<p><code>POST ${escape(url)}</code>, saved as <code>${escape(saved)}</code></p>`, body: escape(shown) }]
  })
  const { taken, omitted } = takeWithin(blocks, (block) => utf8Bytes(block.intro) + utf8Bytes(block.body) + 64, budget, MAX_SUMMARY_REQUESTS)
  for (const block of taken) summary.addRaw(block.intro, true).addCodeBlock(block.body, 'json')
  if (omitted > 0) summary.addRaw(`<p>… and ${omitted} more request(s), not shown: each is saved in full in its file in 'output-dir'</p>`, true)
}

/**
 * The job summary, for one video or many, whatever happened: written even when the run failed, so
 * every accepted export's key and how to resume it are always there.
 */
export async function writeSummary(results: VideoResult[], runner: RunnerEnv, job: Job | undefined, runError: string | undefined): Promise<void> {
  // Nothing to say when only-changed found nothing to render.
  if (!runner.summaryFile || (results.length === 0 && runError === undefined)) return
  const failed = runError !== undefined || results.some(notDelivered)
  const summary = core.summary.addHeading(heading(results, job, failed), 2)
  if (runError) summary.addRaw(`<p>${escape(cut(runError, MAX_SUMMARY_TEXT_CHARS))}</p>`, true)
  let used = 0
  if (results.length === 1) {
    const [result] = results
    if (result.error && result.error !== runError) summary.addRaw(`<p>${escape(cut(result.error, MAX_SUMMARY_TEXT_CHARS))}</p>`, true)
    if (needsResume(result)) summary.addRaw(`<p><strong>Resume:</strong> ${escape(resumeOf(result))}</p>`, true)
    details(summary, result)
  } else if (results.length > 1) {
    // The drafts are measured first: the table of every video gives up room for them, never the other way.
    const drafts = draftRows(results)
    used = overview(summary, results, SUMMARY_BUDGET_BYTES - drafts.bytes) + drafts.bytes
    draftsForReview(summary, drafts)
  }
  dryRunRequests(summary, results, SUMMARY_BUDGET_BYTES - used)
  await redacted(summary).write()
}

/** Plan mode's summary: the videos the matrix will produce, the first MAX_SUMMARY_ROWS listed and the rest counted. */
export async function writePlanSummary(names: string[], job: Job): Promise<void> {
  if (!job.runner.summaryFile) return
  const { taken, omitted } = takeWithin(names.map(escape), (name) => utf8Bytes(name) + 16, SUMMARY_BUDGET_BYTES, MAX_SUMMARY_ROWS)
  const summary = core.summary.addHeading(`AI Studios plan: ${names.length} video(s)`, 2).addList(taken)
  if (omitted > 0) summary.addRaw(`<p>…and ${omitted} more video(s), not listed (see the <code>matrix</code> output).</p>`, true)
  await summary.write()
}
