import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import type { RunnerEnv, VideoResult } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { createComment, deleteComment, listComments, pullRequestNumber, updateComment, whoAmI, type IssueComment } from '../github/comments.js'
import { videoEntries, type VideoEntry } from '../github/results.js'
import { exportKey, parseAt } from '../schemas.js'
import { escapeCell, escapeHtml, formatBytes } from '../text.js'
import { info, notice, warning } from '../log.js'

/**
 * The pull request comment: one, the action's own, with a row a video. Rows are kept per video: a run
 * replaces its own videos' rows and leaves the others, so runs that each render some videos (a matrix
 * collected, `only-changed`, two pushes) build one table. The rows travel in the comment itself, in an
 * HTML comment, and are read back only from a comment this token's identity wrote.
 */

/** Marks the action's own comment, so later runs update it instead of adding another. */
const COMMENT_MARKER = '<!-- aistudios-video-action -->'
const ROWS = /<!-- aistudios-rows:([A-Za-z0-9_-]*) -->/
/** The most rows a comment keeps: a bigger batch's full list is in its collect job's summary. */
export const MAX_COMMENT_ROWS = 100
/** GitHub takes 65,536 characters a comment; room is left for the footer. */
const MAX_COMMENT_CHARS = 60_000
/** Rounds of write and re-read before giving up on a comment that keeps changing under concurrent runs. */
const MAX_ROUNDS = 6

const loopbackOrHttps = (text: string): boolean => {
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || (url.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))
  } catch {
    return false
  }
}
const href = z.string().max(2048).refine(loopbackOrHttps, 'is not an https URL')

/** One video's row, as stored in the comment. */
const commentRow = z.object({
  name: z.string().min(1).max(255),
  status: z.enum(['downloaded', 'started', 'draft', 'dry-run', 'failed', 'skipped']),
  key: exportKey.optional(),
  /** A draft's project and where to open it, for review before paying. */
  draft: exportKey.optional(),
  draftUrl: href.optional(),
  size: z.number().int().nonnegative().optional(),
  picture: z.string().max(100).optional(),
  artifact: href.optional(),
  release: href.optional(),
  thumbnail: href.optional(),
  error: z.string().max(300).optional(),
  /** The workflow run that wrote the row: a newer run's row of a video wins. */
  run: z.number().int().positive(),
  /** The manifest of the video's pipeline: rows are kept per pipeline and video, so two manifests' `intro`s stay apart. */
  pipeline: z.string().min(1).max(255).optional()
})
export type CommentRow = z.infer<typeof commentRow>

/** A `videos` entry as a row of run `run` and pipeline `pipeline` (a manifest); long errors are cut, URLs kept only when they are https. */
export function rowOf(entry: VideoEntry, run: number, pipeline?: string): CommentRow {
  const link = (url: string | null): string | undefined => (url && url.length <= 2048 && loopbackOrHttps(url) ? url : undefined)
  const picture =
    entry.duration === null ? undefined : `${entry.duration.toFixed(1)} s${entry.width && entry.height ? `, ${entry.width}×${entry.height}` : ''}`
  return {
    name: entry.name,
    status: entry.status,
    key: entry['export-key'] ?? entry['project-id'] ?? undefined,
    draft: entry['draft-project-id'] ?? undefined,
    draftUrl: link(entry['draft-url']),
    size: entry.size ?? undefined,
    picture,
    artifact: link(entry['artifact-url']),
    release: link(entry['release-url']),
    thumbnail: link(entry['thumbnail-url']),
    error: entry.error === null ? undefined : entry.error.slice(0, 300),
    run,
    pipeline: pipeline && pipeline.length <= 255 ? pipeline : undefined
  }
}

/** This run's rows, of the manifest's pipeline when there is one. */
export const commentRows = (results: VideoResult[], runner: RunnerEnv, manifest?: string): CommentRow[] =>
  videoEntries(results).map((entry) => rowOf(entry, Number(runner.runId) || 1, manifest))

/** What a row stands for: a video of a pipeline (its manifest), or the step's own video. */
const rowKey = (row: CommentRow): string => JSON.stringify([row.pipeline ?? null, row.name])

/** Rows by pipeline and video: a row of a newer (or the same) run replaces the video's earlier row in place. Pure. */
export function mergeRows(earlier: CommentRow[], later: CommentRow[]): CommentRow[] {
  const rows = new Map(earlier.map((row) => [rowKey(row), row]))
  for (const row of later) {
    const old = rows.get(rowKey(row))
    if (!old || old.run <= row.run) rows.set(rowKey(row), row)
  }
  return [...rows.values()]
}

