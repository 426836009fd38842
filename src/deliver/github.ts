import type { VideoResult } from '../batch/batch.js'
import type { GitHub } from '../github/connect.js'
import { commentBody } from '../report/batch.js'
import type { GitHubSettings } from '../settings/delivery.js'
import { upsertComment } from './comment.js'
import { attachToRelease } from './release.js'

/** Release assets and the pull request comment, for the videos a run delivered. */
export async function deliverOnGitHub(github: GitHub | undefined, settings: GitHubSettings, results: VideoResult[]): Promise<void> {
  if (!github) return
  if (settings.release) {
    const videos = results.flatMap((result) => result.outcome.video ?? [])
    const urls = await attachToRelease(github, settings.release.tag, settings.release.replace, videos)
    for (const result of results) if (result.outcome.video) result.outcome.releaseUrl = urls.get(result.outcome.video.path)
  }
  if (settings.comment) {
    const { serverUrl, repo, runId } = github.context
    await upsertComment(github, commentBody(results, `${serverUrl}/${repo.owner}/${repo.repo}/actions/runs/${runId}`))
  }
}
