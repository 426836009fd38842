import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import type { ExportRequest, JsonObject, VideoResult } from '../domain.js'
import { ApiError, errorMessage } from '../errors.js'
import { heldNoRecord } from '../github/artifact-service.js'
import { findDraft, thisRunDraft, type DraftRecord, type FoundDraft } from '../github/drafts.js'
import { savedProjectExport } from '../request/project.js'
import { untilCancelled, withDeadline } from '../waits.js'
import { LEDGER_READ_MS, draftKey, findEarlierExport, requestFingerprint, type DeliveredVideo } from './ledger.js'
import { resumeMismatches } from './resume-check.js'
import type { Production } from './produce.js'

/**
 * What is known of the reviewed draft of a request: no record of one; the records could not be looked
 * up (`unknown`); a record whose draft AI Studios holds (`found`, with the project as it is now), says
 * is gone (NOT_FOUND), or could not be read (`unreadable`: it may still be there).
 */
export type DraftLookup =
  | { state: 'none' }
  | { state: 'unknown'; why: string }
  | { state: 'found'; draft: FoundDraft; project: JsonObject }
  | { state: 'gone'; draft: FoundDraft }
  | { state: 'unreadable'; draft: FoundDraft; why: string }

/**
 * The draft saved for this very request (its record keyed by the request's draft key): this run's own
 * (an earlier job of the run drafted it) when `ownRun`, else the newest a trusted run of this repository
 * left; then read back in AI Studios (a read, free). A record passed over is named in a warning, `label` first.
 */
export async function findReviewedDraft(
  request: ExportRequest,
  { job, github, client }: Production,
  context: CallContext,
  { label, ownRun }: { label: string; ownRun: boolean }
): Promise<DraftLookup> {
  const { log, signal } = context
  if (!github || request.generation !== 'v3') return { state: 'none' }
  const key = draftKey(request)
  const passOver = (runId: number | string, why: string): void => log.warning(`${label}: the draft record of run ${runId} was not taken: ${why}`)
  let draft: FoundDraft | undefined
  // The whole lookup, however many records it passes over, ends within its bound: past it, nothing is known.
  const { signal: bounded } = withDeadline(DRAFT_LOOKUP_MS, signal)
  try {
    // A saved project is its own draft: a record naming another project is none of its.
    const own = request.kind === 'saved' ? request.body.projectId : undefined
    const unwanted = (record: DraftRecord): string | undefined =>
      own === undefined || record.projectId === own ? undefined : `it names project ${record.projectId}, not this step's saved project`
    const inRun = ownRun ? await thisRunDraft(key, job.runner, bounded).catch(refusedRecord(passOver, job.runner.runId)) : undefined
    const refused = inRun && unwanted(inRun)
    if (refused) passOver(job.runner.runId, refused)
    draft = (refused ? undefined : inRun) ?? (await untilCancelled(findDraft(github, key, job.runner, passOver, bounded, unwanted), bounded))
  } catch (error) {
    if (signal?.aborted) throw error
    return { state: 'unknown', why: bounded.aborted ? `no answer within ${DRAFT_LOOKUP_MS / 1000} s` : errorMessage(error) }
  }
  if (!draft) return { state: 'none' }
  try {
    return { state: 'found', draft, project: await client.getProject(draft.projectId, context) }
  } catch (error) {
    if (signal?.aborted) throw error
    if (error instanceof ApiError && error.notFound) return { state: 'gone', draft }
    return { state: 'unreadable', draft, why: errorMessage(error) }
  }
}

/** The longest a lookup of a request's draft records takes, all the records it reads included. */
export const DRAFT_LOOKUP_MS = 2 * LEDGER_READ_MS

/** A record that holds none of ours is passed over (said, with why); a read that failed is rethrown. */
const refusedRecord =
  (passOver: (runId: number | string, why: string) => void, runId: number | string) =>
  (error: unknown): undefined => {
    if (!heldNoRecord(error)) throw error
    passOver(runId, errorMessage(error))
    return undefined
  }

/** What follows from not knowing the reviewed draft, and what to do: a refused token needs a permission, anything else a re-run. */
function notKnowing(why: string, attempt: number): string {
  const refused = /\b403\b|not accessible by integration/i.test(why)
  return (
    `this attempt exported nothing, as the reviewed draft may exist${attempt > 1 ? " (an earlier attempt's export of this request is taken up by a re-run that knows)" : ''}. ` +
    (refused ? "Give the job 'actions: read' and re-run it" : 'Re-run the job once GitHub and AI Studios answer') +
    (attempt > 1 ? '' : ", or set 'from-draft: false' to export anew")
  )
}

/** A draft and the run that saved it, as messages name them. */
export const draftOf = ({ projectId, runId }: FoundDraft): string => `draft ${projectId}, saved by run ${runId} for this request,`

/** Why a video has no reviewed draft to export: said in the notice (`true`) or the refusal (`required`). */
export interface NoDraft {
  result: VideoResult
  /** The step's own request, which `true` exports anew. */
  request: ExportRequest
  why: string
  /** The draft a record names, when it is gone: only its video will do for reuse. */
  draft?: string
}

/**
 * With `from-draft`, the reviewed draft of this request, to be exported as it is, with the review's
 * edits, through the export endpoint: the request that does so, or why there is none (`true` then
 * exports anew with a notice; `required` refuses). Not knowing (the records unread, the draft unreadable)
 * fails the video: either export could be the wrong one to pay for.
 */
