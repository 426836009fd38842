import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import type { ExportRequest, Generation, Log, RunnerEnv } from '../domain.js'
import { ExportNotSentError, errorMessage } from '../errors.js'
import { baseName, exportKey, parseAt, sha256Hex } from '../schemas.js'
import { untilCancelled, withDeadline } from '../waits.js'
import { heldNoRecord, loadArtifactClient, readJsonArtifact } from '../github/artifact-service.js'

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

/** What `reuse` knows an export's video by: what it renders (ledger.ts requestFingerprint), or a reviewed draft's content. */
export const reuseFingerprint = (request: ExportRequest): string => request.reuseAs ?? requestFingerprint(request)

/** What the ledger knows an export by: the step's own request it stands for (a reviewed draft's export), else its own. */
export const ledgerFingerprint = (request: ExportRequest): string => request.standsFor ?? requestFingerprint(request)

/**
 * What a draft's record is keyed by: the fingerprint of the export it stands for, which the same step
 * makes without `draft` (`isExport: true`), so `from-draft` finds the draft under its own request. A saved
 * project that is its own draft is keyed by its ID and the export's options alone: what it holds is the
 * review's to change, and an edit made in review must not make it another request.
 */
export function draftKey(request: ExportRequest): string {
  if (request.kind === 'saved')
    return requestFingerprint({ generation: request.generation, kind: 'saved', content: 'as reviewed', body: request.body })
  if (request.kind !== 'draft') return requestFingerprint(request)
  return requestFingerprint({ generation: request.generation, content: request.content, body: { ...request.body, isExport: true } })
}

/**
 * Why an export will never deliver: `dead`, its render stalled after it had started; `lost`, the API
 * stopped knowing its key.
 */
export type ExportEnd = 'dead' | 'lost'

/**
 * A video an attempt delivered as an artifact of the run before `cleanup` deleted its project: where a
 * re-run attempt finds it again, and what its bytes must be.
 */
export const deliveredVideo = z.object({
  attempt: z.number().int().positive(),
  /** The artifact holding it: cleanup marks (and deletes) only a video that went up as one. */
  artifactId: z.number().int().positive(),
  artifactName: z.string().min(1).max(255),
  /** The video's file name inside the artifact. */
  file: baseName,
  size: z.number().int().positive(),
  sha256: sha256Hex,
  /** Whether the artifact is a zip (archive, a batch's); and the file name attempt 1 saved the video under. */
  zipped: z.boolean().optional(),
  savedAs: baseName.optional(),
  /** The reviewed draft the video was exported from (`from-draft`), when it was. */
  reviewedDraft: exportKey.optional()
})
export type DeliveredVideo = z.infer<typeof deliveredVideo>

/** What a mark says of an export besides its start: its end, its delivery before cleanup, or no answer to it. */
type MarkEnd = ExportEnd | 'delivered' | 'unconfirmed'

/**
 * An export accepted for a request, or a later word on it (`unconfirmed` is keyed by the attempt that sent
 * it: there is no export key), marked by the attempt that saw it.
 */
type LedgerMark = LedgerEntry | { end: MarkEnd; key: string }

const isEnd = (mark: LedgerMark): mark is { end: MarkEnd; key: string } => 'end' in mark

function ledgerName(fingerprint: string, mark: LedgerMark): string {
  return `${PREFIX}${fingerprint}-${isEnd(mark) ? mark.end : mark.generation}-${mark.key}`
}

function parseLedgerName(name: string, fingerprint: string): LedgerMark | undefined {
  const match = new RegExp(`^${PREFIX}${fingerprint}-(v3|legacy|dead|lost|delivered|unconfirmed)-(.+)$`).exec(name)
  if (!match) return undefined
  const [, kind, key] = match
  return kind === 'v3' || kind === 'legacy' ? { generation: kind, key } : { end: kind as MarkEnd, key }
}

/**
 * The ledger is kept as long as GitHub lets a run be re-run (30 days), or the repository's longest
 * retention if shorter: a re-run attempt that found no mark would pay again.
 */
