import { spends, type Production } from './produce.js'
import type { VideoSpec } from '../domain.js'
import { videoLog } from '../log.js'
import { buildExportRequest } from '../request/build.js'
import { draftExport, type NoDraft } from './from-draft.js'
import { newResult, requiredRefusal, unreused } from './produce-all.js'

/**
 * `from-draft: required` before a matrix (the plan): every video's reviewed draft is looked up as its
 * render job will look it up (reads only: a saved project's, the draft records, each draft), and, with
 * `reuse`, a reviewed draft's earlier video. One without either refuses the plan, so that no render job
 * pays for its videos while another's are refused.
 */
export async function requireReviewedDrafts(videos: VideoSpec[], production: Production, signal: AbortSignal): Promise<void> {
  const missing: NoDraft[] = []
  for (const spec of videos) {
    if (spec.source.kind === 'resume') continue
    const result = newResult(spec)
    const context = { signal, log: videoLog(spec.name) }
    const request = await buildExportRequest(spec.source, spec, production.client, context)
    // A template that saves itself as a draft is paid for by no one.
    if (!spends(request, production.job)) continue
    const found = await draftExport(result, request, production, context)
    if (!('generation' in found)) missing.push(found)
  }
  const left = production.job.github.reuse ? await unreused(missing, production, (result) => ({ signal, log: videoLog(result.spec.name) })) : missing
  if (left.length > 0) throw requiredRefusal(left, 'no render job was started, and nothing was exported')
}
