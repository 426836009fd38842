/**
 * Waiting with signals: sleeping until a signal aborts, and giving up on work that takes none. A leaf
 * module: every step's waits use it, and it uses nothing of theirs.
 */

/** Why a signal was aborted, as an Error (a cancel gives one; anything else is wrapped). */
export const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason), { cause: signal.reason })

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      if (signal) reject(abortReason(signal))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })

let abandoned = 0

/** Whether work was left behind by untilCancelled (an upload still open): the process must end without waiting for it. */
export const workAbandoned = (): boolean => abandoned > 0

/**
 * Waits for work that takes no signal of its own (the artifact client, Octokit calls) only until the
 * signal aborts: then rejects with its reason at once, the work left behind, so a cancelled run
 * reports and exits instead of waiting on it.
 */
export function untilCancelled<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work
  let onAbort = (): void => {}
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => {
      abandoned++
      reject(abortReason(signal))
    }
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  // The work may fail after the cancel won the race: that failure is nobody's to handle.
  work.catch(() => {})
  return Promise.race([work, cancelled]).finally(() => signal.removeEventListener('abort', onAbort))
}

/** A signal that aborts `ms` after `signal` does (at once counting from now, when it already has). */
export function after(signal: AbortSignal, ms: number): AbortSignal {
  const later = new AbortController()
  const start = (): void => void setTimeout(() => later.abort(new Error(`${ms} ms after the cancel`)), ms).unref()
  if (signal.aborted) start()
  else signal.addEventListener('abort', start, { once: true })
  return later.signal
}

/**
 * A deadline `ms` from now (at least 1 ms), and the signal that aborts at it or with `signal`, whichever
 * comes first: `deadline.aborted` then tells which of the two ended the wait.
 */
export function withDeadline(ms: number, signal?: AbortSignal): { deadline: AbortSignal; signal: AbortSignal } {
  const deadline = AbortSignal.timeout(Math.max(1, ms))
  return { deadline, signal: signal ? AbortSignal.any([signal, deadline]) : deadline }
}
