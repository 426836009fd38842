import { isJsonObject, type Json, type JsonObject } from '../domain.js'
import { InputError } from '../errors.js'

/**
 * `scene.scripts[]` as `create-project.md` (docs 1.5+) requires it, whatever the template's style.
 * The getting-started page and the JSON-template tutorial still put speech only in the avatar clip's
 * `script.org`; a body without `scripts[]` is incomplete by the reference (refused, or rendered mute),
 * so each scene with an avatar gets its lines built from its avatars, and lines already there are
 * checked against them: `modelId`/`clothId` must equal an avatar clip's `model.ai_name`/`model.emotion`.
 */

const avatarsOf = (scene: JsonObject): JsonObject[] =>
  (Array.isArray(scene.clips) ? scene.clips : []).filter((clip): clip is JsonObject => isJsonObject(clip) && clip.type === 'aiModel')

const modelOf = (clip: JsonObject): { ai_name?: Json; emotion?: Json } => (isJsonObject(clip.model) ? clip.model : {})

/** A model field as text, for messages: JSON, so no value prints as [object Object]. */
const shown = (value: Json | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null))

const clipName = (clip: JsonObject, index: number): string => (typeof clip.id === 'string' ? `avatar clip '${clip.id}'` : `avatar ${index}`)

/** A line as the reference documents it, spoken in the avatar's own voice. */
function builtLine(scene: number, clip: JsonObject, index: number, refuse: (why: string) => never): JsonObject {
  const { ai_name: modelId, emotion: clothId } = modelOf(clip)
  const org = isJsonObject(clip.script) ? clip.script.org : undefined
  if (typeof modelId !== 'string' || typeof clothId !== 'string' || modelId === '' || clothId === '') {
    return refuse(`scene ${scene}: ${clipName(clip, index)} has no model.ai_name and model.emotion (the avatar and its clothes)`)
  }
  if (typeof org !== 'string') return refuse(`scene ${scene}: ${clipName(clip, index)} has no speech (script.org) and the scene no scripts[]`)
  return { org, isTTS: false, tts: null, modelId, clothId }
}

/**
 * Completes and checks every scene's `scripts[]` in place, and `sceneIdx` where missing. Refuses,
 * naming scene and line, a line whose speaker is not an avatar of its scene, before anything is sent.
 * Where an avatar clip speaks exactly one line, its 1.4-style `script.org` is kept equal to it.
 */
export function completeScripts(scenes: Json[], input: string, sourceName: string): void {
  const refuse = (why: string): never => {
    throw new InputError(input, `${sourceName}, ${why}`)
  }
  scenes.forEach((scene, index) => {
    if (!isJsonObject(scene)) return
    scene.sceneIdx ??= index
    const avatars = avatarsOf(scene)
    if (avatars.length === 0) return
    // A single object is not taken for a list and replaced: its voice (isTTS, tts) would be lost unsaid.
    if (scene.scripts !== undefined && scene.scripts !== null && !Array.isArray(scene.scripts))
      refuse(`scene ${index} has "scripts" that is not a list (one entry a line)`)
    const scripts = Array.isArray(scene.scripts) ? scene.scripts : []
    if (scripts.length === 0) {
      // Line M is the Mth avatar that speaks, as the speech inputs count them.
      scene.scripts = avatars.filter((clip) => isJsonObject(clip.script)).map((clip, at) => builtLine(index, clip, at, refuse))
      if (scene.scripts.length === 0) refuse(`scene ${index} has an avatar but no speech: neither scripts[] nor an avatar clip's script.org`)
      return
    }
    scripts.forEach((line, at) => {
      if (!isJsonObject(line)) return refuse(`line ${at} of scene ${index} is not an object`)
      const speaker = avatars.find((clip) => modelOf(clip).ai_name === line.modelId && modelOf(clip).emotion === line.clothId)
      if (!speaker) {
        const known = avatars.map((clip) => `${shown(modelOf(clip).ai_name)}/${shown(modelOf(clip).emotion)}`).join(', ')
        return refuse(
          `line ${at} of scene ${index}: modelId/clothId ${shown(line.modelId)}/${shown(line.clothId)} match no avatar clip of the scene ` +
            `(model.ai_name/model.emotion: ${known}); the API requires them to match`
        )
      }
      const own = scripts.filter((other) => isJsonObject(other) && other.modelId === line.modelId && other.clothId === line.clothId)
      if (own.length === 1 && isJsonObject(speaker.script) && typeof line.org === 'string') {
        speaker.script.org = line.org
        // A stale `tts` would have the avatar say the old words.
        if (typeof speaker.script.tts === 'string') speaker.script.tts = line.org
      }
    })
  })
}
