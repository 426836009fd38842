/** After a cancel signal, the run has this long to report before it exits regardless. */
const CANCEL_GRACE_MS = 5000

/**
 * A signal that SIGINT or SIGTERM (a cancelled workflow, Ctrl-C) aborts, so every wait and request
 * stops and the run reports what it had; `dispose` stops listening.
 */
export function cancelOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const cancel = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    cancel.abort(new Error(`The run was cancelled (${name})`))
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return {
    signal: cancel.signal,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}
