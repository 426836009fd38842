/** After a cancel signal, the run has this long to report before it exits regardless. */
const CANCEL_GRACE_MS = 5000

/**
 * The signals that cancel a run: SIGTERM (a cancelled workflow on Linux and macOS runners), SIGINT
 * (Ctrl-C, and how a Windows runner cancels, where SIGTERM does not exist) and SIGBREAK (Ctrl-Break on
 * Windows; elsewhere it can be listened to but never arrives).
 */
export const CANCEL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGBREAK']

/**
 * A signal that any of CANCEL_SIGNALS aborts, so every wait and request stops and the run reports what
 * it had; `dispose` stops listening.
 */
export function cancelOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const cancel = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    cancel.abort(new Error(`The run was cancelled (${name})`))
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  for (const name of CANCEL_SIGNALS) process.once(name, onSignal)
  return {
    signal: cancel.signal,
    dispose: () => {
      for (const name of CANCEL_SIGNALS) process.off(name, onSignal)
    }
  }
}
