import { isJsonObject, type ExportRequest, type Json, type JsonObject } from '../domain.js'
import { InputError } from '../errors.js'

/**
 * What the API reference calls required in a scene (the team's contract, aistudios-api.md, sections 4
 * and 5), checked before anything is sent: a body the reference calls incomplete is refused by the API
 * (after a credit check) or rendered wrong. Never stricter than DeepBrain's own examples (contract 8):
 * what a tutorial or the official sample sends passes, where the reference table says otherwise too.
 * Each check returns the first problem, naming the scene, clip or line. Pure.
 */

const isText = (value: Json | undefined): boolean => typeof value === 'string' && value !== ''
const isNumber = (value: Json | undefined): boolean => typeof value === 'number' && Number.isFinite(value)

/** Per v3 clip type, its required fields besides the common ones (contract 5.5, clips.md). */
const V3_CLIP_FIELDS: Record<string, Array<[field: string, ok: (clip: JsonObject) => boolean, what: string]>> = {
  aiModel: [
    ['model', (clip) => isJsonObject(clip.model) && isText(clip.model.ai_name) && isText(clip.model.emotion), 'model.ai_name and model.emotion']
  ],
  shape: [
    ['shapeName', (clip) => isText(clip.shapeName), 'shapeName'],
    ['fill', (clip) => isText(clip.fill), 'fill']
  ],
  // `source_url` in clips.md and the tutorial's table, `resource_url` in the same tutorial's code (contract 8): either.
  image: [['source_url', (clip) => isText(clip.source_url) || isText(clip.resource_url), 'source_url (or resource_url)']],
  textImage: [
    ['text', (clip) => typeof clip.text === 'string', 'text'],
    ['fill', (clip) => isText(clip.fill), 'fill'],
    // An integer in clips.md, yet the exist-project tutorial computes it as px * 3 / 4 (7.5 for 10 px): any number.
    ['fontSize', (clip) => isNumber(clip.fontSize), 'number fontSize']
  ],
  videoImage: [['video_url', (clip) => isText(clip.video_url), 'video_url']],
  audio: [
    ['source_url', (clip) => isText(clip.source_url), 'source_url'],
    ['label', (clip) => typeof clip.label === 'string', 'label']
  ]
}

/** Common clip fields (contract 5.4): `id`, `type`, `layer` and the geometry. */
function v3ClipProblem(clip: Json, at: string): string | undefined {
  if (!isJsonObject(clip)) return `${at} is not an object`
  if (!isText(clip.id)) return `${at} has no "id"`
  if (!isText(clip.type)) return `${at} has no "type"`
  for (const field of ['layer', 'top', 'left', 'width', 'height']) {
    if (!isNumber(clip[field])) return `${at} (${clip.type as string}) has no number "${field}"`
  }
  // An Int in the reference, and a whole number in every example: a stacking order has no halves.
  if (!Number.isInteger(clip.layer)) return `${at} (${clip.type as string}) has "layer" ${JSON.stringify(clip.layer)}, not a whole number`
  const type = clip.type as string
  for (const [, ok, what] of Object.hasOwn(V3_CLIP_FIELDS, type) ? V3_CLIP_FIELDS[type] : []) {
    if (!ok(clip)) return `${at} (${clip.type as string}) has no ${what}`
  }
  return undefined
}

/** A line of `scene.scripts[]` (contract 5.3): every field is required. */
function v3LineProblem(line: Json, at: string): string | undefined {
  if (!isJsonObject(line)) return `${at} is not an object`
  if (typeof line.org !== 'string') return `${at} has no text "org"`
  if (typeof line.isTTS !== 'boolean') return `${at} has no true/false "isTTS"`
  if (!('tts' in line) || !(line.tts === null || isJsonObject(line.tts))) return `${at} has no "tts" (null, or the voice's data)`
  if (!isText(line.modelId) || !isText(line.clothId)) return `${at} has no text "modelId" and "clothId"`
  return undefined
}

/**
 * The first problem of v3 scenes (contract 5.2–5.5), after `scripts[]` and `sceneIdx` are completed. A
 * repeated `sceneIdx` passes: the JSON-template tutorial and the official sample send two scenes with 0.
 */