export async function draftExport(
  result: VideoResult,
  request: ExportRequest,
  production: Production,
  context: CallContext
): Promise<ExportRequest | NoDraft> {
  const { log } = context
  const { job } = production
  const exporting = job.dryRun || job.plan ? 'a run would export' : 'exporting'
  const none = (why: string, draft?: string): NoDraft => {
    const anew = job.github.reuse
      ? `its video is looked for (reuse), else ${exporting.replace('exporting', 'it is exported')} anew`
      : `${exporting} anew`
    if (job.github.fromDraft === 'true') log.notice(`from-draft: ${why}; ${anew}`)
    return { result, request, why, draft }
  }
  if (!production.github || request.generation !== 'v3') {
    log.notice(`from-draft: ${request.generation === 'v3' ? 'GitHub is not reachable' : 'the legacy API keeps no drafts'}; no draft is looked for`)
    return { result, request, why: request.generation === 'v3' ? 'GitHub is not reachable' : 'the legacy API keeps no drafts' }
  }
  // The step's own request: the ledger knows the export by it, whichever draft (or none) paid for it.
  const fingerprint = requestFingerprint(request)
  const lookup = await findReviewedDraft(request, production, context, { label: 'from-draft', ownRun: true })
  switch (lookup.state) {
    case 'none':
      return none('no draft run saved a draft of this request (or the request changed since)')
    case 'unknown':
      throw new Error(`from-draft: the draft records could not be looked up (${lookup.why}); ${notKnowing(lookup.why, job.runner.runAttempt)}`)
    case 'unreadable':
      throw new Error(
        `from-draft: ${draftOf(lookup.draft)} could not be read in AI Studios (${lookup.why}); ${notKnowing('', job.runner.runAttempt)}`
      )
    case 'gone': {
      // On a re-run attempt, an earlier attempt may have exported it and cleanup deleted it: the ledger
      // (under the step's own request) then has that export, which is re-attached to, nothing sent again.
      const { draft } = lookup
      if (job.runner.runAttempt > 1 && (await findEarlierExport(fingerprint, job.runner, log, context.signal, Date.now() + LEDGER_READ_MS))) {
        // What that export was (the draft's, or the step's before the draft was found) cannot be told: it is the step's own.
        log.notice(`from-draft: ${draftOf(draft)} is gone, and an earlier attempt of this run exported this request: that export is taken up`)
        return request
      }
      return none(`${draftOf(draft)} was deleted since`, draft.projectId)
    }
    case 'found': {
      const { draft, project } = lookup
      // A saved project that was its own draft is exported as it is (the lookup took only a record naming it).
      const own = request.kind === 'saved' ? draft.projectId : undefined
      // Created by the draft run unless it is the step's own saved project: cleanup deletes only a created draft.
      result.fromDraft = { projectId: draft.projectId, runId: draft.runId, created: own === undefined }
      log.notice(
        job.runner.runAttempt > 1
          ? `from-draft: ${draftOf(draft)} is the reviewed draft; an earlier attempt's export of this request, if any, is taken up instead`
          : `from-draft: ${exporting} ${draftOf(draft)} as it is (with the review's edits)`
      )
      if (own !== undefined) return request
      // Known to reuse by the draft as it is now (an edit in a later review is another video); to the ledger by the step's own request.
      return reviewedExport(draft.projectId, project, request, fingerprint)
    }
  }
}

/**
 * The export of a reviewed draft as it is: known to the ledger by the step's own request (`fingerprint`),
 * to reuse by what the draft holds and the export's options (a new draft of the same content is the same video).
 */
export function reviewedExport(projectId: string, project: JsonObject, request: ExportRequest, fingerprint: string): ExportRequest {
  const exported = { ...savedProjectExport(projectId, project, {}), body: exportBody(projectId, request), standsFor: fingerprint }
  const options = Object.fromEntries(Object.entries(exported.body).filter(([name]) => name !== 'projectId'))
  return { ...exported, reuseAs: requestFingerprint({ generation: 'v3', kind: 'saved', content: `draft ${exported.content ?? ''}`, body: options }) }
}

/** The export of a draft: its ID, with the export's own options the step's request carries (workspace, resolution, webhook). */
function exportBody(projectId: string, request: ExportRequest): JsonObject {
  const body: JsonObject = { projectId }
  for (const option of ['workspaceId', 'resolution', 'webhookUrl']) if (request.body[option] !== undefined) body[option] = request.body[option]
  return body
}

/**
 * On a re-run attempt that took up an earlier attempt's export of the step's request: whether that export
 * was the reviewed draft's as the review left it (its record matches the draft; a delivered one's mark
 * names the draft). If not (sent before the draft was found, or the draft edited since), the video is the
 * step's own request's: it is not recorded as the draft's, and cleanup leaves the draft.
 */
export async function confirmDraftExport(
  result: VideoResult,
  earlier: { key: string; delivered?: DeliveredVideo },
  fingerprint: string,
  client: AiStudiosClient,
  context: CallContext
): Promise<void> {
  const draft = result.fromDraft
  if (!draft) return
  let same = false
  if (earlier.delivered) same = earlier.delivered.reviewedDraft === draft.projectId
  else {
    try {
      same = resumeMismatches(await client.getProject(earlier.key, context), await client.getProject(draft.projectId, context)).length === 0
    } catch (error) {
      if (context.signal?.aborted) throw error
    }
  }
  if (same) return
  context.log.warning(
    `Export ${earlier.key}, which an earlier attempt of this run sent for this request, is not draft ${draft.projectId} as the review left it ` +
      '(it was sent before the draft was found, or the draft was edited since): it is taken up, as it is paid for, and the draft is kept for a later run'
  )
  result.fromDraft = undefined
  result.reuseKey = fingerprint
}
