import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { Pipeline, RunnerEnv, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { exported, redeliverHint } from '../resume.js'
import { exportKey, parseAt, sha256Hex } from '../schemas.js'
import { RECORD_READ_MS, loadArtifactClient, readJsonArtifact, uploadJsonArtifact } from './artifact-service.js'
import { untilCancelled, withDeadline } from '../waits.js'
import { quotedValue } from '../text.js'

/**
 * Result records: the small artifact each render job of a matrix leaves, however it ended, and the
 * collect job reads back. Artifacts of this run only: the runner's token reaches no other run's. A
 * sibling job's record crosses a boundary, so it is parsed by the schemas below and checked against
 * the run, the attempt and the videos its job was given before anything uses it.
 */

const PREFIX = 'aistudios-result-'
/** A record is a few hundred bytes a video; more than this is not one of ours. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024
/**
 * A record is named by its attempt, its pipeline and its shard's first video (names are unique in a
 * manifest); uploaded unzipped, the file's name is the artifact's. A pipeline ID holds no '.', so the
 * first '.' after it ends it.
 */
const NAME = /^aistudios-result-(\d{1,4})-([A-Za-z0-9_-]{1,64})\.([\w.-]{1,100})\.json$/
/**
 * A record's name ends in a random part: two jobs that share a pipeline by mistake (one manifest planned
 * twice without the plan's `pipeline`) then both leave theirs, and collect refuses the video two records
 * report, rather than one upload being refused and the other pipeline's record taken for it.
 */
const recordName = (record: ResultRecord): string =>
  `${PREFIX}${record.attempt}-${record.pipeline.id}.${record.videos[0] ?? 'none'}.${randomBytes(4).toString('hex')}.json`

/** An http(s) URL: https, or http to a loopback host (the simulator); never another scheme. */
const webUrl = z
  .string()
  .max(8192)
  .refine((text) => {
    try {
      const url = new URL(text)
      return url.protocol === 'https:' || (url.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname))
    } catch {
      return false
    }
  }, 'is not an https URL')

/** A manifest entry's name, as the manifest reader allows it. */
export const videoName = z.string().regex(/^[\w.-]{1,80}$/, 'is not a video name')

/** One video of the `videos` output, as a job wrote it. */
export const videoEntry = z.object({
  name: z.string().min(1).max(255),
  status: z.enum(['downloaded', 'started', 'draft', 'dry-run', 'failed', 'skipped']),
  'export-key': exportKey.nullable(),
  /** The former name of export-key, kept for workflows written against it. */
  'project-id': exportKey.nullable(),
  path: z.string().max(4096).nullable(),
  url: webUrl.nullable(),
  'thumbnail-url': webUrl.nullable(),
  credits: z.number().nonnegative().nullable(),
  size: z.number().int().nonnegative().nullable(),
  duration: z.number().nonnegative().nullable(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  sha256: sha256Hex.nullable(),
  'reused-from-run': z.number().int().positive().nullable(),
  'artifact-url': webUrl.nullable(),
  'release-url': webUrl.nullable(),
  /** A draft saved for review (`draft`): its project, and where to open it in AI Studios. */
  'draft-project-id': exportKey.nullable(),
  'draft-url': webUrl.nullable(),
  /** The reviewed draft the video was exported from (`from-draft`), when it was. */
  'reviewed-draft': exportKey.nullable(),
  error: z.string().max(4000).nullable()
})
export type VideoEntry = z.infer<typeof videoEntry>

/** The `videos` output's objects, one a video: also what a matrix job's result record holds. */
export function videoEntries(results: VideoResult[]): VideoEntry[] {
  return results.map((result) => ({
    name: result.name,
    status: result.status,
    'export-key': result.exportKey ?? null,
    'project-id': result.exportKey ?? null,
    path: result.video?.path ?? null,
    url: result.videoUrl ?? null,
    'thumbnail-url': result.thumbnailUrl ?? null,
    credits: result.credits ?? null,
    size: result.video?.size ?? null,
    duration: result.video?.mp4.durationSeconds ?? null,
    width: result.video?.mp4.width ?? null,
    height: result.video?.mp4.height ?? null,
    sha256: result.sha256 ?? null,
    'reused-from-run': result.reusedFromRun ?? null,
    'artifact-url': result.artifact?.url ?? null,
    'release-url': result.releaseUrl ?? null,
    'draft-project-id': result.draft?.projectId ?? null,
    'draft-url': result.draft?.url ?? null,
    'reviewed-draft': result.fromDraft?.projectId ?? null,
    error: errorOf(result)
  }))
}

/** A video's error; one saved but not delivered also says how to deliver it, wherever the entry is read (a record, collect, the comment). */
function errorOf(result: VideoResult): string | null {
  if (result.error === undefined) return null
  if (!result.undelivered || !exported(result)) return result.error
  return `${result.error.replace(/\.?$/, '.')} ${redeliverHint(result)}`
}

export const resultRecord = z.object({
  version: z.literal(2),
  /** The pipeline of the job that wrote it: collect takes only its own plan's records. */
  pipeline: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), manifest: z.string().min(1).max(4096) }),
  /** The job's ID in its workflow (GITHUB_JOB), for messages. */
  job: z.string().max(100).nullable(),
  runId: z.string().regex(/^\d+$/),
  attempt: z.number().int().positive(),
  /** The videos the job was given (`manifest-entry`), whether or not it got to them. */
  videos: z.array(videoName).max(2000),
  outcome: z.enum(['success', 'failure', 'cancelled']),
  error: z.string().max(4000).nullable(),
  entries: z.array(videoEntry).max(2000)
})
export type ResultRecord = z.infer<typeof resultRecord>

