import * as fs from 'node:fs'
import * as path from 'node:path'
import type { RunnerEnv } from '../domain.js'
import type { ArtifactClient } from '@actions/artifact'

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
