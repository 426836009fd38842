import type { ExportOptions, ExportRequest, Json, JsonObject, SceneSpeech, TagValue } from '../domain.js'
import { refusePlaceholders } from './placeholders.js'
import { completeScripts } from './scripts.js'
import { applySpeech } from './speech.js'
import { applyTags } from './tags.js'

/**
 * A v3 create-and-export body: the source's name and orientation, the scenes, and the export options
 * the user set (the API's defaults apply to the rest). Of the source's other fields only `kept` go
 * along, never what the server owns (`_id`, timestamps, state); an option set by the user wins.
 */
export function v3ExportBody(source: JsonObject, scenes: Json[], options: ExportOptions, kept: readonly string[] = []): JsonObject {
  const body: JsonObject = {
    name: options.name ?? (typeof source.name === 'string' ? source.name : 'Default Template'),
    orientation: source.orientation === 'portrait' ? 'portrait' : 'landscape',
    scenes,
    isExport: true
  }
  for (const key of kept) if (source[key] !== undefined) body[key] = source[key]
  if (options.workspaceId) body.workspaceId = options.workspaceId
  if (options.resolution) body.resolution = options.resolution
  if (options.webhookUrl) body.webhookUrl = options.webhookUrl
  return body
}

/**
 * The create-and-export body for a fetched saved project with new speech: only `name`,
 * `orientation` and `scenes` of the project, never what the server owns (`_id`, timestamps, state).
 */
export function exportFromProject(
  projectId: string,
  project: JsonObject,
  speech: SceneSpeech[],
  options: ExportOptions,
  tags: TagValue[] = []
): ExportRequest {
  if (!Array.isArray(project.scenes) || project.scenes.length === 0) {
    throw new Error(`Project ${projectId} has no scenes to export; open it in AI Studios and check it was saved`)
  }
  const scenes = structuredClone<Json[]>(project.scenes)
  refusePlaceholders(speech, tags)
  applySpeech(scenes, speech, 'v3', `project ${projectId}`)
  applyTags(scenes, tags, `project ${projectId}`)
  completeScripts(scenes, 'project-id', `project ${projectId}`)
  return { generation: 'v3', body: v3ExportBody(project, scenes, options) }
}
