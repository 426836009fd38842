import type { CallContext } from '../aistudios/client.js'
import type { ExportRequest, VideoResult } from '../domain.js'
import { ApiError, ExportUnconfirmedError, errorMessage } from '../errors.js'
import { thisRunDraft, type FoundDraft } from '../github/drafts.js'
import { heldNoRecord } from '../github/artifact-service.js'
import { withDeadline } from '../waits.js'
import { draftOf, findReviewedDraft } from './from-draft.js'
import { LEDGER_READ_MS } from './ledger.js'
import type { Production } from './produce.js'

/** A draft already saved for the request, kept instead of a new one; `recorded` when this run's record of it stands. */
interface KeptDraft {
  projectId: string
  recorded: boolean
  why: string
}

/**
 * The draft already saved for this request, to keep (with any edits made to it in review) rather than
 * save a newer one that `from-draft` would take instead: this run's own (an earlier attempt's: its
 * record is the one found, and a run's artifact names are its own for good), else the newest a trusted
 * run of this repository saved (a later push to the pull request). Throws when keeping is unsure: the
 * run's own records unread on a re-run attempt, its draft deleted since, an earlier run's draft unreadable.
 */
async function draftToKeep(request: ExportRequest, key: string, production: Production, context: CallContext): Promise<KeptDraft | undefined> {
  const { job, client } = production
  const { log, signal } = context
  let own: FoundDraft | undefined
  try {
    own = await thisRunDraft(key, job.runner, withDeadline(LEDGER_READ_MS, signal).signal)
  } catch (error) {
    if (heldNoRecord(error)) {
      throw new Error(
        `draft: this run's draft record of this request was refused (${errorMessage(error)}): another job of the run wrote it, and a draft saved now ` +
          "could not be recorded in its place, so 'from-draft' would not find it; none was saved. Start the workflow anew",
        { cause: error }
      )
    }
    if (signal?.aborted) throw error
    const why = `this run's draft records could not be read (${errorMessage(error)})`
    // A first attempt has no earlier one: a second draft is only a duplicate, and its record the one found.
    if (job.runner.runAttempt <= 1) log.warning(`draft: ${why}`)
    else
      throw new Error(
        `draft: ${why}; an earlier attempt may have saved this draft, and a second one would not be the one 'from-draft' exports, so none was saved. ` +
          'Re-run the job once the artifact service answers',
        { cause: error }
      )
  }
  if (own) {
    try {
      await client.getProject(own.projectId, context)
    } catch (error) {
      if (!(error instanceof ApiError && error.notFound)) throw error
      throw new Error(
        `draft ${own.projectId}, which this run saved for this request earlier, was deleted since, and this run's record of it (the one ` +
          "'from-draft' finds) cannot be replaced within the run; no second draft was saved. Push a commit, or start the workflow anew, to save a new draft",
        { cause: error }
      )
    }
    return { projectId: own.projectId, recorded: true, why: 'this run saved it earlier (an earlier attempt or job)' }
  }
  const lookup = await findReviewedDraft(request, production, context, { label: 'draft', ownRun: false })
  switch (lookup.state) {
    case 'found':
      return { projectId: lookup.draft.projectId, recorded: false, why: `run ${lookup.draft.runId} saved it` }
    case 'unreadable':
      throw new Error(
        `draft: ${draftOf(lookup.draft)} could not be read in AI Studios (${lookup.why}); no newer draft was saved, which a merge would ` +
          'export instead of the reviewed one. Re-run the job'
      )
    case 'unknown':
      log.warning(
        `draft: the draft records could not be looked up (${lookup.why}); a new draft is saved, and a merge with 'from-draft' exports it ` +
          "(the job needs actions: read to keep a draft already saved, with its review's edits)"
      )
      return undefined
    default:
      return undefined
  }
}

/**
 * A video's draft, for review before paying: its project created with `isExport: false` (shown on the
 * dashboard, nothing rendered or billed), or a saved project the step does not change, which is its
 * own draft and needs no call. A draft already saved for the same request is kept instead (draftToKeep).
 * The creation is sent as an export is (once, unless provably not sent), so a lost answer never leaves a
 * second draft behind; no ledger, as nothing is paid.
 */
export async function saveDraft(
  result: VideoResult,
  request: ExportRequest,
  key: string,
  production: Production,
  context: CallContext,
  cancel?: AbortSignal
): Promise<void> {
  const { log } = context
  const { job, client } = production
  result.stage = 'export'
  const url = client.draftUrl()
  if (request.kind === 'saved') {
    const projectId = typeof request.body.projectId === 'string' ? request.body.projectId : ''
    log.info(`Draft: project ${projectId} is not changed by the step, so it is its own draft; nothing was created or rendered`)
    // Its record is the same on every attempt: one this run left stands (another would be refused).
    const own = await thisRunDraft(key, job.runner, withDeadline(LEDGER_READ_MS, context.signal).signal).catch((error: unknown) => {
      if (context.signal?.aborted) throw error
      log.warning(`draft: this run's draft records could not be read (${errorMessage(error)})`)
      return undefined
    })
    result.draft = { projectId, url, created: false, recorded: own?.projectId === projectId }
    result.status = 'draft'
    return
  }
  const kept = await draftToKeep(request, key, production, context)
  if (kept) {
    log.info(`Draft: ${kept.why}: draft ${kept.projectId} of this request is kept, with any edits made to it since, and nothing was created`)
    result.draft = { projectId: kept.projectId, url, created: true, recorded: kept.recorded }
    result.status = 'draft'
    return
  }
  log.info(`Saving a draft: POST ${client.exportTarget(request).url} with "isExport": false (nothing is rendered or paid)`)
  let projectId: string
  try {
    projectId = await client.createDraft(
      request,
      { ...context, signal: cancel },
      { stop: context.signal, deadlineAt: Date.now() + job.wait.timeoutMs }
    )
  } catch (error) {
    if (error instanceof ExportUnconfirmedError) result.exportUnconfirmed = true
    throw error
  }
  log.info(`Draft saved: project ${projectId}, not rendered`)
  result.draft = { projectId, url, created: true, recorded: false }
  result.status = 'draft'
}

/** A dry run of a draft: the draft a run would keep (saying so, sending nothing), or undefined when it would save one. */
export async function dryRunKeptDraft(request: ExportRequest, key: string, production: Production, context: CallContext): Promise<boolean> {
  if (request.kind !== 'draft') return false
  const kept = await draftToKeep(request, key, production, context)
  if (kept)
    context.log.info(`Dry run: ${kept.why}: a run would keep draft ${kept.projectId} of this request, with its review's edits, and create nothing`)
  return kept !== undefined
}
