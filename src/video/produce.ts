import * as path from 'node:path'
import type { AiStudiosClient, CallContext, ExportRecord } from '../aistudios/client.js'
import type { ExportRequest, Job, JsonObject, Log, Source, VideoResult } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { abortReason, withDeadline } from '../waits.js'
import { ApiError, LostError, RenderError, StalledError, errorMessage } from '../errors.js'
import { buildExportRequest, templateRequest } from '../request/build.js'
import { templateGeneration } from '../job/template-shape.js'
import { formatMinutes } from '../text.js'
import { downloadVideo } from './download.js'
import { isLoopbackHost } from './url-policy.js'
import { dryRunKeptDraft, saveDraft } from './draft.js'
import { saveDryRun } from './dry-run.js'
import { exportOnce } from './export.js'
import { draftKey, ledgerFingerprint, recordEnd, requestFingerprint, reuseFingerprint } from './ledger.js'
import { confirmDraftExport, findReviewedDraft, reviewedExport } from './from-draft.js'
import { PollScheduler } from './poll-scheduler.js'
import { resumeMismatches } from './resume-check.js'
import { redeliver } from './redeliver.js'
import { reuseEarlier, type ReuseTakes } from './reuse.js'
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
  /** Told as soon as a video's export is accepted (its key is then in the result), so the key is out before anything else can fail. */
  onExportAccepted?: (result: VideoResult) => void
  /** The job's one poll budget, shared by all its videos (produce-all.ts makes it). */
  polls?: PollScheduler
}

/** A template's request at once (pure), so a bad template refuses the run before any video is sent. */
export function checkTemplate(result: VideoResult, job: Job, context: CallContext): ExportRequest | undefined {
  const source = result.spec.source
  return source.kind === 'template' ? templateRequest(source, result.spec, context.log, job.draft) : undefined
}

/** Whether a request spends credits: a draft does not, nor, with `draft`, a saved project that is its own draft. */
export const spends = (request: ExportRequest | undefined, job: Job): boolean =>
  request !== undefined && request.kind !== 'draft' && !(job.draft && request.kind === 'saved')

/**
 * A resumed export is what the step would export: its record (v3) is compared with the request the
 * step's project or template makes, before anything is downloaded. A mismatch fails the video unless
 * `resume-mismatch: accept`.
 */
async function checkResumed(
  result: VideoResult,
  source: Extract<Source, { kind: 'resume' }>,
  production: Production,
  context: CallContext
): Promise<void> {
  const { job, client } = production
  if (!source.of) return
  const what = source.of.kind === 'project' ? `project ${source.of.projectId}` : `template ${source.of.template.name}`
  if (result.generation === 'legacy') {
    context.log.notice(`resume: the legacy API keeps no record this action reads, so ${source.key} was not checked against ${what}`)
    return
  }
  let expected: JsonObject
  let request: ExportRequest
  try {
    request = await buildExportRequest(source.of, result.spec, client, context)
    // A saved project exported as it is: the export is compared with what the project holds now.
    expected = request.kind === 'saved' && source.of.kind === 'project' ? await client.getProject(source.of.projectId, context) : request.body
  } catch (error) {
    // The export is paid for: a source since deleted, or changed into what a new export could not send,
    // must not keep its video from being downloaded. Nothing is compared, and the log says so.
    if (context.signal?.aborted) throw error
    return context.log.warning(
      `resume: export ${source.key} was not checked against ${what}, which cannot be read as an export now (${errorMessage(error)}); it is downloaded unchecked`
    )
  }
  const exported = await client.getProject(source.key, context)
  const mismatches = resumeMismatches(exported, expected)
  // `from-draft` exports the reviewed draft as the review left it: an export matching that draft is what the step exports.
  // Only a step that exports reviewed drafts may have made one: no other asks GitHub (nor needs its permission).
  const reviewed =
    request.kind === 'saved' || job.github.fromDraft === 'false' ? undefined : await reviewedDraftOf(request, source.key, production, context)
  if (reviewed?.matches?.(exported)) {
    // The reviewed draft's export: cleanup takes the draft with it, and reuse knows its video by the draft.
    result.fromDraft = reviewed.fromDraft
    result.fingerprint = ledgerFingerprint(request)
    result.reuseKey = reviewed.reuseAs
    return context.log.info(
      `resume: export ${source.key} matches ${reviewed.what}, reviewed for ${what}${mismatches.length > 0 ? ": the review's edits are no mismatch" : ''}`
    )
  }
  if (mismatches.length === 0) return context.log.info(`resume: export ${source.key} matches ${what}`)
  const found = `export ${source.key} is not the video ${what} makes: ${mismatches.join('; ')}${reviewed ? `, ${reviewed.nor}` : ''}`
  if (job.resumeMismatch === 'accept') return context.log.warning(`resume: ${found}. Downloaded anyway ('resume-mismatch' is accept)`)
  throw new Error(
    `resume: ${found}. Nothing was downloaded. Check that 'resume' holds this video's key, or set 'resume-mismatch: accept' to download it anyway`
  )
}

