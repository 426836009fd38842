import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import type { Outcome } from '../report/outcome.js'
import { renderVideo } from '../render/render.js'
import type { ManifestEntry } from '../settings/manifest.js'

export type VideoStatus = 'downloaded' | 'started' | 'dry-run' | 'failed' | 'skipped'

export interface VideoResult {
  name: string
  status: VideoStatus
  outcome: Outcome
  error?: string
}

/** A video the run did not deliver: it failed, or fail-fast stopped it before it started. */
export const notDelivered = (result: VideoResult): boolean => result.status === 'failed' || result.status === 'skipped'

/**
 * Renders every entry, up to `maxParallel` at a time, each with its own export, wait and download.
 * A failure does not abandon the others unless `failFast`, which stops the rest (not yet started:
 * skipped; under way: cancelled, their export keys kept for resuming).
 */
export async function renderAll(
  entries: ManifestEntry[],
  { maxParallel, failFast }: { maxParallel: number; failFast: boolean },
  signal: AbortSignal
): Promise<VideoResult[]> {
  const stop = new AbortController()
  const forward = (): void => stop.abort(signal.reason)
  signal.addEventListener('abort', forward, { once: true })
  const results: VideoResult[] = entries.map((entry) => ({
    name: entry.name,
    status: 'skipped',
    outcome: { source: '', startedAt: Date.now(), generation: 'v3' }
  }))
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < entries.length && !stop.signal.aborted) {
      const index = next++
      const result = results[index]
      result.outcome.startedAt = Date.now()
      core.info(`▶ ${result.name}`)
      try {
        result.status = (await renderVideo(entries[index].settings, result.outcome, stop.signal)).reached
      } catch (error) {
        result.status = 'failed'
        result.error = errorMessage(stop.signal.aborted ? stop.signal.reason : error)
        core.error(`${result.name}: ${result.error}`)
        if (failFast && !stop.signal.aborted) stop.abort(new Error(`cancelled: another video failed ('fail-fast' is true)`))
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(maxParallel, entries.length) }, worker))
  } finally {
    signal.removeEventListener('abort', forward)
  }
  return results
}
