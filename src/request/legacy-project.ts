import type { LegacyProject } from '../aistudios/legacy-project.js'
import type { ExportOptions, ExportRequest, Json, SceneSpeech, TagValue } from '../domain.js'
import { InputError } from '../errors.js'
import { refuseLeftPlaceholders, refusePlaceholders } from './placeholders.js'
import { applySpeech } from './speech.js'
import { refuseIncomplete } from './contract.js'

/** The legacy export body holds only scenes (export-project.mdx): an option the user set for it is refused, naming its input. */
export function refuseLegacyOptions(options: ExportOptions, sourceName: string, fallbackInput: string): void {
  const given = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => ({ name: 'name', resolution: 'resolution', workspaceId: 'workspace-id', webhookUrl: 'webhook-url' })[key])
  if (given.length > 0) {
    throw new InputError(given[0] ?? fallbackInput, `the legacy API takes only scenes; ${given.join(', ')} cannot be set for ${sourceName}`)
  }
}

/**
 * The legacy export of a saved legacy project, as the legacy tutorial (export-from-exist-project.md)
 * makes it: the fetched scenes with the avatar's new speech (`AIModel.script`), posted as `{ scenes }`.
 */
export function exportFromLegacyProject(
  key: string,
  project: LegacyProject,
  speech: SceneSpeech[],
  options: ExportOptions,
  tags: TagValue[]
): ExportRequest {
  const sourceName = `legacy project ${key}`
  if (tags.length > 0) throw new InputError('tags', `tags mark clips of v3 projects and templates; ${sourceName} is a legacy project`)
  refuseLegacyOptions(options, sourceName, 'project-id')
  refusePlaceholders(speech, tags)
  const scenes = structuredClone<Json[]>(project.scenes)
  applySpeech(scenes, speech, 'legacy', sourceName)
  const request: ExportRequest = { generation: 'legacy', body: { scenes } }
  refuseIncomplete(request, sourceName)
  refuseLeftPlaceholders(scenes, sourceName, 'project-id')
  return request
}
