import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ExportRequest, Generation, Log, RunnerEnv } from '../domain.js'
import { ExportNotSentError, errorMessage } from '../errors.js'
import { exportKey } from '../schemas.js'
import { untilCancelled, withDeadline } from '../waits.js'
import { loadArtifactClient } from '../github/artifact-service.js'

/**
 * A ledger of exports kept as tiny artifacts of the workflow run, one per export, named after the
 * request's fingerprint and the export key. A re-run attempt of a failed job finds there the export an
 * earlier attempt started for the same request, and waits for it instead of paying again.
 */

const PREFIX = 'aistudios-ledger-'

export interface LedgerEntry {
  key: string
  generation: Generation
}

/**
 * SHA-256 of everything that decides the video: the generation and the exact body, and for a saved
 * project exported as it is, the call and what the project held (its body names only its ID).
 */
export function requestFingerprint(request: ExportRequest): string {
  const saved = request.kind === 'saved' ? `saved ${request.content ?? ''}\n` : ''
  return createHash('sha256')
    .update(`${request.generation}\n${saved}${JSON.stringify(request.body)}`)
    .digest('hex')
    .slice(0, 32)
}

/**
 * The fingerprint of the export a draft stands for: the same request exporting (`isExport: true`), which
 * a run without `draft` makes, so `from-draft` finds the draft under its own request. Any other request's own.
 */
export function exportFingerprint(request: ExportRequest): string {
  if (request.kind !== 'draft') return requestFingerprint(request)
  return requestFingerprint({ generation: request.generation, content: request.content, body: { ...request.body, isExport: true } })
}

/**
 * Why an export will never deliver: `dead`, its render stalled after it had started; `lost`, the API
 * stopped knowing its key.
 */
export type ExportEnd = 'dead' | 'lost'

/** An export accepted for a request, or its end, marked by the attempt that saw it. */
type LedgerMark = LedgerEntry | { end: ExportEnd; key: string }

const isEnd = (mark: LedgerMark): mark is { end: ExportEnd; key: string } => 'end' in mark

function ledgerName(fingerprint: string, mark: LedgerMark): string {
  return `${PREFIX}${fingerprint}-${isEnd(mark) ? mark.end : mark.generation}-${mark.key}`
}

function parseLedgerName(name: string, fingerprint: string): LedgerMark | undefined {
  const match = new RegExp(`^${PREFIX}${fingerprint}-(v3|legacy|dead|lost)-(.+)$`).exec(name)
  if (!match) return undefined
  const [, kind, key] = match
  return kind === 'dead' || kind === 'lost' ? { end: kind, key } : { generation: kind as Generation, key }
}

const END_REASON: Record<ExportEnd, string> = {
  dead: 'stalled and was declared dead',
  lost: 'was lost: the API no longer knew its key'
}

/** How long an accepted export's record may still take after a cancel: it is what keeps a re-run from paying again. */
export const LEDGER_CANCEL_GRACE_MS = 2000

/** The longest the ledger is read for (a list of the run's artifacts): past it, nothing is exported. */
export const LEDGER_READ_MS = 30_000

/**
 * On a re-run attempt, the export an earlier attempt started for the same request, if any; never one
 * an earlier attempt declared dead (its render stalled) or lost (the API forgot it), which would only
 * end the same way again. Read within LEDGER_READ_MS and the video's deadline; `signal` (a stop) ends it.
 */
export async function findEarlierExport(
  fingerprint: string,
  runner: RunnerEnv,
  log: Log,
  signal: AbortSignal | undefined,
  deadlineAt: number
): Promise<LedgerEntry | undefined> {
  if (!runner.artifactService || runner.runAttempt <= 1) return undefined
  const boundMs = Math.max(1, Math.min(LEDGER_READ_MS, deadlineAt - Date.now()))
  const { deadline: bound, signal: until } = withDeadline(boundMs, signal)
  let marks: LedgerMark[]
  try {
    const { artifacts } = await untilCancelled((await loadArtifactClient()).listArtifacts(), until)
    const named = artifacts.flatMap((artifact) => parseLedgerName(artifact.name, fingerprint) ?? [])
    // Any job of the run may have written an entry: a key is used only when it has an export key's shape.
    marks = named.filter((mark) => exportKey.safeParse(mark.key).success)
    const ignored = named.length - marks.length
    if (ignored > 0) {
      log.warning(
        `${ignored} export ledger ${ignored === 1 ? 'entry' : 'entries'} of this request held no export key and ${ignored === 1 ? 'was' : 'were'} ignored`
      )
    }
  } catch (error) {
    if (signal?.aborted) throw error
    const why = bound.aborted ? `no answer within ${(boundMs / 1000).toFixed(1)} s` : errorMessage(error)
    // An earlier attempt may have paid for this very request: not knowing, nothing is sent.
    throw new ExportNotSentError(
      `the export ledger of earlier attempts could not be read (${why}), and an earlier attempt may have exported this request; ` +
        "rather than pay twice, nothing was sent. Re-run the job once the artifact service answers, or resume the key an earlier attempt's log gives"
    )
  }
  const ends = new Map(marks.flatMap((mark) => (isEnd(mark) ? [[mark.key, mark.end] as const] : [])))
  const exports = marks.filter((mark): mark is LedgerEntry => !isEnd(mark))
  const alive = exports.find((entry) => !ends.has(entry.key))
  if (!alive && exports.length > 0) {
    for (const end of ['dead', 'lost'] as const) {
      const keys = exports.filter((entry) => ends.get(entry.key) === end).map((entry) => entry.key)
      if (keys.length > 0) log.notice(`An earlier attempt's export of this request (${keys.join(', ')}) ${END_REASON[end]}; exporting anew`)
    }
  }
  return alive
}

/** Uploads one mark as a tiny artifact of the run, kept a day. */
async function record(fingerprint: string, mark: LedgerMark, runner: RunnerEnv, log: Log, signal?: AbortSignal): Promise<void> {
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-ledger-'))
  const file = path.join(dir, 'export.json')
  fs.writeFileSync(file, JSON.stringify({ ...mark, fingerprint, attempt: runner.runAttempt }))
  // The file goes when the upload ends, not when the wait for it does: an upload left running still reads it.
  const upload = loadArtifactClient().then((client) => client.uploadArtifact(ledgerName(fingerprint, mark), [file], dir, { retentionDays: 1 }))
  void upload.finally(() => fs.rmSync(dir, { recursive: true, force: true })).catch(() => {})
  await log.group(`Export ledger: ${ledgerName(fingerprint, mark)}`, () => untilCancelled(upload, signal))
}

/** Records an accepted export at once, so a re-run of this job can find it; a cancel stops waiting for it. */
export async function recordExport(fingerprint: string, entry: LedgerEntry, runner: RunnerEnv, log: Log, signal?: AbortSignal): Promise<void> {
  if (!runner.artifactService) return
  try {
    await record(fingerprint, entry, runner, log, signal)
  } catch (error) {
    log.warning(`Could not record export ${entry.key} in the ledger (${errorMessage(error)}); a re-run would export again`)
  }
}

/** Marks an export that will never deliver (dead or lost), so a re-run exports anew rather than waiting on it again. */
export async function recordEnd(fingerprint: string, key: string, end: ExportEnd, runner: RunnerEnv, log: Log, signal?: AbortSignal): Promise<void> {
  if (!runner.artifactService) return
  try {
    await record(fingerprint, { end, key }, runner, log, signal)
  } catch (error) {
    log.warning(`Could not mark export ${key} ${end} in the ledger (${errorMessage(error)}); a re-run would wait for it again`)
  }
}