const ledgerRetentionDays = (runner: RunnerEnv): number => Math.min(30, runner.maxRetentionDays ?? 30)

const END_REASON: Record<ExportEnd, string> = {
  dead: 'stalled and was declared dead',
  lost: 'was lost: the API no longer knew its key'
}

/** How long an accepted export's record may still take after a cancel: it is what keeps a re-run from paying again. */
export const LEDGER_CANCEL_GRACE_MS = 2000

/** The longest the ledger is read for (a list of the run's artifacts): past it, nothing is exported. */
export const LEDGER_READ_MS = 30_000

/** An earlier attempt's export of the request; `delivered` when that attempt delivered it and `cleanup` deleted its project. */
export interface EarlierExport extends LedgerEntry {
  delivered?: DeliveredVideo
}

/**
 * On a re-run attempt, the export an earlier attempt started for the same request, if any; never one
 * an earlier attempt declared dead (its render stalled) or lost (the API forgot it), which would only
 * end the same way again. One an earlier attempt delivered before `cleanup` deleted its project comes
 * with where its video is. Read within LEDGER_READ_MS and the video's deadline; `signal` (a stop) ends it.
 */
export async function findEarlierExport(
  fingerprint: string,
  runner: RunnerEnv,
  log: Log,
  signal: AbortSignal | undefined,
  deadlineAt: number
): Promise<EarlierExport | undefined> {
  if (!runner.artifactService || runner.runAttempt <= 1) return undefined
  const boundMs = Math.max(1, Math.min(LEDGER_READ_MS, deadlineAt - Date.now()))
  const { deadline: bound, signal: until } = withDeadline(boundMs, signal)
  const unread = (error: unknown, what: string, key?: string): Error => {
    if (signal?.aborted) return error as Error
    const why = bound.aborted ? `no answer within ${(boundMs / 1000).toFixed(1)} s` : errorMessage(error)
    // An earlier attempt may have paid for this very request: not knowing, nothing is sent.
    return new ExportNotSentError(
      `${what} could not be read (${why}), and an earlier attempt may have exported this request`,
      `This attempt sent nothing, rather than pay twice. Re-run the job once the artifact service answers, or set 'resume' to ${key ?? "the export key an earlier attempt's log gives"}.`
    )
  }
  let marks: Array<LedgerMark & { id: number; bytes?: number }>
  try {
    const { artifacts } = await untilCancelled((await loadArtifactClient()).listArtifacts(), until)
    const named = artifacts.flatMap((artifact) => {
      const mark = parseLedgerName(artifact.name, fingerprint)
      return mark ? [{ ...mark, id: artifact.id, bytes: artifact.size }] : []
    })
    // Any job of the run may have written an entry: a key is used only when it has an export key's shape.
    marks = named.filter((mark) => exportKey.safeParse(mark.key).success)
    const ignored = named.length - marks.length
    if (ignored > 0) {
      log.warning(
        `${ignored} export ledger ${ignored === 1 ? 'entry' : 'entries'} of this request held no export key and ${ignored === 1 ? 'was' : 'were'} ignored`
      )
    }
  } catch (error) {
    throw unread(error, 'the export ledger of earlier attempts')
  }
  const exports = marks.filter((mark): mark is LedgerEntry & { id: number } => !isEnd(mark))
  // Delivered before cleanup deleted it: its video is in the run's artifacts, and waiting would find no project.
  const delivered = marks.find((mark) => isEnd(mark) && mark.end === 'delivered' && exports.some((entry) => entry.key === mark.key))
  if (delivered) {
    const entry = exports.find((candidate) => candidate.key === delivered.key) as LedgerEntry
    try {
      return { key: entry.key, generation: entry.generation, delivered: await readDelivered(delivered.id, delivered.bytes, runner, until) }
    } catch (error) {
      // A mark that holds no delivery this action writes is refused, as a forged one is: the export is waited for.
      if (!heldNoRecord(error) || signal?.aborted) {
        throw unread(error, `the ledger's record of the delivery of export ${entry.key}`, entry.key)
      }
      log.warning(`The ledger's mark that export ${entry.key} was delivered was refused (${errorMessage(error)}); waiting for that export`)
      return { key: entry.key, generation: entry.generation }
    }
  }
  const ends = new Map(marks.flatMap((mark) => (isEnd(mark) ? [[mark.key, mark.end] as const] : [])))
  const alive = exports.find((entry) => !ends.has(entry.key))
  // An attempt sent this request and no answer said whether it was taken: it may have been paid for.
  const unconfirmed = marks.filter((mark) => isEnd(mark) && mark.end === 'unconfirmed')
  if (!alive && unconfirmed.length > 0) {
    const attempts = unconfirmed.map((mark) => mark.key.replace(/^attempt-/, '')).join(', ')
    throw new ExportNotSentError(
      `attempt ${attempts} of this run sent this very request and no answer said whether it was taken, so it may have been paid for`,
      "This attempt sent nothing, rather than pay twice. Find that export in AI Studios (My Studio) and set 'resume' to its project ID, " +
        'or start a new run of the workflow to export anew.'
    )
  }
  if (!alive && exports.length > 0) {
    for (const end of ['dead', 'lost'] as const) {
      const keys = exports.filter((entry) => ends.get(entry.key) === end).map((entry) => entry.key)
      if (keys.length > 0) log.notice(`An earlier attempt's export of this request (${keys.join(', ')}) ${END_REASON[end]}; exporting anew`)
    }
  }
  return alive && { key: alive.key, generation: alive.generation }
}

