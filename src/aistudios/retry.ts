import { ApiError } from '../errors.js'
import { isNetworkError, unreached } from './transport.js'
import { sleep } from '../waits.js'

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** No retry is started that would end past this much time since the first attempt. */
  maxElapsedMs: number
}

export const READ_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000, maxElapsedMs: 120_000 }

/**
 * Tries a failure may have in all, whatever the policy: a host name that does not resolve is asked
 * once more (a DNS hiccup), a refused or unreachable host twice more (a server restarting), so a wrong
 * `api-url` fails within seconds rather than after the policy's two minutes.
 */
export function attemptsFor(error: unknown, policy: RetryPolicy): number {
  const kind = unreached(error)?.kind
  return kind === 'dns' ? 2 : kind === 'refused' || kind === 'unreachable' ? 3 : policy.maxAttempts
}

/** Exponential backoff with "equal jitter"; a server's Retry-After wins when it gives one. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, retryAfterSeconds?: number, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined) return Math.round(retryAfterSeconds * 1000)
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Whether a failed read is worth repeating as it is. */
export function isTransient(error: unknown): boolean {
  if (error instanceof ApiError) return error.transient
  return isNetworkError(error)
}

/** Runs a read until it succeeds, fails for good, or the policy's bounds are reached. */
export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  onRetry: (message: string) => void,
  signal?: AbortSignal
): Promise<T> {
  const started = Date.now()
  for (let n = 1; ; n++) {
    try {
      return await attempt()
    } catch (error) {
      if (!isTransient(error) || n >= attemptsFor(error, policy) || signal?.aborted) throw error
      const retryAfter = error instanceof ApiError ? error.retryAfterSeconds : undefined
      const delay = backoffDelayMs(n, policy, retryAfter)
      if (Date.now() - started + delay > policy.maxElapsedMs) throw error
      const reason = error instanceof Error ? error.message : String(error)
      onRetry(`${what}: ${reason}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${n + 1} of ${attemptsFor(error, policy)})`)
      await sleep(delay, signal)
    }
  }
}
