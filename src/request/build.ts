import * as core from '@actions/core'
import type { AiStudiosClient } from '../api/client.js'
import type { ExportRequest } from '../api/types.js'
import type { Settings, Source } from '../settings/settings.js'
import { exportFromProject } from './project.js'
import { exportFromTemplate } from './template.js'

/** The export request the settings describe: from a saved project (fetched) or a template. */
export async function buildExportRequest(
  source: Exclude<Source, { kind: 'resume' }>,
  settings: Settings,
  client: AiStudiosClient,
  signal?: AbortSignal
): Promise<ExportRequest> {
  if (source.kind === 'template') {
    const { request, unusedVariables } = exportFromTemplate(
      source.template,
      source.variables,
      settings.speech,
      settings.exportOptions,
      source.generation
    )
    for (const name of unusedVariables) {
      core.warning(`Variable ${name} (from ${source.variables.get(name)?.from}) matches no ##${name}## in ${source.template.name}: a typo?`)
    }
    return request
  }
  core.info(`Fetching project ${source.projectId}`)
  const project = await client.getProject(source.projectId, signal)
  return exportFromProject(source.projectId, project, settings.speech, settings.exportOptions)
}
