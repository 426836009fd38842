import type { ExportOptions, ExportRequest, Json, JsonObject, SceneSpeech, TagValue } from '../domain.js'
import { refuseLeftPlaceholders, refusePlaceholders } from './placeholders.js'
import { completeScripts } from './scripts.js'
import { applySpeech } from './speech.js'
import { applyTags } from './tags.js'

/** What the source of an export says for itself: its name and orientation, and (a template) export options. */
export type SourceOptions = ExportOptions & { orientation?: unknown }

/**
 * A v3 create-and-export body: the source's name and orientation, the scenes, and the export options
 * the user set, else the source's own (checked where it was read); the API's defaults apply to the rest.
 * Nothing else of the source goes along: never what the server owns (`_id`, timestamps, state).
 */
export function v3ExportBody(own: SourceOptions, scenes: Json[], options: ExportOptions): JsonObject {
  const body: JsonObject = {
    name: options.name ?? own.name ?? 'Default Template',
    orientation: own.orientation === 'portrait' ? 'portrait' : 'landscape',
    scenes,
    isExport: true
  }
  const workspaceId = options.workspaceId ?? own.workspaceId
  const resolution = options.resolution ?? own.resolution
  const webhookUrl = options.webhookUrl ?? own.webhookUrl
  if (workspaceId) body.workspaceId = workspaceId
  if (resolution) body.resolution = resolution
  if (webhookUrl) body.webhookUrl = webhookUrl
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
  refusePlaceholders(speech, tags, options.name)
  applySpeech(scenes, speech, 'v3', `project ${projectId}`)
  applyTags(scenes, tags, `project ${projectId}`)
  completeScripts(scenes, 'project-id', `project ${projectId}`)
  const own = { name: typeof project.name === 'string' ? project.name : undefined, orientation: project.orientation }
  const body = v3ExportBody(own, scenes, options)
  refuseLeftPlaceholders(body, `project ${projectId}`, 'project-id')
  return { generation: 'v3', body }
}
