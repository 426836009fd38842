import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ExportRequest, Generation, Log, RunnerEnv } from '../domain.js'
import { errorMessage } from '../errors.js'
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

/** SHA-256 of everything that decides the video: the generation and the exact body. */
export function requestFingerprint(request: ExportRequest): string {
  return createHash('sha256').update(`${request.generation}\n${JSON.stringify(request.body)}`).digest('hex').slice(0, 32)
}

export function ledgerName(fingerprint: string, entry: LedgerEntry): string {
  return `${PREFIX}${fingerprint}-${entry.generation}-${entry.key}`
}

export function parseLedgerName(name: string, fingerprint: string): LedgerEntry | undefined {
  const match = new RegExp(`^${PREFIX}${fingerprint}-(v3|legacy)-(.+)$`).exec(name)
  return match ? { generation: match[1] as Generation, key: match[2] } : undefined
}

/** On a re-run attempt, the export an earlier attempt started for the same request, if any. */
export async function findEarlierExport(fingerprint: string, runner: RunnerEnv, log: Log): Promise<LedgerEntry | undefined> {
  if (!runner.artifactService || runner.runAttempt <= 1) return undefined
  try {
    const { artifacts } = await (await loadArtifactClient()).listArtifacts()
    return artifacts.map((artifact) => parseLedgerName(artifact.name, fingerprint)).find((entry) => entry !== undefined)
  } catch (error) {
    log.warning(`Could not read the export ledger of earlier attempts (${errorMessage(error)}); exporting anew`)
    return undefined
  }
}

/** Records an accepted export at once, so a re-run of this job can find it. */
export async function recordExport(fingerprint: string, entry: LedgerEntry, runner: RunnerEnv, log: Log): Promise<void> {
  if (!runner.artifactService) return
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-ledger-'))
  try {
    const file = path.join(dir, 'export.json')
    fs.writeFileSync(file, JSON.stringify({ ...entry, fingerprint, attempt: runner.runAttempt }))
    await (await loadArtifactClient()).uploadArtifact(ledgerName(fingerprint, entry), [file], dir, { retentionDays: 1 })
  } catch (error) {
    log.warning(`Could not record export ${entry.key} in the ledger (${errorMessage(error)}); a re-run would export again`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
