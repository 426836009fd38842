import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import type { ExportRequest, RunnerEnv } from '../domain.js'
import { ExportUnconfirmedError } from '../errors.js'
import { LEDGER_CANCEL_GRACE_MS, findEarlierExport, recordExport, recordUnconfirmed, type DeliveredVideo } from './ledger.js'
import { after, withDeadline } from '../waits.js'

/**
 * Starts the export, the one step that spends credits, at most once per request and workflow run: a
 * re-run attempt re-attaches to the export an earlier attempt started for the same request.
 */
export async function exportOnce(
  client: AiStudiosClient,
  request: ExportRequest,
  /** The request's fingerprint (ledger.ts), under which an earlier attempt's export is found. */
  fingerprint: string,
  runner: RunnerEnv,
  context: CallContext,
  /** What may cut the request once sent (only the runner's cancel), what keeps it from being sent, and its last moment. */
  bounds: { cancel?: AbortSignal; deadlineAt: number },
  /**
   * Told when the request went out but no answer says whether it was taken, what an accepted one cost,
   * and its key the moment it is known (before the ledger is written, which may take a while).
   */
  { onUnconfirmed, onCredits, onAccepted }: { onUnconfirmed: () => void; onCredits: (credits: number) => void; onAccepted: (key: string) => void }
): Promise<{ key: string; delivered?: DeliveredVideo; earlier?: true }> {
  const { log } = context
  const earlier = await findEarlierExport(fingerprint, runner, log, context.signal, bounds.deadlineAt)
  if (earlier?.delivered) {
    log.notice(
      `Re-run attempt ${runner.runAttempt}: attempt ${earlier.delivered.attempt} delivered this request (export ${earlier.key}) as the ` +
        `artifact ${earlier.delivered.artifactName}, and 'cleanup' deleted its project; nothing is exported or waited for`
    )
    onAccepted(earlier.key)
    return { key: earlier.key, delivered: earlier.delivered, earlier: true }
  }
  if (earlier) {
    log.notice(
      `Re-run attempt ${runner.runAttempt}: an earlier attempt already exported this request as ${earlier.key}; ` +
        'waiting for that export instead of paying for a new one'
    )
    onAccepted(earlier.key)
    return { key: earlier.key, earlier: true }
  }
  log.info(`Exporting: POST ${client.exportTarget(request).url}`)
  let accepted
  try {
    accepted = await client.startExport(request, { ...context, signal: bounds.cancel }, { stop: context.signal, deadlineAt: bounds.deadlineAt })
  } catch (error) {
    if (error instanceof ExportUnconfirmedError) {
      onUnconfirmed()
      // It may have been taken: a re-run attempt must not send it blindly again. Bounded as the record of an accepted one.
      const grace = bounds.cancel && after(bounds.cancel, LEDGER_CANCEL_GRACE_MS)
      await recordUnconfirmed(fingerprint, runner, log, withDeadline(Math.max(LEDGER_CANCEL_GRACE_MS, bounds.deadlineAt - Date.now()), grace).signal)
    }
    throw error
  }
  const { key, credits } = accepted
  if (credits !== undefined) onCredits(credits)
  log.info(`Export accepted: ${key}${credits === undefined ? '' : ` (${credits} credits)`}`)
  onAccepted(key)
  // The record is what keeps a re-run attempt from paying again: a stop of the run's own (fail-fast) does
  // not cut it, a cancel leaves it LEDGER_CANCEL_GRACE_MS, and the video's deadline bounds it.
  const grace = bounds.cancel && after(bounds.cancel, LEDGER_CANCEL_GRACE_MS)
  await recordExport(fingerprint, { key, generation: request.generation }, runner, log, withDeadline(bounds.deadlineAt - Date.now(), grace).signal)
  return { key }
}
