import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Generation, RunnerEnv } from '../domain.js'
import type { ArtifactLoader } from './artifact-service.js'
import type { GitHub } from './connect.js'

/**
 * Videos a later run may reuse. Beside each delivered video's artifact, a small record artifact named
 * after the request's fingerprint says where the video is; with `reuse`, a run looks for the newest
 * unexpired record of its request among the repository's artifacts (GitHub REST API) and downloads
 * that earlier run's video instead of exporting it again.
 */

const PREFIX = 'aistudios-reuse-'

/** What a record says: the video's artifact and where the video sits inside it. */
export interface ReuseRecord {
  artifactId: number
  /** The file's path inside the artifact (for an unzipped upload, the artifact's own name). */
  fileName: string
  /** The video's own file name, as the run that rendered it saved it. */
  videoName: string
  exportKey: string
  generation: Generation
}

export interface Reusable {
  record: ReuseRecord
  runId: number
}

const recordName = (fingerprint: string): string => `${PREFIX}${fingerprint}.json`

/** Where another run's artifacts are found: the repository, with the token (actions: read). */
const findBy = ({ context, token }: GitHub, runId: number) => ({
  token,
  workflowRunId: runId,
  repositoryOwner: context.repo.owner,
  repositoryName: context.repo.repo
})

/** The one file an artifact download left in a fresh folder, or the one named so inside a zip. */
function fileIn(dir: string, name: string): string {
  const named = path.join(dir, name)
  if (fs.existsSync(named)) return named
  const [only] = fs.readdirSync(dir)
  if (only === undefined) throw new Error('the artifact held no file')
  return path.join(dir, only)
}

/** The newest unexpired record of an earlier run for this request, whose video is unexpired too. */
export async function findReusable(github: GitHub, fingerprint: string, runner: RunnerEnv, artifacts: ArtifactLoader): Promise<Reusable | undefined> {
  const { octokit, context } = github
  const { data } = await octokit.rest.actions.listArtifactsForRepo({ ...context.repo, name: recordName(fingerprint), per_page: 20 })
  const record = data.artifacts.find(
    (artifact) => !artifact.expired && artifact.workflow_run?.id !== undefined && String(artifact.workflow_run.id) !== runner.runId
  )
  const runId = record?.workflow_run?.id
  if (!record || runId === undefined || runId === null) return undefined
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-reuse-'))
  try {
    await (await artifacts()).downloadArtifact(record.id, { path: dir, findBy: findBy(github, runId) })
    const saved = JSON.parse(fs.readFileSync(fileIn(dir, recordName(fingerprint)), 'utf8')) as ReuseRecord
    const { data: video } = await octokit.rest.actions.getArtifact({ ...context.repo, artifact_id: saved.artifactId })
    return video.expired ? undefined : { record: saved, runId }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Downloads a reusable video into `dir` (a fresh folder); returns the file's path. */
export async function downloadReusable(github: GitHub, { record, runId }: Reusable, dir: string, artifacts: ArtifactLoader): Promise<string> {
  await (await artifacts()).downloadArtifact(record.artifactId, { path: dir, findBy: findBy(github, runId) })
  return fileIn(dir, record.fileName)
}

/** Leaves the record of a delivered video for later runs, kept as long as the video's artifact. */
export async function recordReusable(
  fingerprint: string,
  record: ReuseRecord,
  runner: RunnerEnv,
  retentionDays: number | undefined,
  artifacts: ArtifactLoader
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-reuse-'))
  try {
    const file = path.join(dir, recordName(fingerprint))
    fs.writeFileSync(file, JSON.stringify(record))
    await (await artifacts()).uploadArtifact(recordName(fingerprint), [file], dir, { retentionDays, skipArchive: true })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
