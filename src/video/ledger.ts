import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ExportRequest, Generation, Log, RunnerEnv } from '../domain.js'
import { errorMessage } from '../errors.js'
import type { ArtifactLoader } from '../github/artifact-service.js'

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

/** SHA-256 of everything that decides the video: the generation and the exact body. */
export function requestFingerprint(request: ExportRequest): string {
  return createHash('sha256')
    .update(`${request.generation}\n${JSON.stringify(request.body)}`)
    .digest('hex')
    .slice(0, 32)
}

/** An export accepted for a request, or marked dead by the attempt that saw its render stall. */
type LedgerMark = LedgerEntry | { dead: string }

function ledgerName(fingerprint: string, mark: LedgerMark): string {
  return 'dead' in mark ? `${PREFIX}${fingerprint}-dead-${mark.dead}` : `${PREFIX}${fingerprint}-${mark.generation}-${mark.key}`
}

function parseLedgerName(name: string, fingerprint: string): LedgerMark | undefined {
  const match = new RegExp(`^${PREFIX}${fingerprint}-(v3|legacy|dead)-(.+)$`).exec(name)
  if (!match) return undefined
  return match[1] === 'dead' ? { dead: match[2] } : { generation: match[1] as Generation, key: match[2] }
}

/**
 * On a re-run attempt, the export an earlier attempt started for the same request, if any; never one
 * an earlier attempt declared dead (its render stalled), which would only stall again.
 */
export async function findEarlierExport(
  fingerprint: string,
  runner: RunnerEnv,
  artifacts: ArtifactLoader | undefined,
  log: Log
): Promise<LedgerEntry | undefined> {
  if (!artifacts || !runner.artifactService || runner.runAttempt <= 1) return undefined
  let marks: LedgerMark[]
  try {
    const listed = (await (await artifacts()).listArtifacts()).artifacts
    marks = listed.flatMap((artifact) => parseLedgerName(artifact.name, fingerprint) ?? [])
  } catch (error) {
    log.warning(`Could not read the export ledger of earlier attempts (${errorMessage(error)}); exporting anew`)
    return undefined
  }
  const dead = new Set(marks.flatMap((mark) => ('dead' in mark ? [mark.dead] : [])))
  const exports = marks.filter((mark): mark is LedgerEntry => !('dead' in mark))
  const alive = exports.find((entry) => !dead.has(entry.key))
  if (!alive && exports.length > 0) {
    log.notice(`An earlier attempt's export of this request (${exports.map((e) => e.key).join(', ')}) stalled and was declared dead; exporting anew`)
  }
  return alive
}

/** Uploads one mark as a tiny artifact of the run, kept a day. */
async function record(fingerprint: string, mark: LedgerMark, runner: RunnerEnv, artifacts: ArtifactLoader, log: Log): Promise<void> {
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-ledger-'))
  try {
    const file = path.join(dir, 'export.json')
    fs.writeFileSync(file, JSON.stringify({ ...mark, fingerprint, attempt: runner.runAttempt }))
    const client = await artifacts()
    await log.group(`Export ledger: ${ledgerName(fingerprint, mark)}`, () =>
      client.uploadArtifact(ledgerName(fingerprint, mark), [file], dir, { retentionDays: 1 })
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Records an accepted export at once, so a re-run of this job can find it. */
export async function recordExport(
  fingerprint: string,
  entry: LedgerEntry,
  runner: RunnerEnv,
  artifacts: ArtifactLoader | undefined,
  log: Log
): Promise<void> {
  if (!artifacts || !runner.artifactService) return
  try {
    await record(fingerprint, entry, runner, artifacts, log)
  } catch (error) {
    log.warning(`Could not record export ${entry.key} in the ledger (${errorMessage(error)}); a re-run would export again`)
  }
}

/** Marks an export whose render stalled as dead, so a re-run exports anew rather than waiting on it again. */
export async function recordDead(
  fingerprint: string,
  key: string,
  runner: RunnerEnv,
  artifacts: ArtifactLoader | undefined,
  log: Log
): Promise<void> {
  if (!artifacts || !runner.artifactService) return
  try {
    await record(fingerprint, { dead: key }, runner, artifacts, log)
  } catch (error) {
    log.warning(`Could not mark export ${key} dead in the ledger (${errorMessage(error)}); a re-run would wait for it again`)
  }
}