/**
 * The reviewed draft of a resumed export's request, as the check can use it: a test of the export
 * against the draft as the review left it, and what the refusal says of the draft when that fails (or
 * when the draft cannot be compared). A draft named by the resumed key itself proves nothing.
 */
async function reviewedDraftOf(
  request: ExportRequest,
  key: string,
  production: Production,
  context: CallContext
): Promise<
  { what: string; nor: string; matches?: (exported: JsonObject) => boolean; fromDraft?: VideoResult['fromDraft']; reuseAs?: string } | undefined
> {
  const lookup = await findReviewedDraft(request, production, context, { label: 'resume', ownRun: true })
  if (lookup.state === 'none') return undefined
  if (lookup.state === 'unknown')
    return { what: 'its reviewed draft', nor: `and its reviewed draft could not be looked up to compare (${lookup.why})` }
  const what = `draft ${lookup.draft.projectId} (saved by run ${lookup.draft.runId})`
  if (lookup.draft.projectId === key) return { what, nor: `and the draft record naming the export itself proves nothing` }
  if (lookup.state === 'gone')
    return { what, nor: `and its reviewed ${what} was deleted since, so it could not be compared (if this is that draft's export, accept it)` }
  if (lookup.state === 'unreadable') return { what, nor: `and its reviewed ${what} could not be read to compare (${lookup.why})` }
  const { project, draft } = lookup
  return {
    what,
    nor: `nor what its reviewed ${what} holds now`,
    matches: (exported) => resumeMismatches(exported, project).length === 0,
    fromDraft: { projectId: draft.projectId, runId: draft.runId, created: true },
    reuseAs: reuseFingerprint(reviewedExport(draft.projectId, project, request, requestFingerprint(request)))
  }
}

/**
 * The request step: the export request (a template's checked earlier, a saved project's fetched now),
 * or none for a resumed export (a dry run ends there, with the key's progress read).
 */
export async function prepareVideo(
  result: VideoResult,
  checked: ExportRequest | undefined,
  production: Production,
  context: CallContext
): Promise<ExportRequest | undefined> {
  const { job, client } = production
  const source = result.spec.source
  result.stage = 'request'
  if (source.kind === 'resume') {
    result.generation = source.generation ?? (source.template && templateGeneration(source.template)) ?? 'v3'
    await checkResumed(result, source, production, context)
    result.exportKey = source.key
    if (job.dryRun) {
      // Progress is a read: a dry run can tell whether the key is there and how far it got.
      const { progress } = await client.getProgress(source.key, result.generation, context)
      context.log.info(`Dry run: export ${source.key} is at ${progress}%; a run would wait for it and download it, exporting nothing`)
      result.status = 'dry-run'
    }
    return undefined
  }
  const request = checked ?? (await buildExportRequest(source, result.spec, client, context, job.draft))
  result.generation = request.generation
  return request
}

/** A dry run's end for a video: the request a run would send (after `from-draft` found its draft), saved and printed. */
export async function dryRunVideo(result: VideoResult, request: ExportRequest, production: Production, context: CallContext): Promise<void> {
  const { job, client } = production
  const source = result.spec.source
  if (job.draft && request.kind === 'saved' && source.kind === 'project') {
    context.log.info(`Dry run: project ${source.projectId} is its own draft ('draft' is true): nothing would be created or rendered`)
  } else if (!(await dryRunKeptDraft(request, draftKey(request), production, context))) {
    result.dryRun = saveDryRun(client, request, job.outputDir, result.spec.name, context.log)
  }
  result.status = 'dry-run'
}

