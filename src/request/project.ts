import { createHash } from 'node:crypto'
import {
  isJsonObject,
  type ExportOptions,
  type ExportRequest,
  type Json,
  type JsonObject,
  type SceneSpeech,
  type TagValue,
  type VideoSpec
} from '../domain.js'
import { InputError } from '../errors.js'
import { refuseLeftPlaceholders, refusePlaceholders } from './placeholders.js'
import { completeScripts } from './scripts.js'
import { applySpeech } from './speech.js'
import { applyTags } from './tags.js'
import { refuseIncomplete } from './contract.js'

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
 * What a source holds that the create-and-export body does not take (create-project.md lists no
 * `dictionary` since docs 1.5; only 1.4 did), so the exported copy is made without it: named in a
 * warning, never lost silently. Pure.
 */
export function fieldsLost(source: JsonObject): string[] {
  const dictionary = source.dictionary
  const held = Array.isArray(dictionary) ? dictionary.length > 0 : isJsonObject(dictionary) ? Object.keys(dictionary).length > 0 : false
  return held ? ['dictionary (its pronunciation list)'] : []
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
  tags: TagValue[] = [],
  draft = false
): ExportRequest {
  if (!Array.isArray(project.scenes) || project.scenes.length === 0) {
    throw new Error(`Project ${projectId} has no scenes to export; open it in AI Studios and check it was saved`)
  }
  const scenes = structuredClone<Json[]>(project.scenes)
  refusePlaceholders(speech, tags, options.name)
  applySpeech(scenes, speech, 'v3', `project ${projectId}`)
  applyTags(scenes, tags, `project ${projectId}`)
  completeScripts(scenes, 'project-id', `project ${projectId}`)
  // Read as a template's is: the case the editor wrote it in, and nothing but the two the API renders.
  const orientation = typeof project.orientation === 'string' ? project.orientation.trim().toLowerCase() : (project.orientation ?? 'landscape')
  if (orientation !== 'landscape' && orientation !== 'portrait') {
    throw new InputError(
      'project-id',
      `project ${projectId} has "orientation" ${JSON.stringify(project.orientation)}; the API renders landscape or portrait`
    )
  }
  const own = { name: typeof project.name === 'string' ? project.name : undefined, orientation }
  const request: ExportRequest = { generation: 'v3', body: v3ExportBody(own, scenes, options) }
  if (draft) asDraft(request)
  refuseIncomplete(request, `project ${projectId}`)
  refuseLeftPlaceholders(request.body, `project ${projectId}`, 'project-id')
  return request
}

/** Whether the step changes a saved project: new speech, tag values or a name. Unchanged, it is exported as it is. */
export const changesProject = (spec: Pick<VideoSpec, 'speech' | 'tags' | 'exportOptions'>): boolean =>
  spec.speech.length > 0 || spec.tags.length > 0 || spec.exportOptions.name !== undefined

/**
 * The request that exports a saved v3 project as it is (`POST /editor/project/export`, export-project.md):
 * its ID and the export options the step set, nothing created, the project's dictionary kept. `content`
 * digests what the user holds in the project (name, orientation, scenes), so an edit in the editor makes it another request (ledger, `reuse`).
 */
export function savedProjectExport(projectId: string, project: JsonObject, options: ExportOptions): ExportRequest {
  if (!Array.isArray(project.scenes) || project.scenes.length === 0) {
    throw new Error(`Project ${projectId} has no scenes to export; open it in AI Studios and check it was saved`)
  }
  const body: JsonObject = { projectId }
  if (options.workspaceId) body.workspaceId = options.workspaceId
  if (options.resolution) body.resolution = options.resolution
  if (options.webhookUrl) body.webhookUrl = options.webhookUrl
  // What the user owns and edits (get-project.md's client fields): a field the server owns, such as the
  // dictionary, may change when the project is exported, and must not make a re-run attempt another request.
  const held = JSON.stringify([project.name ?? null, project.orientation ?? null, project.scenes])
  return { generation: 'v3', kind: 'saved', body, content: createHash('sha256').update(held).digest('hex') }
}

/** A v3 request made a draft: the project is created with `isExport: false`, saved for review and not rendered. */
export function asDraft(request: ExportRequest): ExportRequest {
  request.kind = 'draft'
  request.body.isExport = false
  return request
}
