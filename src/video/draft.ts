import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import type { ExportRequest, VideoResult } from '../domain.js'
import { ExportUnconfirmedError } from '../errors.js'

/**
 * A video's draft, for review before paying: its project created with `isExport: false` (shown on the
 * dashboard, nothing rendered or billed), or a saved project the step does not change, which is its
 * own draft and needs no call. The creation is sent as an export is (once, unless provably not sent),
 * so a lost answer never leaves a second draft behind; no ledger, as nothing is paid.
 */
export async function saveDraft(
  result: VideoResult,
  request: ExportRequest,
  { client, deadlineAt }: { client: AiStudiosClient; deadlineAt: number },
  context: CallContext,
  cancel?: AbortSignal
): Promise<void> {
  const { log } = context
  result.stage = 'export'
  let projectId: string
  if (request.kind === 'saved') {
    projectId = typeof request.body.projectId === 'string' ? request.body.projectId : ''
    log.info(`Draft: project ${projectId} is not changed by the step, so it is its own draft; nothing was created or rendered`)
  } else {
    log.info(`Saving a draft: POST ${client.exportTarget(request).url} with "isExport": false (nothing is rendered or paid)`)
    try {
      projectId = await client.createDraft(request, { ...context, signal: cancel }, { stop: context.signal, deadlineAt })
    } catch (error) {
      if (error instanceof ExportUnconfirmedError) result.exportUnconfirmed = true
      throw error
    }
    log.info(`Draft saved: project ${projectId}, not rendered`)
  }
  result.draft = { projectId, url: client.draftUrl(), created: request.kind === 'draft' }
  result.status = 'draft'
}
