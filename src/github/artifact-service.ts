import * as fs from 'node:fs'
import * as path from 'node:path'
import type { RunnerEnv } from '../domain.js'
import type { ArtifactClient, FindOptions } from '@actions/artifact'
import { untilCancelled } from '../waits.js'
import { BoundaryError } from '../schemas.js'

/**
 * The artifact client, loaded only when used: it is the heaviest part of the bundle (a 3.7 MB chunk).
 * Only an entry point that may upload provides it (the action's main.ts): a bundle whose entry never
 * does (the CLI) then holds no import of it at all, and ncc leaves the chunk out.
 */
let provider: (() => Promise<ArtifactClient>) | undefined

export function provideArtifactClient(load: () => Promise<ArtifactClient>): void {
  provider = load
}

export async function loadArtifactClient(): Promise<ArtifactClient> {
  if (!provider) throw new Error('this entry point has no artifact client')
  return provider()
}

/** Where an artifact of this run is shown on the run's page. */
export const artifactUrl = (id: number, runner: RunnerEnv): string =>
  `${runner.serverUrl}/${runner.repository}/actions/runs/${runner.runId}/artifacts/${id}`

/**
 * Uploads one small JSON file (a record) as an artifact of this run, unzipped, so the artifact takes the
 * file's name. The folder it was written in goes once the upload ends.
 */
export async function uploadJsonArtifact(name: string, value: unknown, runner: RunnerEnv, retentionDays: number | undefined): Promise<void> {
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-record-'))
  try {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(value))
    await (await loadArtifactClient()).uploadArtifact(name, [path.join(dir, name)], dir, { retentionDays, skipArchive: true })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The one file an artifact download left in a fresh folder, or the one named so inside a zip. */
export function fileIn(dir: string, name: string): string {
  const named = path.join(dir, name)
  if (fs.existsSync(named)) return named
  const [only] = fs.readdirSync(dir)
  if (only === undefined) throw new Error('the artifact held no file')
  return path.join(dir, only)
}

/** A record artifact that was read but holds no record this action writes: refused for what it is, not for a failed read. */
export class RecordContentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RecordContentError'
  }
}

/**
 * Whether a record was refused for what it holds (RecordContentError, or its schema's BoundaryError),
 * not for a read that failed: a record of ours is never so, and one that is can be passed over.
 */
export const heldNoRecord = (error: unknown): boolean => error instanceof RecordContentError || error instanceof BoundaryError

/** The longest one record artifact is read for (its download included): past it, the read fails. */
export const RECORD_READ_MS = 30_000

/**
 * What a record artifact (one small JSON file, `name`, uploaded unzipped unless `zipped`) holds, parsed
 * as JSON but not yet checked: of this run, or with `findBy` another run's. Refused (RecordContentError)
 * when listed larger than `maxBytes` (`listedBytes`), or when its file is missing, not a plain file,
 * larger or not JSON, as whoever wrote it may not be one of ours. Read within RECORD_READ_MS; the
 * folder it went into goes at once.
 */
export async function readJsonArtifact(
  id: number,
  name: string,
  runner: RunnerEnv,
  {
    maxBytes,
    listedBytes,
    zipped = false,
    findBy,
    signal
  }: { maxBytes: number; listedBytes?: number; zipped?: boolean; findBy?: FindOptions['findBy']; signal?: AbortSignal }
): Promise<unknown> {
  // Our records go up unzipped: an artifact listed larger is none of ours, and is not downloaded (nor unzipped) at all.
  if (listedBytes !== undefined && listedBytes > maxBytes)
    throw new RecordContentError(`its artifact is ${listedBytes} bytes, over the ${maxBytes} a record may have`)
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-record-'))
  try {
    // The artifact client takes no signal: a download past the bound is left behind, and the process ends without it.
    const bound = AbortSignal.any([AbortSignal.timeout(RECORD_READ_MS), ...(signal ? [signal] : [])])
    try {
      // A record that went up unzipped is saved as it comes: one that comes as a zip is none of ours, and is never unzipped.
      await untilCancelled((await loadArtifactClient()).downloadArtifact(id, { path: dir, findBy, skipDecompress: !zipped }), bound)
    } catch (error) {
      if (signal?.aborted || !bound.aborted) throw error
      throw new Error(`its artifact was not downloaded within ${RECORD_READ_MS / 1000} s`, { cause: error })
    }
    const file = path.join(dir, name)
    // Not followed: a link an archive left would read a file of the runner's.
    const stat = fs.lstatSync(file, { throwIfNoEntry: false })
    if (!stat) throw new RecordContentError(`its artifact holds no record file ${name}`)
    if (!stat.isFile()) throw new RecordContentError('its record is not a file')
    if (stat.size > maxBytes) throw new RecordContentError(`its record is over ${maxBytes} bytes`)
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
    } catch {
      throw new RecordContentError('its record is not JSON')
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