/** A mark's record is a few hundred bytes; more is not one of ours. */
const MAX_MARK_BYTES = 64 * 1024

/** The delivery a `delivered` mark records: its artifact's one file, parsed by its schema. */
async function readDelivered(id: number, listedBytes: number | undefined, runner: RunnerEnv, until: AbortSignal): Promise<DeliveredVideo> {
  const json = await readJsonArtifact(id, 'export.json', runner, { maxBytes: MAX_MARK_BYTES, listedBytes, zipped: true, signal: until })
  return parseAt(z.object({ delivered: deliveredVideo }), json, 'the delivery record').delivered
}

/** Uploads one mark as a tiny artifact of the run, kept while the run may be re-run. */
async function record(
  fingerprint: string,
  mark: LedgerMark & { delivered?: DeliveredVideo },
  runner: RunnerEnv,
  log: Log,
  signal?: AbortSignal
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-ledger-'))
  const file = path.join(dir, 'export.json')
  fs.writeFileSync(file, JSON.stringify({ ...mark, fingerprint, attempt: runner.runAttempt }))
  // The file goes when the upload ends, not when the wait for it does: an upload left running still reads it.
  const retentionDays = ledgerRetentionDays(runner)
  const upload = loadArtifactClient().then((client) => client.uploadArtifact(ledgerName(fingerprint, mark), [file], dir, { retentionDays }))
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

/**
 * Marks a video delivered as an artifact of the run, before `cleanup` deletes its project: a re-run
 * attempt then takes the video from that artifact instead of waiting for a project that is gone and
 * paying again. Throws when the mark could not be left: the project must then be kept.
 */
export async function recordDelivered(
  fingerprint: string,
  key: string,
  delivered: DeliveredVideo,
  runner: RunnerEnv,
  log: Log,
  signal?: AbortSignal
): Promise<void> {
  await record(fingerprint, { end: 'delivered', key, delivered }, runner, log, signal)
}

/** Marks an export sent with no answer (it may have been taken), so a re-run attempt does not send it blindly again. */
export async function recordUnconfirmed(fingerprint: string, runner: RunnerEnv, log: Log, signal?: AbortSignal): Promise<void> {
  if (!runner.artifactService) return
  try {
    await record(fingerprint, { end: 'unconfirmed', key: `attempt-${runner.runAttempt}` }, runner, log, signal)
  } catch (error) {
    log.warning(`Could not mark the unanswered export in the ledger (${errorMessage(error)}); a re-run attempt would send it again`)
  }
}
