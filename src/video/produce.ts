import * as path from 'node:path'
import type { AiStudiosClient, CallContext, ExportRecord } from '../aistudios/client.js'
import type { ExportRequest, Job, Log, VideoResult } from '../domain.js'
import type { ArtifactLoader } from '../github/artifact-service.js'
import type { GitHub } from '../github/connect.js'
import { RenderError, StalledError, errorMessage } from '../errors.js'
import { resumeHint } from '../resume.js'
import { buildExportRequest, templateRequest } from '../request/build.js'
import { templateGeneration } from '../request/template.js'
import { downloadVideo } from './download.js'
import { saveDryRun } from './dry-run.js'
import { exportOnce } from './export.js'
import { recordDead, requestFingerprint } from './ledger.js'
import type { PollScheduler } from './poll-scheduler.js'
import { reuseEarlier } from './reuse.js'
import { waitForVideo } from './wait.js'

/** The thumbnail the export's record names; a failure to read it costs only the thumbnail. */
async function thumbnailOf(record: Promise<ExportRecord>, log: Log): Promise<string | undefined> {
  try {
    return (await record).thumbnailUrl
  } catch (error) {
    log.warning(`The export's record could not be read, so there is no thumbnail: ${errorMessage(error)}`)
    return undefined
  }
}

/** What producing a video needs besides its own spec: the job, the job's one API client, GitHub when a feature needs it. */
export interface Production {
  job: Job
  client: AiStudiosClient
  github?: GitHub
  /** The artifact client, for the export ledger and reuse: the action's; the CLI never loads one. */
  artifacts?: ArtifactLoader
  /** The job's one poll budget, shared by all its videos (produce-all.ts makes it). */
  polls?: PollScheduler
}

/** A template's request at once (pure), so a bad template refuses the run before any video is sent. */
export function checkTemplate(result: VideoResult, context: CallContext): ExportRequest | undefined {
  const source = result.spec.source
  return source.kind === 'template' ? templateRequest(source, result.spec, context.log) : undefined
}

/**
 * The request step: the export request (a template's checked earlier, a saved project's fetched now),
 * or none for a resumed export. A dry run ends here, with the request saved.
 */
export async function prepareVideo(
  result: VideoResult,
  checked: ExportRequest | undefined,
  { job, client }: Production,
  context: CallContext
): Promise<ExportRequest | undefined> {
  const source = result.spec.source
  result.stage = 'request'
  if (source.kind === 'resume') {
    result.generation = source.generation ?? (source.template && templateGeneration(source.template)) ?? 'v3'
    result.exportKey = source.key
    return undefined
  }
  const request = checked ?? (await buildExportRequest(source, result.spec, client, context))
  result.generation = request.generation
  if (job.dryRun) {
    result.dryRun = saveDryRun(client, request, job.outputDir, result.spec.name, context.log)
    result.status = 'dry-run'
  }
  return request
}

/**
 * One video, from its request to a file on disk: export → wait → download. Fills `result` step by
 * step, so whoever handles a failure knows how far it got (above all, the export key).
 */
export async function produceVideo(
  result: VideoResult,
  request: ExportRequest | undefined,
  { job, client, github, artifacts, polls }: Production,
  context: CallContext
): Promise<void> {
  const { log, signal } = context
  // A resumed export has no request, and so no fingerprint: there is nothing to reuse or mark dead.
  let fingerprint: string | undefined
  if (request) {
    fingerprint = result.fingerprint = requestFingerprint(request)
    if (github && artifacts && job.github.reuse && (await reuseEarlier(result, fingerprint, github, artifacts, job, log))) return
    result.stage = 'export'
    result.exportKey = await exportOnce(client, request, fingerprint, job.runner, artifacts, context, {
      onUnconfirmed: () => (result.exportUnconfirmed = true),
      onCredits: (credits) => (result.credits = credits)
    })
  }
  const key = result.exportKey as string
  if (!job.waitForRender) {
    log.info(`Not waiting ('wait' is false). ${resumeHint(key, result.generation, result.spec.name)}`)
    result.status = 'started'
    return
  }
  // v3 keeps a record of the export: its URL stands in when progress's lags or expired, and it names the
  // thumbnail. The last one read is kept, so the thumbnail costs no second call when the wait read it.
  let lastRecord: ExportRecord | undefined
  const record = result.generation === 'v3' ? async () => (lastRecord = await client.getExportRecord(key, context)) : undefined
  const recordUrl =
    record &&
    (async () => {
      const { state, downloadUrl } = await record()
      return state === 'exported' ? downloadUrl : undefined
    })
  result.stage = 'render'
  let rendered
  try {
    rendered = await waitForVideo(client, key, result.generation, job.wait, context, recordUrl, polls)
  } catch (error) {
    // A stalled render is dead: a re-run attempt must export anew, not wait on it again.
    if (error instanceof StalledError && fingerprint) await recordDead(fingerprint, key, job.runner, artifacts, log)
    throw error
  }
  result.videoUrl = rendered.downloadUrl
  result.polls = rendered.polls
  result.stage = 'download'
  log.info(`Downloading ${new URL(rendered.downloadUrl).pathname.split('/').pop()}`)
  // Nothing stands between the URL and the download: the thumbnail is read once the video's bytes come
  // (thumbnailOf never rejects, so one still in flight when a download fails is left harmlessly).
  let thumbnail: Promise<string | undefined> | undefined
  const video = await downloadVideo(rendered.downloadUrl, {
    outputDir: job.outputDir,
    fileName: result.spec.outputName,
    fallbackStem: key,
    requestTimeoutMs: job.api.requestTimeoutMs,
    log,
    signal,
    onReceiving: () => void (thumbnail ??= record && thumbnailOf(lastRecord ? Promise.resolve(lastRecord) : record(), log)),
    refreshUrl: async () => {
      const fresh = (await client.getProgress(key, result.generation, context)).downloadUrl ?? (await recordUrl?.())
      if (!fresh) throw new RenderError(`The API gave no fresh download URL for ${key}`)
      return (result.videoUrl = fresh)
    }
  })
  if (thumbnail) result.thumbnailUrl = await thumbnail
  result.video = video
  result.name = result.spec.name ?? path.basename(video.path)
  result.status = 'downloaded'
  log.info(`Saved ${path.relative(job.runner.workspace, video.path)} (${video.size} bytes)`)
}
