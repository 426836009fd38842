import * as core from '@actions/core'
import type { ReadRecord, VideoEntry } from '../github/results.js'
import { escapeHtml as escape, formatBytes } from '../text.js'
import { MAX_SUMMARY_TEXT_CHARS, SUMMARY_BUDGET_BYTES, boundedRows, cut } from './bounds.js'

/** What collect says of a planned video that no record mentions. */
export const NO_RESULT = 'no result: its job did not report'

/** The entry of a video no record reported: failed, with why, every other field empty. */
export const failedEntry = (name: string, error: string): VideoEntry => ({
  name,
  status: 'failed',
  'export-key': null,
  'project-id': null,
  path: null,
  url: null,
  'thumbnail-url': null,
  credits: null,
  size: null,
  duration: null,
  width: null,
  height: null,
  sha256: null,
  'reused-from-run': null,
  'artifact-url': null,
  'release-url': null,
  'draft-project-id': null,
  'draft-url': null,
  'reviewed-draft': null,
  error
})

/**
 * One entry a planned video, in the plan's order, from the records of its jobs: the newest attempt's
 * record that was given the video wins. A record may speak only of videos of this plan that its job
 * was given; anything else is refused through `refuse`. Two records of one attempt that both report a
 * video are refused by name, and the video failed: which one is true cannot be told. A video its job was
 * given but did not reach failed with the job's error; a video no record names has no result. Pure.
 */
export function gatherEntries(planned: string[], records: ReadRecord[], refuse: (message: string) => void): VideoEntry[] {
  const isPlanned = new Set(planned)
  const found = new Map<string, { attempt: number; artifact: string; entry: VideoEntry }>()
  for (const { artifact, record } of records) {
    const given = new Set(record.videos.filter((name) => isPlanned.has(name)))
    const strays = [...record.videos.filter((name) => !isPlanned.has(name)), ...record.entries.filter((e) => !given.has(e.name)).map((e) => e.name)]
    if (strays.length > 0)
      refuse(
        `result record ${artifact} speaks of video(s) it was not given in this plan (${[...new Set(strays)].slice(0, 5).join(', ')}): those are ignored`
      )
    for (const name of given) {
      const earlier = found.get(name)
      if (earlier && earlier.attempt > record.attempt) continue
      if (earlier && earlier.attempt === record.attempt) {
        const why = `result records ${earlier.artifact} and ${artifact} both report it for attempt ${record.attempt}`
        refuse(`${why}: video ${name} is taken as failed`)
        // Two pipelines planned from one manifest without the plan's `pipeline` share one pipeline ID: the likeliest cause.
        found.set(name, {
          ...earlier,
          entry: failedEntry(
            name,
            `${why}; if this manifest is planned twice in the run, give each plan's 'pipeline' output to its render and collect jobs, then re-run the job that renders it`
          )
        })
        continue
      }
      const why = record.error ?? `its job ended (${record.outcome}) before this video`
      found.set(name, { attempt: record.attempt, artifact, entry: record.entries.find((e) => e.name === name) ?? failedEntry(name, why) })
    }
  }
  return planned.map((name) => found.get(name)?.entry ?? failedEntry(name, NO_RESULT))
}

/** Whether collect fails for this video: it failed, was skipped, or has no result. */
export const entryFailed = (entry: VideoEntry): boolean => entry.status === 'failed' || entry.status === 'skipped'

/**
 * The batch's outcomes, each its own count, as a single job's summary gives them: a video of a job that did
 * not wait (`wait: false`) was started, not delivered. Pure.
 */
export function entryCounts(entries: VideoEntry[]): string {
  const count = (status: VideoEntry['status']): number => entries.filter((entry) => entry.status === status).length
  const counts = [`${count('downloaded')} delivered`]
  for (const status of ['started', 'draft', 'dry-run', 'failed', 'skipped'] as const) if (count(status) > 0) counts.push(`${count(status)} ${status}`)
  return `${counts.join(', ')} (of ${entries.length})`
}

/**
 * The collect job's summary, within the same budget as a single job's: what failed and why comes first
 * and is measured first, so no truncation hides a failure; then the whole batch, rows past the bounds
 * counted.
 */
export async function writeBatchSummary(entries: VideoEntry[], jobs: number, summaryFile: string | undefined): Promise<void> {
  if (!summaryFile) return
  const key = (entry: VideoEntry, none: string): string => (entry['export-key'] ? `<code>${escape(entry['export-key'])}</code>` : none)
  const failed = entries.filter(entryFailed)
  const failures = boundedRows(
    failed.map((entry) => [escape(entry.name), escape(cut(entry.error ?? entry.status, MAX_SUMMARY_TEXT_CHARS)), key(entry, 'not exported')]),
    SUMMARY_BUDGET_BYTES / 2,
    'failed videos'
  )
  // Drafts saved for review (a draft run's matrix): each named with where to open it, before the run that pays.
  const draftEntries = entries.filter((entry) => entry['draft-project-id'] !== null)
  const drafts = boundedRows(
    draftEntries.map((entry) => [
      escape(entry.name),
      `<code>${escape(entry['draft-project-id'] ?? '')}</code>` +
        (entry['draft-url'] ? `, <a href="${escape(entry['draft-url'])}">open in AI Studios</a>` : '')
    ]),
    (SUMMARY_BUDGET_BYTES - failures.bytes) / 2,
    'drafts',
    "the job's `videos` output names each"
  )
  const all = boundedRows(
    entries.map((entry) => [
      escape(entry.name),
      entry.status,
      key(entry, ''),
      entry.size === null ? '' : formatBytes(entry.size),
      entry['artifact-url'] ? `<a href="${escape(entry['artifact-url'])}">artifact</a>` : ''
    ]),
    SUMMARY_BUDGET_BYTES - failures.bytes - drafts.bytes,
    'videos',
    "the job's `videos` output names each"
  )
  const summary = core.summary
    .addHeading(
      `${failed.length > 0 ? '❌' : entries.some((entry) => entry.status === 'started') ? '⏳' : entries.length > 0 && entries.every((entry) => entry.status === 'draft') ? '📝' : '🎬'} AI Studios batch: ${entryCounts(entries)}`,
      2
    )
    .addRaw(`<p>Gathered from ${jobs} result record(s) of this run's matrix jobs.</p>`, true)
  if (failed.length > 0) {
    summary.addHeading('What failed', 3).addTable([['Video', 'Why', 'Export key'].map((data) => ({ data, header: true })), ...failures.rows])
    if (failures.more) summary.addRaw(`<p>${failures.more}</p>`, true)
  }
  if (draftEntries.length > 0) {
    summary
      .addHeading('Drafts for review', 3)
      .addRaw('<p>Saved in AI Studios, not rendered: nothing was paid. Review each before the run that exports it.</p>', true)
      .addTable([['Video', 'Draft'].map((data) => ({ data, header: true })), ...drafts.rows])
    if (drafts.more) summary.addRaw(`<p>${drafts.more}</p>`, true)
  }
  if (failed.length > 0 || draftEntries.length > 0) summary.addHeading('Every video', 3)
  summary.addTable([['Video', 'Status', 'Export key', 'Size', 'Artifact'].map((data) => ({ data, header: true })), ...all.rows])
  if (all.more) summary.addRaw(`<p>${all.more}</p>`, true)
  await summary.write()
}
