import type { ExportRequest, Json, JsonObject } from '../api/types.js'
import type { ExportOptions, SceneSpeech } from '../settings/settings.js'
import { applySpeech } from './speech.js'

/** The export options as body fields, leaving out what the user did not set (the API's defaults apply). */
export function optionFields(options: ExportOptions): JsonObject {
  const fields: JsonObject = {}
  if (options.workspaceId) fields.workspaceId = options.workspaceId
  if (options.resolution) fields.resolution = options.resolution
  if (options.webhookUrl) fields.webhookUrl = options.webhookUrl
  return fields
}

/**
 * The create-and-export body for a fetched saved project with new speech: only `name`,
 * `orientation` and `scenes` of the project, never what the server owns (`_id`, timestamps, state).
 */
export function exportFromProject(
  projectId: string,
  project: JsonObject,
  speech: SceneSpeech[],
  options: ExportOptions
): ExportRequest {
  if (!Array.isArray(project.scenes) || project.scenes.length === 0) {
    throw new Error(`Project ${projectId} has no scenes to export; open it in AI Studios and check it was saved`)
  }
  const scenes = structuredClone(project.scenes) as Json[]
  applySpeech(scenes, speech, 'v3', `project ${projectId}`)
  const body: JsonObject = {
    name: options.name ?? (typeof project.name === 'string' ? project.name : 'Default Template'),
    orientation: project.orientation === 'portrait' ? 'portrait' : 'landscape',
    scenes,
    isExport: true,
    ...optionFields(options)
  }
  return { generation: 'v3', body }
}