/**
 * With `reuse`, an earlier run's video of the same request, downloaded instead of exported (the result
 * is then 'downloaded'). Done for every video before any export, so `max-videos` counts only what is sent.
 */
export async function reuseVideo(
  result: VideoResult,
  request: ExportRequest,
  { job, github }: Production,
  context: CallContext,
  /** Which earlier videos will do besides the request's own: a reviewed draft's (from-draft). */
  takes: ReuseTakes = { reviewed: 'never' }
): Promise<void> {
  result.fingerprint = ledgerFingerprint(request)
  result.reuseKey = reuseFingerprint(request)
  if (github && job.github.reuse) await reuseEarlier(result, result.reuseKey, github, job, context.log, context.signal, takes)
}

/**
 * Whether a ledger mark that says an earlier attempt delivered this export and `cleanup` deleted its
 * project can be taken: any job of the run may write a mark, so it is believed only when this step has
 * `cleanup` and the API confirms the project is gone (a free read). Otherwise the export is waited for.
 */
async function projectGone(
  key: string,
  generation: VideoResult['generation'],
  job: Job,
  client: AiStudiosClient,
  context: CallContext
): Promise<boolean> {
  const ignored = (why: string): false => {
    context.log.warning(
      `The ledger says an earlier attempt delivered export ${key} and 'cleanup' deleted it, but ${why}: the mark is not taken; waiting for that export`
    )
    return false
  }
  if (!job.cleanup) return ignored("this step has no 'cleanup'")
  try {
    await client.getProgress(key, generation, context)
    return ignored('the API still knows it')
  } catch (error) {
    if (error instanceof ApiError && error.notFound) return true
    throw error
  }
}

/**
 * One video, from its request to a file on disk: export → wait → download. Fills `result` step by
 * step, so whoever handles a failure knows how far it got (above all, the export key).
 */
