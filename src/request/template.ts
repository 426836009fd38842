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
import { detectGeneration } from '../job/template-shape.js'
import { PLACEHOLDER, filledText, fillPlaceholders, refuseLeftPlaceholders, resolveVariables } from './placeholders.js'
import { asDraft, v3ExportBody } from './project.js'
import { templateAsksDraft, templateOptions } from './template-options.js'
import { refuseLegacyOptions } from './legacy-project.js'
import { requestProblem } from './contract.js'
import { refuseFilledMedia } from './media.js'
import { completeScripts } from './scripts.js'
import { applySpeech, placeOf } from './speech.js'
import { applyTags } from './tags.js'

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

/** Marks the variables a text uses, so they are not reported unused. */
function markUsed(text: string, variables: ReadonlyMap<string, Variable>, used: Map<string, number>): void {
  for (const match of text.matchAll(PLACEHOLDER)) if (variables.has(match[1]) && !used.has(match[1])) used.set(match[1], 0)
}

export interface TemplateExport {
  request: ExportRequest
  /** The template says `isExport: false` itself: its request is a draft whatever `draft` says. */
  asksDraft: boolean
  /** Variables that matched no placeholder: usually a typo. */
  unusedVariables: string[]
}

/**
 * The export request for a template: placeholders filled, speech set per scene, the generation detected
 * from the shape (or forced). Refuses, with every problem named, before anything is sent.
 */
export function exportFromTemplate(
  template: Template,
  given: ReadonlyMap<string, Variable>,
  speech: SceneSpeech[],
  options: ExportOptions,
  forced: Generation | undefined,
  tags: TagValue[] = [],
  /** `draft`: the project is created without rendering it (v3 only). */
  draft = false
): TemplateExport {
  const placeholders = findPlaceholders(template)
  // Placeholders in the values themselves are filled first (one level), or refused.
  const variables = resolveVariables(given)
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

  const asksDraft = templateAsksDraft(root, template, generation)
  if (draft && generation === 'legacy') {
    throw new InputError(
      'draft',
      `${template.name} has the legacy shape, and the legacy API saves no project without rendering it: 'draft' takes v3 templates and projects`,
      { file: template.file }
    )
  }
  const filled = fillPlaceholders(root, variables) as JsonObject
  const scenes = filled.scenes as Json[]
  refuseFilledMedia(root.scenes, scenes, template.name)
  // Speech and tag values are checked like the template's own strings: filled, or refused.
  for (const text of [...speech.map((line) => line.text), ...tags.map((tag) => tag.value), options.name ?? ''])
    markUsed(text, variables, placeholders)
  // The video's name ('name', a manifest entry's 'title') is filled like speech: "Release ##VERSION##".
  const filledOptions = options.name === undefined ? options : { ...options, name: filledText(options.name, variables, "the video's name", 'name') }
  const filledSpeech = speech.map((line) => ({ ...line, text: filledText(line.text, variables, `the speech of ${placeOf(line)}`, line.from) }))
  applySpeech(scenes, filledSpeech, generation, template.name)
  if (tags.length > 0 && generation === 'legacy') {
    throw new InputError('tags', `tags mark clips of v3 projects and templates; ${template.name} has the legacy shape`)
  }
  applyTags(
    scenes,
    tags.map((tag) => ({ ...tag, value: filledText(tag.value, variables, `the value of tag '${tag.tag}'`, tag.from) })),
    template.name
  )
  const unusedVariables = [...variables.keys()].filter((name) => !placeholders.has(name))

  const incomplete = (problem: string | undefined): void => {
    if (problem) throw new InputError('template', `${template.name}: ${problem}; the API reference requires it`, { file: template.file })
  }
  if (generation === 'legacy') {
    refuseLegacyOptions(options, template.name, 'template')
    const request: ExportRequest = { generation, body: { scenes } }
    incomplete(requestProblem(request))
    refuseLeftPlaceholders(scenes, template.name, 'template', template)
    return { request, unusedVariables, asksDraft }
  }
  completeScripts(scenes, 'template', template.name)
  // A template saved from a fetched project may carry server-owned fields that must not be posted: only
  // its export options go along, checked as the inputs are.
  const body = v3ExportBody(templateOptions(filled, template), scenes, filledOptions)
  const request: ExportRequest = { generation, body }
  if (draft || asksDraft) asDraft(request)
  incomplete(requestProblem(request))
  refuseLeftPlaceholders(body, template.name, 'template', template)
  return { request, unusedVariables, asksDraft }
}
