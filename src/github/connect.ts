import { abortReason } from '../waits.js'
import type { GitHubSettings } from '../domain.js'

/** The longest one GitHub API call may take, its answer included (a page of a listing is one call). */
export const GITHUB_CALL_MS = 60_000

/**
 * Octokit (with GITHUB_API_URL, proxies) and the run's context; loaded only when a feature needs them.
 * Every call it makes ends within GITHUB_CALL_MS, and at once when `signal` (the run's cancel) aborts.
 * The token is kept for the one call made without Octokit (release asset uploads), and the signal
 * for the work beside GitHub's calls (the checkout's git).
 */
export async function connectGitHub(settings: GitHubSettings, signal?: AbortSignal) {
  const github = await import('@actions/github')
  const token = settings.token ?? ''
  const octokit = github.getOctokit(token)
  octokit.hook.wrap('request', async (request, options) => {
    const deadline = AbortSignal.timeout(GITHUB_CALL_MS)
    try {
      // A call's own signal (a step's bound) is kept beside the run's cancel and the call's deadline. The
      // options are set in place: the hooks inside this one (the token's) read the call's options, not
      // what is passed on. They are this call's own object; its `request` may be shared, so it is replaced.
      const signals = [options.request.signal, signal, deadline].filter((each) => each !== undefined)
      options.request = { ...options.request, signal: AbortSignal.any(signals) }
      return await request(options)
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal)
      if (options.request.signal?.aborted) throw abortReason(options.request.signal)
      if (deadline.aborted)
        throw new Error(`GitHub did not answer ${options.method} ${options.url} within ${GITHUB_CALL_MS / 1000} s`, { cause: error })
      throw error
    }
  })
  return { octokit, context: github.context, token, signal }
}

export type GitHub = Awaited<ReturnType<typeof connectGitHub>>
