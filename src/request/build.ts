import type { AiStudiosClient } from '../api/client.js'
import type { ExportRequest } from '../api/types.js'
import type { Settings } from '../settings/settings.js'
import { exportFromProject } from './project.js'

/** The export request the settings describe (from a saved project or a template). */
export async function buildExportRequest(
  settings: Settings,
  client: AiStudiosClient,
  signal?: AbortSignal
): Promise<ExportRequest> {
  const source = settings.source
  if (source.kind !== 'project') throw new Error(`No export request is built for a ${source.kind} source`)
  const project = await client.getProject(source.projectId, signal)
  return exportFromProject(source.projectId, project, settings.speech, settings.exportOptions)
}
