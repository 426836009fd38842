import * as core from '@actions/core'
import * as path from 'node:path'
import { notDelivered, type VideoResult } from '../batch/batch.js'
import type { ManifestEntry } from '../settings/manifest.js'
import { resumeHint } from './resume.js'
import { escape, formatBytes, write } from './summary.js'

/** The `videos` output: one object a video, for later steps to read with fromJSON. */
export function setVideosOutput(results: VideoResult[]): void {
  const videos = results.map(({ name, status, outcome, error }) => ({
    name,
    status,
    'project-id': outcome.exportKey ?? null,
    path: outcome.video?.path ?? null,
    url: outcome.videoUrl ?? null,
    size: outcome.video?.size ?? null,
    sha256: outcome.sha256 ?? null,
    'artifact-url': outcome.artifact?.url ?? null,
    'release-url': outcome.releaseUrl ?? null,
    error: error ?? null
  }))
  core.setOutput('videos', JSON.stringify(videos))
}

export async function writeBatchSummary(results: VideoResult[]): Promise<void> {
  const failed = results.filter(notDelivered)
  const summary = core.summary.addHeading(`🎬 AI Studios videos: ${results.length - failed.length} of ${results.length} delivered`, 2)
  summary.addTable([
    [{ data: 'Video', header: true }, { data: 'Status', header: true }, { data: 'Export key', header: true }, { data: 'File', header: true }, { data: 'Artifact', header: true }],
    ...results.map(({ name, status, outcome }) => [
      escape(name),
      status,
      outcome.exportKey ? `<code>${escape(outcome.exportKey)}</code>` : '',
      outcome.video ? `${escape(path.basename(outcome.video.path))}, ${formatBytes(outcome.video.size)}` : '',
      outcome.artifact ? `<a href="${outcome.artifact.url}">${escape(outcome.artifact.name)}</a>` : ''
    ])
  ])
  if (failed.length > 0) {
    summary.addHeading('What failed', 3).addTable([
      [{ data: 'Video', header: true }, { data: 'Why', header: true }, { data: 'Resume', header: true }],
      ...failed.map(({ name, outcome, error }) => [
        escape(name),
        escape(error ?? 'not started'),
        outcome.exportKey ? escape(resumeHint(outcome.exportKey, outcome.generation)) : 'nothing was exported'
      ])
    ])
  }
  await write(summary)
}

/** Plan mode: the matrix of videos for `strategy.matrix: ${{ fromJSON(...) }}`; nothing is sent. */
export async function writePlan(entries: ManifestEntry[]): Promise<void> {
  const matrix = { include: entries.map((entry) => ({ video: entry.name })) }
  core.setOutput('matrix', JSON.stringify(matrix))
  core.info(`Plan: ${entries.length} video(s), nothing sent: ${entries.map((entry) => entry.name).join(', ')}`)
  await write(
    core.summary
      .addHeading(`AI Studios plan: ${entries.length} video(s)`, 2)
      .addList(entries.map((entry) => escape(entry.name)))
  )
}

/** The pull request comment: what was rendered, with links. Markdown. */
export function commentBody(results: VideoResult[], runUrl: string): string {
  const lines = [
    '### 🎬 AI Studios videos',
    '',
    '| video | status | export key | size | links |',
    '|---|---|---|---|---|',
    ...results.map(({ name, status, outcome, error }) => {
      const links = [
        outcome.artifact ? `[artifact](${outcome.artifact.url})` : '',
        outcome.releaseUrl ? `[release asset](${outcome.releaseUrl})` : ''
      ].filter(Boolean)
      const shown = status === 'failed' ? `❌ ${(error ?? '').replace(/\|/g, '\\|').slice(0, 200)}` : status
      const key = outcome.exportKey ? `\`${outcome.exportKey}\`` : ''
      return `| ${name} | ${shown} | ${key} | ${outcome.video ? formatBytes(outcome.video.size) : ''} | ${links.join(' · ')} |`
    }),
    '',
    `[Workflow run](${runUrl})`
  ]
  return lines.join('\n')
}