/** A URL as a Markdown link target: no character that could end the link or the cell. */
const target = (url: string): string => new URL(url).href.replace(/[()<>|`"' ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

function tableRow(row: CommentRow, runner: RunnerEnv, pipelines: boolean): string {
  const links = [
    row.artifact ? `[artifact](${target(row.artifact)})` : '',
    row.release ? `[release asset](${target(row.release)})` : '',
    row.draftUrl ? `[open in AI Studios](${target(row.draftUrl)})` : ''
  ]
  const status =
    row.status === 'failed'
      ? `❌ ${escapeCell(row.error ?? 'failed')}`
      : row.status === 'draft'
        ? `📝 draft \`${row.draft ?? ''}\`, for review`
        : row.status
  const thumbnail = row.thumbnail ? `<img src="${escapeHtml(target(row.thumbnail))}" alt="" width="160">` : ''
  const run = `[${row.run}](${target(`${runner.serverUrl}/${runner.repository}/actions/runs/${row.run}`)})`
  const video = pipelines && row.pipeline ? `${escapeCell(row.name)} · ${escapeCell(row.pipeline)}` : escapeCell(row.name)
  return `| ${video} | ${status} | ${row.key ? `\`${row.key}\`` : ''} | ${row.size === undefined ? '' : formatBytes(row.size)} | ${escapeCell(row.picture ?? '')} | ${links.filter(Boolean).join(' · ')} | ${thumbnail} | ${run} |`
}

/** Which rows to keep when there are too many: failures first, then the newest runs'. */
const failed = (row: CommentRow): number => (row.status === 'failed' ? 1 : 0)
const byRank = (a: CommentRow, b: CommentRow): number => failed(b) - failed(a) || b.run - a.run

/** The comment's text: the table of `rows` (bounded in count and size), and the rows themselves for the next run. */
export function commentBody(rows: CommentRow[], runner: RunnerEnv): { body: string; kept: CommentRow[] } {
  let kept = [...rows].sort(byRank).slice(0, MAX_COMMENT_ROWS)
  for (;;) {
    const shown = rows.filter((row) => kept.includes(row))
    const omitted = rows.length - shown.length
    const data = Buffer.from(JSON.stringify(shown)).toString('base64url')
    const body = [
      COMMENT_MARKER,
      '### 🎬 AI Studios videos',
      '',
      '| video | status | export key | size | duration and picture | links | thumbnail | run |',
      '|---|---|---|---|---|---|---|---|',
      ...shown.map((row) => tableRow(row, runner, new Set(shown.map((shownRow) => shownRow.pipeline ?? '')).size > 1)),
      ...(omitted > 0 ? ['', `${omitted} more video(s) are not listed here: see the summary of their workflow run.`] : []),
      `<!-- aistudios-rows:${data} -->`
    ].join('\n')
    if (body.length <= MAX_COMMENT_CHARS || kept.length === 0) return { body, kept: shown }
    kept = kept.slice(0, Math.floor(kept.length * 0.9))
  }
}

/** The rows a comment of ours holds; none (with a warning) where they do not parse. */
function rowsIn(comment: IssueComment): CommentRow[] {
  const data = ROWS.exec(comment.body)?.[1]
  if (data === undefined) return []
  try {
    return parseAt(
      z.array(commentRow).max(MAX_COMMENT_ROWS),
      JSON.parse(Buffer.from(data, 'base64url').toString('utf8')),
      `comment ${comment.id}'s rows`
    )
  } catch (error) {
    warning(`The rows of comment ${comment.id} could not be read; they are replaced (${error instanceof Error ? error.message : String(error)})`)
    return []
  }
}

const same = (a: CommentRow[], b: CommentRow[]): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Merges `rows` into the pull request's comment, creating it when there is none. Only a comment this
 * token's identity wrote is ever edited, whatever marker another holds. Concurrent runs: each writes,
 * waits a moment, re-reads, and writes again until its rows are there and there is one comment
 * (duplicates made by a race are merged into the oldest and deleted). A run with no rows changes nothing.
 */
export async function upsertComment(github: GitHub, rows: CommentRow[], runner: RunnerEnv): Promise<void> {
  const issue = pullRequestNumber(github)
  if (!issue) {
    notice("'comment' is set, but this run is not for a pull request: no comment was written")
    return
  }
  if (rows.length === 0) {
    info(`Nothing was rendered: the comment on pull request #${issue} keeps its rows`)
    return
  }
  const me = await whoAmI(github)
  const warned = new Set<number>()
  for (let round = 1; ; round++) {
    const comments = await listComments(github, issue)
    for (const other of comments.filter((c) => c.body.includes(COMMENT_MARKER) && c.author !== me && !warned.has(c.id))) {
      warned.add(other.id)
      notice(`Comment ${other.id} carries the video comment's marker but was not written by ${me}: it is left alone`)
    }
    const mine = comments.filter((c) => c.author === me && c.body.includes(COMMENT_MARKER))
    const stored = mine.map(rowsIn).reduce(mergeRows, [])
    const { body, kept } = commentBody(mergeRows(stored, rows), runner)
    const [keep, ...extra] = mine
    if (keep && extra.length === 0 && same(rowsIn(keep), kept)) {
      info(`The video comment on pull request #${issue} lists this run's ${rows.length} video(s)`)
      return
    }
    if (round > MAX_ROUNDS) {
      warning(`The video comment on pull request #${issue} kept changing under concurrent runs; it may lack some of this run's rows`)
      return
    }
    if (!keep) await createComment(github, issue, body)
    else await updateComment(github, keep.id, body)
    for (const duplicate of extra) await deleteComment(github, duplicate.id)
    // A concurrent run may have written from what it read before this write: look again in a moment.
    await sleep(200 + Math.random() * 600)
  }
}
