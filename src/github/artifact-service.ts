import * as fs from 'node:fs'
import * as path from 'node:path'
import type { RunnerEnv } from '../domain.js'
import type { ArtifactClient, FindOptions } from '@actions/artifact'
import { untilCancelled } from '../waits.js'

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

/**
 * What a record artifact (one small JSON file, `name`) holds, parsed as JSON but not yet checked: of this
 * run, or with `findBy` another run's. Refused past `maxBytes` before it is read, as whoever wrote it may
 * not be one of ours. The folder it was downloaded into goes at once.
 */
export async function readJsonArtifact(
  id: number,
  name: string,
  runner: RunnerEnv,
  { maxBytes, findBy, signal }: { maxBytes: number; findBy?: FindOptions['findBy']; signal?: AbortSignal }
): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-record-'))
  try {
    // The artifact client takes no signal: a download past it is left behind, and the process ends without it.
    await untilCancelled((await loadArtifactClient()).downloadArtifact(id, { path: dir, findBy }), signal)
    const file = fileIn(dir, name)
    // Not followed: a link an archive left would read a file of the runner's.
    const stat = fs.lstatSync(file)
    if (!stat.isFile()) throw new Error('its record is not a file')
    if (stat.size > maxBytes) throw new Error(`its record is over ${maxBytes} bytes`)
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
    } catch {
      throw new Error('its record is not JSON')
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