export async function produceVideo(
  result: VideoResult,
  request: ExportRequest | undefined,
  production: Production,
  context: CallContext,
  /** The runner's cancel: the one signal that may cut an export request already sent (context's may not). */
  cancel?: AbortSignal
): Promise<void> {
  const { job, client, onExportAccepted, polls } = production
  const { log, signal } = context
  // `timeout` counts from the export request (a slow or trickled answer to it counts too), else from the
  // wait, and bounds all that follows for this video: the ledger, the render, the download.
  let exportedAt: number | undefined
  // A resumed export has no request, and so no fingerprint: there is nothing to mark dead.
  let fingerprint: string | undefined
  // A draft is saved for review, never rendered: nothing to wait for or download.
  if (request && !spends(request, job)) {
    // Under its draft key: the run that exports it finds its record (from-draft).
    result.fingerprint = draftKey(request)
    return saveDraft(result, request, result.fingerprint, production, context, cancel)
  }
  if (request) {
    fingerprint = result.fingerprint = ledgerFingerprint(request)
    result.reuseKey = reuseFingerprint(request)
    result.stage = 'export'
    exportedAt = Date.now()
    const deadlineAt = exportedAt + job.wait.timeoutMs
    const exported = await exportOnce(
      client,
      request,
      fingerprint,
      job.runner,
      context,
      { cancel, deadlineAt },
      {
        onUnconfirmed: () => (result.exportUnconfirmed = true),
        onCredits: (credits) => (result.credits = credits),
        onAccepted: (key) => {
          result.exportKey = key
          onExportAccepted?.(result)
        }
      }
    )
    result.exportKey = exported.key
    // An earlier attempt's export of the step's request may not be the reviewed draft's: then it is the step's own.
    if (exported.earlier) await confirmDraftExport(result, exported, fingerprint, client, context)
    // A stop (fail-fast) that came while the export was in flight ends the video here, its key kept.
    if (signal?.aborted) throw abortReason(signal)
    if (exported.delivered && (await projectGone(exported.key, result.generation, job, client, context))) {
      return await redeliver(result, exported.delivered, job, log, withDeadline(deadlineAt - Date.now(), signal).signal)
    }
  }
  const key = result.exportKey as string
  if (!job.waitForRender) {
    // Each front end tells how to resume it, in its own syntax (the action's report, the CLI's last lines).
    log.info(`Not waiting ('wait' is false): export ${key} was accepted.`)
    result.status = 'started'
    return
  }
  // Every call about the render takes its turn in the job's one budget, so the README's rate holds
  // whatever a server lags: progress polls (in the wait), record reads and fresh URLs alike.
  const budget = polls ?? new PollScheduler()
  // v3 keeps a record of the export: its URL stands in when progress's lags or expired, and it names the
  // thumbnail. The last one read is kept, so the thumbnail costs no second call when the wait read it.
  let lastRecord: ExportRecord | undefined
  const record =
    result.generation === 'v3'
      ? async (bounded: CallContext = context) => {
          await budget.turn(0, 0, bounded.signal)
          return (lastRecord = await client.getExportRecord(key, bounded))
        }
      : undefined
  const recordUrl =
    record &&
    (async (bounded: CallContext = context) => {
      // Done is progress 100, whatever `state` says: "exported" is documented only for list items (get-projects.md).
      const { progress, downloadUrl } = await record(bounded)
      return progress !== undefined && progress >= 100 ? downloadUrl : undefined
    })
  result.stage = 'render'
  const started = exportedAt ?? Date.now()
  const deadlineAt = started + job.wait.timeoutMs
  let rendered
  try {
    // Only an export this run made may be unknown for a while; a resumed key was made long ago.
    rendered = await waitForVideo(client, key, result.generation, job.wait, context, recordUrl, started, budget, request !== undefined)
  } catch (error) {
    // A render stalled after it started is dead, a forgotten key lost: a re-run attempt must export anew,
    // not wait on it again. A render still at 0% may be queued, and is not marked.
    const end = error instanceof StalledError ? 'dead' : error instanceof LostError ? 'lost' : undefined
    if (end && fingerprint) {
      await recordEnd(fingerprint, key, end, job.runner, log, withDeadline(deadlineAt - Date.now(), cancel).signal)
    }
    throw error
  }
  result.videoUrl = rendered.downloadUrl
  result.polls = rendered.polls
  result.stage = 'download'
  log.info(`Downloading ${new URL(rendered.downloadUrl).pathname.split('/').pop()}`)
  // Nothing stands between the URL and the download: the thumbnail is read once the video's bytes come
  // (thumbnailOf never rejects, so one still in flight when a download fails is left harmlessly).
  let thumbnail: Promise<string | undefined> | undefined
  const { deadline, signal: downloadSignal } = withDeadline(deadlineAt - Date.now(), signal)
  const bounded: CallContext = { log, signal: downloadSignal }
  const video = await downloadVideo(rendered.downloadUrl, {
    outputDir: job.outputDir,
    fileName: result.spec.outputName,
    fallbackStem: key,
    requestTimeoutMs: job.api.requestTimeoutMs,
    maxBytes: job.maxVideoBytes,
    allowLoopback: isLoopbackHost(job.api.v3Url) || isLoopbackHost(job.api.legacyUrl),
    log,
    signal: bounded.signal,
    onReceiving: () => void (thumbnail ??= record && thumbnailOf(lastRecord ? Promise.resolve(lastRecord) : record(bounded), log)),
    refreshUrl: async () => {
      await budget.turn(0, 0, bounded.signal)
      const fresh = (await client.getProgress(key, result.generation, bounded)).downloadUrl ?? (await recordUrl?.(bounded))
      if (!fresh) throw new RenderError(`The API gave no fresh download URL for ${key}`)
      return (result.videoUrl = fresh)
    }
  }).catch((error: unknown) => {
    if (!deadline.aborted || signal?.aborted) throw error
    throw new RenderError(
      `Timed out after ${formatMinutes(Date.now() - started)} downloading the video of ${key} ('timeout' is ${formatMinutes(job.wait.timeoutMs)}, ` +
        'and bounds the render and its download together); the download was not finished and nothing was kept. ' +
        'The render is done: a run with resume downloads it without exporting again'
    )
  })
  if (thumbnail) result.thumbnailUrl = await thumbnail
  result.video = video
  result.status = 'downloaded'
  log.info(`Saved ${path.relative(job.runner.workspace, video.path)} (${video.size} bytes)`)
}
