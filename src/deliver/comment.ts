import type { RunnerEnv, VideoResult } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { describeMp4, escapeHtml, formatBytes } from '../text.js'
import { info, notice } from '../log.js'

/** Marks the action's own comment, so later runs update it instead of adding another. */
const COMMENT_MARKER = '<!-- aistudios-video-action -->'

/** The pull request comment: what was rendered, with links. Markdown. */
export function commentBody(results: VideoResult[], runUrl: string): string {
  const lines = [
    '### 🎬 AI Studios videos',
    '',
    '| video | status | export key | size | duration and picture | links | thumbnail |',
    '|---|---|---|---|---|---|---|',
    ...results.map(({ name, status, exportKey, exportUnconfirmed, video, artifact, releaseUrl, thumbnailUrl, error }) => {
      const links = [artifact ? `[artifact](${artifact.url})` : '', releaseUrl ? `[release asset](${releaseUrl})` : ''].filter(Boolean)
      const shown = status === 'failed' ? `❌ ${(error ?? '').replace(/\|/g, '\\|').slice(0, 200)}` : status
      // The error is cut short here, so an export that may have been taken says so where its key would be.
      const key = exportKey ? `\`${exportKey}\`` : exportUnconfirmed ? 'may have been accepted: see the run' : ''
      // The URL is the API's: escaped, so it stays an attribute.
      const thumbnail = thumbnailUrl ? `<img src="${escapeHtml(thumbnailUrl)}" alt="" width="160">` : ''
      const facts = video ? describeMp4(video.mp4) : ''
      return `| ${name} | ${shown} | ${key} | ${video ? formatBytes(video.size) : ''} | ${facts} | ${links.join(' · ')} | ${thumbnail} |`
    }),
    '',
    `[Workflow run](${runUrl})`
  ]
  return lines.join('\n')
}

/** Creates the pull request's video comment, or updates it when an earlier run made it. */
export async function upsertComment({ octokit, context }: GitHub, results: VideoResult[], runner: RunnerEnv): Promise<void> {
  const issue_number = (context.payload.pull_request as { number?: number } | undefined)?.number
  if (!issue_number) {
    notice("'comment' is set, but this run is not for a pull request: no comment was written")
    return
  }
  const comments = await octokit.paginate(octokit.rest.issues.listComments, { ...context.repo, issue_number, per_page: 100 })
  const mine = comments.find((comment: { body?: string }) => comment.body?.includes(COMMENT_MARKER))
  const text = `${COMMENT_MARKER}\n${commentBody(results, `${runner.serverUrl}/${runner.repository}/actions/runs/${runner.runId}`)}`
  if (mine) await octokit.rest.issues.updateComment({ ...context.repo, comment_id: mine.id, body: text })
  else await octokit.rest.issues.createComment({ ...context.repo, issue_number, body: text })
  info(`${mine ? 'Updated' : 'Wrote'} the video comment on pull request #${issue_number}`)
}
