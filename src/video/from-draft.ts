import type { CallContext } from '../aistudios/client.js'
import type { ExportRequest, JsonObject, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { findDraft, type FoundDraft } from '../github/drafts.js'
import { draftKey, requestFingerprint } from './ledger.js'
import type { Production } from './produce.js'

/** A reviewed draft found for a request: its record, and the project as AI Studios holds it now (absent: it could not be read). */
export interface ReviewedDraft extends FoundDraft {
  project?: JsonObject
}

/**
 * The draft a draft run of this repository saved for this very request (its record keyed by the request's
 * draft key), read back in AI Studios (a read, free): undefined when there is none, none can be looked up
 * (said as a warning), or the request is not one a draft can stand for. A draft that cannot be read comes
 * without its project: the caller decides what that means.
 */
export async function findReviewedDraft(
  request: ExportRequest,
  { job, github, client }: Production,
  context: CallContext,
  /** Who looks, and what follows when the lookup fails: the warning's first and last words. */
  purpose: { label: string; otherwise: string } = { label: 'from-draft', otherwise: '' }
): Promise<ReviewedDraft | undefined> {
  const { log } = context
  if (!github || request.generation !== 'v3') return undefined
  let found: FoundDraft | undefined
  try {
    found = await findDraft(
      github,
      draftKey(request),
      job.runner,
      (runId, why) => log.warning(`${purpose.label}: the draft record of run ${runId} was not taken: ${why}`),
      context.signal
    )
  } catch (error) {
    if (context.signal?.aborted) throw error
    log.warning(`${purpose.label}: the draft records could not be looked up (${errorMessage(error)})${purpose.otherwise}`)
    return undefined
  }
  if (!found) return undefined
  try {
    return { ...found, project: await client.getProject(found.projectId, context) }
  } catch (error) {
    if (context.signal?.aborted) throw error
    log.warning(`${purpose.label}: draft ${found.projectId}, saved by run ${found.runId}, cannot be read in AI Studios (${errorMessage(error)})`)
    return found
  }
}

/**
 * With `from-draft`, the reviewed draft of this request, to be exported as it is, with the review's edits,
 * through the export endpoint: the request that does so, or undefined when there is none (a changed request
 * finds none). `true` then exports anew with a notice; a lookup that fails counts as none, with a warning.
 */
export async function draftExport(
  result: VideoResult,
  request: ExportRequest,
  production: Production,
  context: CallContext
): Promise<ExportRequest | undefined> {
  const { log } = context
  const { job } = production
  if (!production.github || request.generation !== 'v3') {
    log.notice(`from-draft: ${request.generation === 'v3' ? 'GitHub is not reachable' : 'the legacy API keeps no drafts'}; no draft is looked for`)
    return undefined
  }
  const found = await findReviewedDraft(request, production, context)
  // A draft deleted since the review is no draft, found before anything is sent. On a re-run attempt, an
  // earlier attempt may have exported it and cleanup deleted it: the ledger (under the step's own request)
  // then says so, and nothing is sent again.
  if (!found || (!found.project && job.runner.runAttempt <= 1)) {
    if (job.github.fromDraft === 'true')
      log.notice(
        `from-draft: no draft run saved a draft of this request (or the request changed since); ${job.dryRun ? 'a run would export' : 'exporting'} anew`
      )
    return undefined
  }
  // Created by the draft run unless it is the step's own saved project, whatever the record says: cleanup deletes
  // a created draft, and a record (written by any run of this repository) must not get the user's project deleted.
  const own = request.kind === 'saved' ? request.body.projectId : undefined
  result.fromDraft = { projectId: found.projectId, runId: found.runId, created: found.projectId !== own }
  log.notice(
    `from-draft: ${job.dryRun ? 'a run would export' : 'exporting'} draft ${found.projectId}, saved by run ${found.runId} for this request, as it is (with the review's edits)`
  )
  // A saved project that was its own draft is already exported as it is.
  if (request.kind === 'saved') return request
  const fingerprint = requestFingerprint(request)
  const body: JsonObject = { projectId: found.projectId }
  for (const option of ['workspaceId', 'resolution', 'webhookUrl']) if (request.body[option] !== undefined) body[option] = request.body[option]
  // Known by the step's own request: a re-run attempt finds this export, and a later run's reuse its video.
  return { generation: 'v3', kind: 'saved', body, content: `draft of ${fingerprint}`, standsFor: fingerprint }
}
