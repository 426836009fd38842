import { z } from 'zod'
import type { RunnerEnv } from '../domain.js'
import { baseName, exportKey, parseAt, sha256Hex } from '../schemas.js'
import { fileIn, loadArtifactClient, readJsonArtifact, uploadJsonArtifact } from './artifact-service.js'
import type { GitHub } from './connect.js'
import { workflowRunSchema, type WorkflowRun } from './reuse-trust.js'
import { warning } from '../log.js'

/**
 * Videos a later run may reuse. Beside each delivered video's artifact, a small record artifact named
 * after the request's fingerprint says where the video is; with `reuse`, a run looks for the newest
 * unexpired record of its request among the repository's artifacts (GitHub REST API) and downloads
 * that earlier run's video instead of exporting it again.
 */

const PREFIX = 'aistudios-reuse-'

/**
 * What a record says: the video's artifact, where the video sits inside it, and the video's digest and
 * size, which the downloaded bytes must match. Another run wrote it: every field is parsed.
 */
export const reuseRecordSchema = z.object({
  artifactId: z.number().int().positive(),
  /** The file's path inside the artifact (for an unzipped upload, the artifact's own name). */
  fileName: baseName,
  /** The video's own file name, as the run that rendered it saved it. */
  videoName: baseName,
  exportKey,
  generation: z.enum(['v3', 'legacy']),
  sha256: sha256Hex,
  size: z.number().int().positive(),
  /** The reviewed draft the video was exported from (`from-draft`), when it was. */
  reviewedDraft: exportKey.optional()
})
export type ReuseRecord = z.infer<typeof reuseRecordSchema>

/** An artifact as GitHub's REST API lists it: only what reuse reads. */
const artifactSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  expired: z.boolean(),
  size_in_bytes: z.number().int().nonnegative().optional(),
  workflow_run: z.object({ id: z.number().int().positive().nullable().optional() }).nullable().optional()
})
const artifactListSchema = z.object({ artifacts: z.array(artifactSchema) })

/** A record artifact of another run: not yet read, nor trusted. */
export interface Candidate {
  artifactId: number
  runId: number
  /** Its size as GitHub lists it. */
  bytes?: number
}

const recordName = (fingerprint: string): string => `${PREFIX}${fingerprint}.json`

/** Where another run's artifacts are found: the repository, with the token (actions: read). */
const findBy = ({ context, token }: GitHub, runId: number) => ({
  token,
  workflowRunId: runId,
  repositoryOwner: context.repo.owner,
  repositoryName: context.repo.repo
})

/** How many records of one request reuse reads at most: GitHub's largest page, ten times. */
const RECORD_PAGE_SIZE = 100
const RECORD_PAGES = 10

/** The unexpired records of other runs for this request, newest first, as GitHub lists them. */
export const listCandidates = (github: GitHub, fingerprint: string, runner: RunnerEnv, signal?: AbortSignal): Promise<Candidate[]> =>
  listRecords(github, recordName(fingerprint), runner, signal)

/** The unexpired artifacts of other runs named `name`, newest first, as GitHub lists them (a page at a time, bounded). */
export async function listRecords(github: GitHub, name: string, runner: RunnerEnv, signal?: AbortSignal): Promise<Candidate[]> {
  const { octokit, context } = github
  const artifacts: Array<z.infer<typeof artifactListSchema>['artifacts'][number]> = []
  // Newest first, a page at a time: other runs' records of the same request (pull requests, forks) must not
  // hide a trusted one behind the first page. Bounded, and said so where the bound is reached.
  for (let page = 1; page <= RECORD_PAGES; page++) {
    const { data } = await octokit.rest.actions.listArtifactsForRepo({
      ...context.repo,
      name,
      per_page: RECORD_PAGE_SIZE,
      page,
      request: { signal }
    })
    const listed = parseAt(artifactListSchema, data, "GitHub's list of artifacts").artifacts
    artifacts.push(...listed)
    if (listed.length < RECORD_PAGE_SIZE) break
    if (page === RECORD_PAGES)
      warning(
        `reuse: more than ${RECORD_PAGES * RECORD_PAGE_SIZE} records are named ${name}; only the newest ${RECORD_PAGES * RECORD_PAGE_SIZE} were looked at`
      )
  }
  return artifacts.flatMap((artifact) => {
    const runId = artifact.workflow_run?.id
    return !artifact.expired && artifact.name === name && runId && String(runId) !== runner.runId
      ? [{ artifactId: artifact.id, runId, bytes: artifact.size_in_bytes }]
      : []
  })
}

/** The workflow run a candidate came from, as GitHub describes it. */
export async function workflowRun({ octokit, context }: GitHub, runId: number): Promise<WorkflowRun> {
  const { data } = await octokit.rest.actions.getWorkflowRun({ ...context.repo, run_id: runId })
  return parseAt(workflowRunSchema, data, `GitHub's description of run ${runId}`)
}

/** A reuse or draft record is a few hundred bytes: more is not one of ours. */
export const MAX_RECORD_BYTES = 64 * 1024

/** What a record artifact of another run holds, parsed as JSON but not yet checked. */
export const readRecordJson = (github: GitHub, candidate: Candidate, name: string, runner: RunnerEnv, signal?: AbortSignal): Promise<unknown> =>
  readJsonArtifact(candidate.artifactId, name, runner, {
    maxBytes: MAX_RECORD_BYTES,
    listedBytes: candidate.bytes,
    findBy: findBy(github, candidate.runId),
    signal
  })

/** A candidate's record, parsed; refused when its video is another run's artifact or expired. */
export async function readRecord(github: GitHub, candidate: Candidate, fingerprint: string, runner: RunnerEnv): Promise<ReuseRecord> {
  const record = parseAt(reuseRecordSchema, await readRecordJson(github, candidate, recordName(fingerprint), runner), 'its record')
  const { octokit, context } = github
  const { data } = await octokit.rest.actions.getArtifact({ ...context.repo, artifact_id: record.artifactId })
  const video = parseAt(artifactSchema, data, `GitHub's description of artifact ${record.artifactId}`)
  if (video.workflow_run?.id !== candidate.runId) throw new Error(`its record names artifact ${record.artifactId}, which another run uploaded`)
  if (video.expired) throw new Error('its video artifact expired')
  return record
}

/** Downloads a reusable video into `dir` (a fresh folder); returns the file's path. */
export async function downloadReusable(github: GitHub, record: ReuseRecord, runId: number, dir: string): Promise<string> {
  await (await loadArtifactClient()).downloadArtifact(record.artifactId, { path: dir, findBy: findBy(github, runId) })
  return fileIn(dir, record.fileName)
}

/** Leaves the record of a delivered video for later runs, kept as long as the video's artifact. */
export async function recordReusable(fingerprint: string, record: ReuseRecord, runner: RunnerEnv, retentionDays: number | undefined): Promise<void> {
  await uploadJsonArtifact(recordName(fingerprint), parseAt(reuseRecordSchema, record, 'the reuse record'), runner, retentionDays)
}
