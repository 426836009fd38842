import type { CallContext } from '../aistudios/client.js'
import type { ExportRequest, RunnerEnv, VideoResult } from '../domain.js'
import { ApiError, ExportUnconfirmedError, errorMessage } from '../errors.js'
import { earlierAttemptDraft, type DraftRecord } from '../github/drafts.js'
import { withDeadline } from '../waits.js'
import { findReviewedDraft } from './from-draft.js'
import { LEDGER_READ_MS } from './ledger.js'
import type { Production } from './produce.js'

/**
 * On a re-run attempt, the draft an earlier attempt of this run saved for the request: its record is the
 * one `from-draft` will find (a run's artifact names are its own for good), so that draft is the one to
 * show for review again. Not knowing (the run's artifacts unread) saves no second draft that would not be found.
 */
async function earlierDraft(key: string, runner: RunnerEnv, context: CallContext): Promise<DraftRecord | undefined> {
  try {
    return await earlierAttemptDraft(key, runner, withDeadline(LEDGER_READ_MS, context.signal).signal)
  } catch (error) {
    if (context.signal?.aborted) throw error
    throw new Error(
      `the draft records of this run's earlier attempts could not be read (${errorMessage(error)}); an earlier attempt may have saved this ` +
        "draft, and a second one would not be the one 'from-draft' exports, so none was saved. Re-run the job once the artifact service answers",
      { cause: error }
    )
  }
}

/**
 * A video's draft, for review before paying: its project created with `isExport: false` (shown on the
 * dashboard, nothing rendered or billed), or a saved project the step does not change, which is its
 * own draft and needs no call. The creation is sent as an export is (once, unless provably not sent),
 * so a lost answer never leaves a second draft behind; no ledger, as nothing is paid. A draft already
 * saved for the same request is kept instead, with any edits made to it in review: an earlier attempt's
 * (a re-run), or one an earlier run of this repository saved (a later push to the pull request), which
 * is the one `from-draft` would otherwise find under a newer draft nobody reviewed.
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
    // Its record is the same on every attempt: one an earlier attempt left stands (another would be refused).
    const earlier = await earlierDraft(key, job.runner, context).catch((error: unknown) => {
      if (context.signal?.aborted) throw error
      log.warning(errorMessage(error))
      return undefined
    })
    result.draft = { projectId, url, created: false, recorded: earlier?.projectId === projectId }
    result.status = 'draft'
    return
  }
  const earlier = await earlierDraft(key, job.runner, context)
  if (earlier) {
    try {
      await client.getProject(earlier.projectId, context)
    } catch (error) {
      if (!(error instanceof ApiError && error.notFound)) throw error
      throw new Error(
        `draft ${earlier.projectId}, which an earlier attempt of this run saved for this request, was deleted since, and this run's record ` +
          "of it (the one 'from-draft' finds) cannot be replaced within the run; no second draft was saved. Push a commit, or start the workflow anew, to save a new draft",
        { cause: error }
      )
    }
    log.info(
      `Draft: an earlier attempt of this run saved draft ${earlier.projectId} for this request; it is kept, with any edits made to it since, and nothing was created`
    )
    result.draft = { projectId: earlier.projectId, url, created: true, recorded: true }
    result.status = 'draft'
    return
  }
  const reviewed = await findReviewedDraft(request, production, context, {
    label: 'draft',
    otherwise:
      "; a new draft is saved, and a merge with 'from-draft' exports it (the job needs actions: read to keep a draft already saved, with its review's edits)"
  })
  if (reviewed?.project) {
    log.info(
      `Draft: run ${reviewed.runId} saved draft ${reviewed.projectId} for this request; it is kept, with any edits made to it in review, and nothing was created`
    )
    // Recorded by this run too: found as long as this run's artifacts are kept.
    result.draft = { projectId: reviewed.projectId, url, created: true, recorded: false }
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
