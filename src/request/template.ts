import {
  isJsonObject,
  type ExportOptions,
  type ExportRequest,
  type Generation,
  type Json,
  type JsonObject,
  type SceneSpeech,
  type TagValue,
  type Template,
  type Variable
} from '../domain.js'
import { InputError, locator } from '../errors.js'
import { v3ExportBody } from './project.js'
import { refuseLegacyOptions } from './legacy-project.js'
import { completeScripts } from './scripts.js'
import { applySpeech } from './speech.js'
import { applyTags } from './tags.js'

/**
 * `##NAME##`: a name of up to 64 characters, any but `#` and line breaks, not starting or ending with a
 * space (`##product-name##`, `##제품##` too), so nothing that looks like a placeholder goes out unfilled.
 */
export const PLACEHOLDER = /##([^#\s](?:[^#\r\n]{0,62}[^#\s])?)##/gu

/** How many unresolved placeholders an error names before it counts the rest. */
const MAX_LISTED = 50

/** Every placeholder name in the template's string values, with the offset of its first use in the text. */
function findPlaceholders(template: Template): Map<string, number> {
  // Where each name first stands in the text, found in one pass (a name written with JSON escapes: line 1).
  const firstInText = new Map<string, number>()
  for (const match of template.text.matchAll(PLACEHOLDER)) if (!firstInText.has(match[1])) firstInText.set(match[1], match.index)
  const found = new Map<string, number>()
  const visit = (value: Json): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(PLACEHOLDER)) if (!found.has(match[1])) found.set(match[1], firstInText.get(match[1]) ?? 0)
    } else if (Array.isArray(value)) value.forEach(visit)
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit)
  }
  visit(template.data)
  return found
}

/**
 * Replaces each `##NAME##` in every string value (never in keys). Works on parsed values, so quotes,
 * backslashes, newlines and any script come out as valid JSON; a value containing `##` is not re-read.
 */
export function fillPlaceholders(value: Json, variables: ReadonlyMap<string, Variable>): Json {
  if (typeof value === 'string') return value.replace(PLACEHOLDER, (whole, name: string) => variables.get(name)?.value ?? whole)
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, variables))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, variables)]))
  }
  return value
}

/** Which API generation a template's shape belongs to (see the API contract's two scene shapes). */
export function detectGeneration(scenes: Json[]): Generation | 'mixed' | undefined {
  let legacy = false
  let v3 = false
  for (const scene of scenes) {
    if (!isJsonObject(scene)) continue
    if ('AIModel' in scene) legacy = true
    if ('scripts' in scene || 'background' in scene) v3 = true
    for (const clip of Array.isArray(scene.clips) ? scene.clips : []) {
      if (!isJsonObject(clip)) continue
      if (isJsonObject(clip.detail)) legacy = true
      else if (typeof clip.type === 'string') v3 = true
    }
  }
  return legacy && v3 ? 'mixed' : legacy ? 'legacy' : v3 ? 'v3' : undefined
}

/** The generation of a template's shape, when it has one (a resumed export of it is polled there). */
export function templateGeneration(template: Template): Generation | undefined {
  const root = template.data
  const detected = isJsonObject(root) && Array.isArray(root.scenes) ? detectGeneration(root.scenes) : undefined
  return detected === 'mixed' ? undefined : detected
}

/** A tag's value with its placeholders filled too; one left without a value is refused. Marks the names it used. */
function filledTagValue(tag: TagValue, variables: ReadonlyMap<string, Variable>, used: Map<string, number>): string {
  const filled = fillPlaceholders(tag.value, variables) as string
  for (const match of tag.value.matchAll(PLACEHOLDER)) if (variables.has(match[1])) used.set(match[1], 0)
  const left = [...filled.matchAll(PLACEHOLDER)].map((match) => match[0])
  if (left.length > 0) throw new InputError('tags', `the value of tag '${tag.tag}' has placeholder(s) with no value: ${left.join(', ')}`)
  return filled
}

export interface TemplateExport {
  request: ExportRequest
  /** Variables that matched no placeholder: usually a typo. */
  unusedVariables: string[]
}

/**
 * The export request for a template: placeholders filled, speech set per scene, the generation detected
 * from the shape (or forced). Refuses, with every problem named, before anything is sent.
 */
export function exportFromTemplate(
  template: Template,
  variables: ReadonlyMap<string, Variable>,
  speech: SceneSpeech[],
  options: ExportOptions,
  forced: Generation | undefined,
  tags: TagValue[] = []
): TemplateExport {
  const placeholders = findPlaceholders(template)
  const unresolved = [...placeholders].filter(([name]) => !variables.has(name))
  if (unresolved.length > 0) {
    const locate = locator(template.text)
    const first = locate(unresolved[0][1])
    // Named up to a bound, so a template of thousands of them gives a message a log can hold.
    const named = unresolved.slice(0, MAX_LISTED).map(([name, offset]) => `##${name}## (line ${locate(offset).line})`)
    const more = unresolved.length - named.length
    const list = `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
    throw new InputError(
      'template',
      `${template.name} has ${unresolved.length} placeholder(s) with no value: ${list}. Set them in 'variables' or 'variables-file'`,
      { file: template.file, ...first }
    )
  }
  const root = template.data
  if (!isJsonObject(root) || !Array.isArray(root.scenes)) {
    throw new InputError('template', `${template.name} is neither template shape: it needs a top-level object with a "scenes" array`, {
      file: template.file
    })
  }
  if (root.scenes.length === 0) throw new InputError('template', `${template.name} has an empty "scenes" array`, { file: template.file })
  const detected = detectGeneration(root.scenes)
  if (detected === 'mixed') {
    throw new InputError(
      'template',
      `${template.name} mixes the v3 shape (clips with "type") and the legacy shape ("AIModel", clips with "detail")`,
      {
        file: template.file
      }
    )
  }
  if (forced && detected && forced !== detected) {
    throw new InputError('api-generation', `'${forced}' was asked for, but ${template.name} has the ${detected} shape`)
  }
  const generation = forced ?? detected
  if (!generation) {
    throw new InputError(
      'template',
      `${template.name} is neither template shape: no scene has an avatar or a clip; set 'api-generation' to v3 or legacy`,
      {
        file: template.file
      }
    )
  }

  const filled = fillPlaceholders(root, variables) as JsonObject
  const scenes = filled.scenes as Json[]
  applySpeech(scenes, speech, generation, template.name)
  if (tags.length > 0 && generation === 'legacy') {
    throw new InputError('tags', `tags mark clips of v3 projects and templates; ${template.name} has the legacy shape`)
  }
  applyTags(
    scenes,
    tags.map((tag) => ({ ...tag, value: filledTagValue(tag, variables, placeholders) })),
    template.name
  )
  const unusedVariables = [...variables.keys()].filter((name) => !placeholders.has(name))

  if (generation === 'legacy') {
    refuseLegacyOptions(options, template.name, 'template')
    return { request: { generation, body: { scenes } }, unusedVariables }
  }
  completeScripts(scenes, 'template', template.name)
  // A template saved from a fetched project may carry server-owned fields that must not be posted.
  const body = v3ExportBody(filled, scenes, options, ['workspaceId', 'resolution', 'webhookUrl'])
  return { request: { generation, body }, unusedVariables }
}
