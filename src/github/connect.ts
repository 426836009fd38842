import type { GitHubSettings } from '../domain.js'

/**
 * Octokit (with GITHUB_API_URL, proxies) and the run's context; loaded only when a feature needs them.
 * The token is kept for the one call made without Octokit (release asset uploads).
 */
export async function connectGitHub(settings: GitHubSettings) {
  const github = await import('@actions/github')
  const token = settings.token ?? ''
  return { octokit: github.getOctokit(token), context: github.context, token }
}

export type GitHub = Awaited<ReturnType<typeof connectGitHub>>