/** A record read back, with the artifact it came from (for messages). */
export interface ReadRecord {
  artifact: string
  record: ResultRecord
}

/** Leaves this job's record in the run's artifacts, kept as long as its videos; the attempt in its name keeps re-runs apart. */
export async function uploadResultRecord(record: ResultRecord, runner: RunnerEnv, retentionDays: number | undefined): Promise<string> {
  const name = recordName(record)
  await uploadJsonArtifact(name, record, runner, retentionDays)
  return name
}

/** The records collect read: its own pipeline's, and the names of those of other pipelines it left alone. */
export interface RecordsRead {
  read: ReadRecord[]
  foreign: string[]
}

/**
 * Every result record of this run and pipeline up to this attempt, parsed and checked: one that does not
 * parse, names another run, attempt or manifest, or is too big is refused through `refuse` (a warning)
 * and left out. Another pipeline's records are not read at all, only named.
 */
export async function readResultRecords(
  runner: RunnerEnv,
  pipeline: Pipeline,
  refuse: (message: string) => void,
  signal?: AbortSignal
): Promise<RecordsRead> {
  const client = await loadArtifactClient()
  // The artifact client takes no signal: a call past its bound is left behind, and the process ends without it.
  const bounded = <T>(work: Promise<T>): Promise<T> => untilCancelled(work, withDeadline(RECORD_READ_MS, signal).signal)
  const { artifacts } = await bounded(client.listArtifacts())
  const read: ReadRecord[] = []
  const foreign: string[] = []
  for (const artifact of artifacts) {
    const match = NAME.exec(artifact.name)
    if (!match || Number(match[1]) > runner.runAttempt) continue
    if (match[2] !== pipeline.id) {
      foreign.push(artifact.name)
      continue
    }
    try {
      const json = await readJsonArtifact(artifact.id, artifact.name, runner, { maxBytes: MAX_RECORD_BYTES, listedBytes: artifact.size, signal })
      const record = parseAt(resultRecord, json, `result record ${artifact.name}`)
      if (record.runId !== runner.runId || String(record.attempt) !== match[1])
        throw new Error(`it says it is of run ${record.runId}, attempt ${record.attempt}, not this run's attempt ${match[1]}`)
      if (record.pipeline.id !== pipeline.id || record.pipeline.manifest !== pipeline.manifest)
        throw new Error(
          `it says it is of pipeline ${record.pipeline.id} on ${quotedValue(record.pipeline.manifest)}, not this collect's ${pipeline.id} on ${quotedValue(pipeline.manifest)}`
        )
      read.push({ artifact: artifact.name, record })
    } catch (error) {
      if (signal?.aborted) throw error
      refuse(`result record ${artifact.name} was refused: ${errorMessage(error)}`)
    }
  }
  return { read, foreign }
}
