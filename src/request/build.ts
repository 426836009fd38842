import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import { isJsonObject, type ExportRequest, type Log, type Source, type VideoSpec } from '../domain.js'
import { InputError } from '../errors.js'
import { exportFromLegacyProject } from './legacy-project.js'
import { changesProject, exportFromProject, fieldsLost, savedProjectExport } from './project.js'
import { exportFromTemplate } from './template.js'

type TemplateSource = Extract<Source, { kind: 'template' }>

const LOST =
  'the create-and-export body does not take (docs 1.5+): the exported project is made without it; write the words in the speech as they should sound'

/** A template's export request: pure, so every template of a job is checked before anything is sent. */
export function templateRequest(source: TemplateSource, spec: VideoSpec, log: Log, draft = false): ExportRequest {
  const { request, unusedVariables, asksDraft } = exportFromTemplate(
    source.template,
    source.variables,
    spec.speech,
    spec.exportOptions,
    source.generation,
    spec.tags,
    draft
  )
  if (asksDraft && !draft) log.notice(`${source.template.name} says "isExport": false: its project is saved as a draft for review, not rendered`)
  if (isJsonObject(source.template.data))
    for (const field of fieldsLost(source.template.data)) log.warning(`${source.template.name} has a ${field}, which ${LOST}`)
  for (const name of unusedVariables) {
    log.warning(`Variable ${name} (from ${source.variables.get(name)?.from}) matches no ##${name}## in ${source.template.name}: a typo?`)
  }
  return request
}

/**
 * The export request a spec describes: from a saved project (fetched; re-created with the step's
 * changes, or exported as it is when the step changes nothing) or a template.
 */
export async function buildExportRequest(
  source: Exclude<Source, { kind: 'resume' }>,
  spec: VideoSpec,
  client: AiStudiosClient,
  context: CallContext,
  /** `draft`: a template or a changed project is created without rendering; an unchanged one is its own draft. */
  draft = false
): Promise<ExportRequest> {
  if (source.kind === 'template') return templateRequest(source, spec, context.log, draft)
  if (source.generation === 'legacy') {
    if (draft) throw new InputError('draft', `the legacy API saves no project without rendering it: 'draft' takes v3 templates and projects`)
    context.log.info(`Fetching legacy project ${source.projectId}`)
    return exportFromLegacyProject(
      source.projectId,
      await client.getLegacyProject(source.projectId, context),
      spec.speech,
      spec.exportOptions,
      spec.tags
    )
  }
  context.log.info(`Fetching project ${source.projectId}`)
  const project = await client.getProject(source.projectId, context)
  // Nothing to change: exported as it is, no copy created (and its dictionary kept).
  if (!changesProject(spec)) return savedProjectExport(source.projectId, project, spec.exportOptions)
  for (const field of fieldsLost(project)) context.log.warning(`Project ${source.projectId} has a ${field}, which ${LOST}`)
  return exportFromProject(source.projectId, project, spec.speech, spec.exportOptions, spec.tags, draft)
}
