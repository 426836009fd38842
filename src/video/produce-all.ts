import type { CallContext } from '../aistudios/client.js'
import type { ExportRequest, VideoResult, VideoSpec } from '../domain.js'
import { ApiError, AuthError, ExportUnconfirmedError, InputError, UnreachableError, errorMessage } from '../errors.js'
import { budgetLine, budgetRefusal } from '../job/budget.js'
import { WriteError } from '../write-file.js'
import { errorLine, info, videoLog, warning } from '../log.js'
import { checkCredentials } from './dry-run.js'
import { draftExport, type NoDraft } from './from-draft.js'
import { reuseFingerprint } from './ledger.js'
import { findReusable, type ReuseTakes } from './reuse.js'
import { PollScheduler } from './poll-scheduler.js'
import { checkTemplate, dryRunVideo, prepareVideo, produceVideo, reuseVideo, spends, type Production } from './produce.js'

const describe = (spec: VideoSpec): string =>
  spec.source.kind === 'project'
    ? `project ${spec.source.projectId}`
    : spec.source.kind === 'template'
      ? `template ${spec.source.template.name}`
      : `export ${spec.source.key} (resumed)`

/**
 * A video's name, the same in every state: the manifest entry's name, or for the step's own video its
 * `output-name` without the extension (the file it is saved as), or `video`.
 */
export const videoName = (spec: VideoSpec): string => spec.name ?? (spec.outputName ? spec.outputName.replace(/\.[^.]+$/, '') : 'video')

/** A video's result before anything was done for it: skipped, unless something is. */
export const newResult = (spec: VideoSpec): VideoResult => ({
  spec,
  name: videoName(spec),
  status: 'skipped',
  source: describe(spec),
  startedAt: Date.now(),
  generation: 'v3'
})

/** Runs `work` on each item, at most `limit` at a time, starting none once `stop` is aborted. */
async function inPool<T>(items: T[], limit: number, stop: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop.aborted) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** `from-draft: required`'s refusal of the videos with no reviewed draft to export, saying why for each and what was sent. */
export function requiredRefusal(missing: NoDraft[], sent: string): InputError {
  const which = missing.map((none) => `${none.result.name} (${none.why})`).join('; ')
  return new InputError(
    'from-draft',
    `'required', and there is no reviewed draft to export for ${which}: ${sent}. Run the draft run again, or set 'from-draft: true' to export anew`
  )
}

/** Of the videos without a reviewed draft, those for which reuse would find no reviewed draft's video either (a dry run's, or a plan's, look). */
export async function unreused(missing: NoDraft[], production: Production, contextOf: (result: VideoResult) => CallContext): Promise<NoDraft[]> {
  const { job, github } = production
  const left: NoDraft[] = []
  for (const none of missing) {
    const { log, signal } = contextOf(none.result)
    const request = none.request
    const runId = github && (await findReusable(reuseFingerprint(request), github, job, log, signal, { reviewed: 'only', draft: none.draft }))
    if (runId)
      log.info(
        `${job.plan ? 'Plan' : 'Dry run'}: reuse would take the video run ${runId} exported from a reviewed draft of this request; nothing would be exported`
      )
    else left.push(none)
  }
  return left
}

/** A refusal found in one video of a manifest, naming the entry and where it is written. */
function forVideo(error: InputError, result: VideoResult): InputError {
  const { name, location } = result.spec
  if (!name) return error
  const where = error.location ?? location
  const prefix = !error.location && location ? `${location.file}:${location.line}:${location.column}: ` : ''
  return new InputError('manifest', `${prefix}video '${name}': ${error.message}`, where)
}

/**
 * Produces every video of the job, up to `max-parallel` at a time, in two passes: first every request
 * (templates checked, saved projects fetched; a dry run ends there), so bad input refuses the run
 * before any credit is spent; then, for each, export → wait → download. A failure does not abandon the
 * others unless `fail-fast`, which stops the rest (not yet started: skipped; under way: cancelled,
 * their export keys kept for resuming). Each result records how far its video got. All the videos'
 * progress calls share one budget (poll-budget.ts).
 */
