import type { GitHubSettings } from '../settings/delivery.js'

/** Octokit (with GITHUB_API_URL, proxies) and the run's context; loaded only when a feature needs them. */
export async function connectGitHub(settings: GitHubSettings) {
  const github = await import('@actions/github')
  return { octokit: github.getOctokit(settings.token ?? ''), context: github.context }
}

export type GitHub = Awaited<ReturnType<typeof connectGitHub>>
