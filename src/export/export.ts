import * as core from '@actions/core'
import type { AiStudiosClient } from '../api/client.js'
import type { ExportRequest } from '../api/types.js'
import { findEarlierExport, recordExport, requestFingerprint } from './ledger.js'

/**
 * Starts the export, the one step that spends credits, at most once per request and workflow run: a
 * re-run attempt re-attaches to the export an earlier attempt started for the same request.
 */
export async function exportOnce(
  client: AiStudiosClient,
  request: ExportRequest,
  /** Told the key the moment it is known, before anything else can fail. */
  onAccepted: (key: string) => void,
  signal?: AbortSignal
): Promise<string> {
  const fingerprint = requestFingerprint(request)
  const earlier = await findEarlierExport(fingerprint)
  if (earlier) {
    core.notice(
      `Re-run attempt ${process.env.GITHUB_RUN_ATTEMPT}: an earlier attempt already exported this request as ${earlier.key}; ` +
        'waiting for that export instead of paying for a new one'
    )
    onAccepted(earlier.key)
    return earlier.key
  }
  core.info(`Exporting: POST ${client.exportTarget(request).url}`)
  const key = await client.startExport(request, signal)
  core.info(`Export accepted: ${key}`)
  onAccepted(key)
  await recordExport(fingerprint, { key, generation: request.generation })
  return key
}