export async function produceAll(results: VideoResult[], production: Production, signal: AbortSignal): Promise<void> {
  const { job } = production
  const stop = new AbortController()
  const forward = (): void => stop.abort(signal.reason)
  signal.addEventListener('abort', forward, { once: true })
  const contextOf = (result: VideoResult): CallContext => ({ signal: stop.signal, log: videoLog(result.spec.name) })
  const requests = new Map<VideoResult, ExportRequest | undefined>()
  const fail = (result: VideoResult, error: unknown): void => {
    result.status = 'failed'
    // An export that may have been taken says so, even when a cancel is what cut its answer off.
    result.error = errorMessage(stop.signal.aborted && !(error instanceof ExportUnconfirmedError) ? stop.signal.reason : error)
    if (error instanceof UnreachableError) result.unreached = error.kind
    result.refusedByApi = error instanceof ApiError || error instanceof AuthError
    result.unwritable = error instanceof WriteError
    errorLine(result.spec.name ? `${result.spec.name}: ${result.error}` : result.error)
    if (job.batch.failFast && !stop.signal.aborted) stop.abort(new Error(`cancelled: another video failed ('fail-fast' is true)`))
  }
  /** Runs one step of one video; an input refusal ends the whole run, anything else that video. */
  const step = async (result: VideoResult, work: () => Promise<void> | void): Promise<void> => {
    try {
      await work()
    } catch (error) {
      if (error instanceof InputError) throw forVideo(error, result)
      fail(result, error)
    }
  }

  try {
    for (const result of results) await step(result, () => void requests.set(result, checkTemplate(result, job, contextOf(result))))
    await inPool(results, job.batch.maxParallel, stop.signal, (result) =>
      step(result, async () => void requests.set(result, await prepareVideo(result, requests.get(result), production, contextOf(result))))
    )
    const prepared = results.filter((result) => result.status === 'skipped' && requests.has(result))
    // From-draft first: the reviewed draft found is what reuse looks for, and what is paid for.
    const without: NoDraft[] = []
    if (job.github.fromDraft !== 'false') {
      await inPool(prepared, job.batch.maxParallel, stop.signal, async (result) => {
        const request = requests.get(result)
        if (!request || !spends(request, job) || result.status !== 'skipped') return
        await step(result, async () => {
          const found = await draftExport(result, request, production, contextOf(result))
          if ('generation' in found) requests.set(result, found)
          else without.push(found)
        })
      })
    }
    const required = job.github.fromDraft === 'required'
    if (!job.dryRun && production.github && job.github.reuse) {
      await inPool(prepared, job.batch.maxParallel, stop.signal, async (result) => {
        const request = requests.get(result)
        // A draft is no video: there is none to reuse. Without its reviewed draft, `required` takes only a reviewed draft's video.
        const none = without.find((candidate) => candidate.result === result)
        const takes: ReuseTakes =
          job.github.fromDraft === 'false' ? { reviewed: 'never' } : { reviewed: required ? 'only' : 'also', draft: none?.draft }
        if (request && spends(request, job) && result.status === 'skipped')
          await step(result, () => reuseVideo(result, request, production, contextOf(result), takes))
      })
    }
    // `required`: a video without its reviewed draft (nor, with reuse, a reviewed draft's video) refuses the run before anything is paid.
    let missing = without.filter((none) => none.result.status === 'skipped')
    // A dry run reads (never downloads) what reuse would take, so that it ends as the run would.
    if (job.dryRun && required && production.github && job.github.reuse) missing = await unreused(missing, production, contextOf)
    if (required && missing.length > 0) throw requiredRefusal(missing, job.dryRun ? 'a run would export nothing' : 'nothing was exported')
    if (job.dryRun) {
      for (const result of prepared) {
        const request = requests.get(result)
        if (request && result.status === 'skipped') await step(result, () => dryRunVideo(result, request, production, contextOf(result)))
      }
      const { text, over } = budgetLine(results.filter((result) => spends(requests.get(result), job)).length, job.maxVideos)
      info(`Dry run: ${text}`)
      if (over) warning(`Dry run: 'max-videos' would refuse this run unless 'reuse' finds enough earlier videos`)
      return await checkCredentials(production.client, results, contextOf(results[0]))
    }
    const ready = prepared.filter((result) => result.status === 'skipped')
    const refusal = budgetRefusal(ready.filter((result) => spends(requests.get(result), job)).length, job.maxVideos)
    if (refusal) throw refusal
    // One poll budget for the whole job, however many of its videos wait at once.
    const polling = { ...production, polls: new PollScheduler() }
    await inPool(ready, job.batch.maxParallel, stop.signal, async (result) => {
      result.startedAt = Date.now()
      if (result.spec.name) info(`▶ ${result.spec.name}`)
      await step(result, () => produceVideo(result, requests.get(result), polling, contextOf(result), signal))
    })
  } finally {
    signal.removeEventListener('abort', forward)
  }
}