export function v3ScenesProblem(scenes: Json[]): string | undefined {
  for (const [index, scene] of scenes.entries()) {
    const at = `scene ${index}`
    if (!isJsonObject(scene)) return `${at} is not an object`
    if (!Number.isInteger(scene.sceneIdx)) return `${at} has "sceneIdx" ${JSON.stringify(scene.sceneIdx)}, not an integer`
    if (!isJsonObject(scene.background)) return `${at} has no "background"`
    if (!Array.isArray(scene.clips)) return `${at} has no "clips" array`
    // One entry a line (create-project.md types it Json and says one entry; every example writes a list).
    if (scene.scripts !== undefined && scene.scripts !== null && !Array.isArray(scene.scripts))
      return `${at} has "scripts" that is not a list (one entry a line)`
    for (const [c, clip] of scene.clips.entries()) {
      const problem = v3ClipProblem(clip, `clip ${c} of ${at}`)
      if (problem) return problem
    }
    for (const [l, line] of (Array.isArray(scene.scripts) ? scene.scripts : []).entries()) {
      const problem = v3LineProblem(line, `line ${l} of ${at}`)
      if (problem) return problem
    }
  }
  return undefined
}

/** Legacy clip types that carry a URL: the reference's `image`/`background`, the tutorial's `userVideo`. */
const LEGACY_URL_TYPES = new Set(['image', 'background', 'userVideo'])

/** The first problem of legacy scenes (contract 4, export-project.mdx). */
export function legacyScenesProblem(scenes: Json[]): string | undefined {
  for (const [index, scene] of scenes.entries()) {
    const at = `scene ${index}`
    if (!isJsonObject(scene)) return `${at} is not an object`
    // `AIModel` is required by the reference, yet the legacy tutorial has scenes without one (contract 8): either.
    const model = scene.AIModel
    if (model !== undefined) {
      if (!isJsonObject(model)) return `${at} has an "AIModel" that is not an object`
      for (const field of ['model', 'clothes']) if (!isText(model[field])) return `${at}: AIModel has no "${field}"`
      if (typeof model.script !== 'string') return `${at}: AIModel has no text "script"`
      // `language` is required by the reference, yet the getting-started, auth and scene samples and the
      // cURL/Node tabs of export-project.mdx omit it (contract 8): either.
      if (model.language !== undefined && !isText(model.language)) return `${at}: AIModel has a "language" that is not text`
      for (const field of ['locationX', 'locationY']) if (!isNumber(model[field])) return `${at}: AIModel has no number "${field}"`
    }
    if (scene.clips === undefined) continue
    if (!Array.isArray(scene.clips)) return `${at} has "clips" that is not an array`
    for (const [c, clip] of scene.clips.entries()) {
      const where = `clip ${c} of ${at}`
      if (!isJsonObject(clip)) return `${where} is not an object`
      if (!isText(clip.type)) return `${where} has no "type"`
      if (!isJsonObject(clip.detail)) return `${where} (${clip.type as string}) has no "detail"`
      if (LEGACY_URL_TYPES.has(clip.type as string) && !isText(clip.detail.url)) return `${where} (${clip.type as string}) has no "detail.url"`
    }
  }
  return undefined
}

/** The first problem of a body about to be sent, whatever it was made from (a template, a saved project, either generation). */
export function requestProblem(request: ExportRequest): string | undefined {
  const scenes = request.body.scenes
  if (!Array.isArray(scenes) || scenes.length === 0) return 'it has no scenes'
  return request.generation === 'legacy' ? legacyScenesProblem(scenes) : v3ScenesProblem(scenes)
}

/**
 * A saved project's body as the template's is checked: what the API would refuse after a credit check is
 * refused first, naming the project and what it lacks, so the user can mend it in the editor.
 */
export function refuseIncomplete(request: ExportRequest, sourceName: string): void {
  const problem = requestProblem(request)
  if (problem)
    throw new InputError('project-id', `${sourceName}: ${problem}; the API reference requires it (open the project in AI Studios and save it again)`)
}
