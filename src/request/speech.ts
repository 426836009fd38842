import { isJsonObject, type Json, type JsonObject, type SceneSpeech } from '../domain.js'
import { InputError } from '../errors.js'

/** The input a speech came from, for error messages ("script-file scripts/intro.txt" → script-file). */
const inputOf = (speech: SceneSpeech): string => speech.from.split(' ')[0]

/** A refusal of a speech, at the place it is written where that is known. */
function refusal(speech: SceneSpeech, detail: string): InputError {
  return new InputError(inputOf(speech), speech.at ? `${speech.at.where}: ${detail}` : detail, speech.at?.location)
}

/** Sets `org`, and `tts` where present: a stale `tts` would have the avatar say the old words. */
function setScript(script: JsonObject, text: string): void {
  script.org = text
  if (typeof script.tts === 'string') script.tts = text
}

const avatarsOf = (scene: JsonObject): JsonObject[] =>
  (Array.isArray(scene.clips) ? scene.clips : []).filter((clip): clip is JsonObject => isJsonObject(clip) && clip.type === 'aiModel')

/** Where a speech goes, for messages: "scene 1" or "line 2 of scene 1". */
export const placeOf = (speech: SceneSpeech): string =>
  speech.line === undefined ? `scene ${speech.scene}` : `line ${speech.line} of scene ${speech.scene}`

/**
 * Sets one line of a v3 scene's speech in place, where the project keeps it, adding no field. Since
 * docs 1.5 that is `scripts[]`, one entry a line of dialogue; the 1.4 field, the speaking avatar
 * clip's `script.org`, is kept equal where it exists and that avatar speaks only this line. A 1.4
 * project has only the clips' scripts: line M is the Mth avatar that speaks.
 */
function setV3Speech(scene: JsonObject, speech: SceneSpeech, sourceName: string): void {
  const line = speech.line ?? 0
  const avatars = avatarsOf(scene)
  const scripts = Array.isArray(scene.scripts) ? scene.scripts : []
  const refuse = (why: string): never => {
    throw refusal(speech, `${placeOf(speech)} of ${sourceName} ${why}`)
  }
  if (scripts.length > 0) {
    const entry = scripts[line]
    if (!isJsonObject(entry)) return refuse(`does not exist: the scene has ${scripts.length} line(s) of dialogue, numbered from 0`)
    setScript(entry, speech.text)
    const speaks = (clip: JsonObject): boolean =>
      isJsonObject(clip.model) && clip.model.ai_name === entry.modelId && clip.model.emotion === entry.clothId
    const speaker = avatars.find(speaks) ?? (avatars.length === 1 ? avatars[0] : undefined)
    const speakersLines = scripts.filter((other) => isJsonObject(other) && other.modelId === entry.modelId && other.clothId === entry.clothId)
    if (speaker && isJsonObject(speaker.script) && speakersLines.length <= 1) setScript(speaker.script, speech.text)
    return
  }
  const speaking = avatars.filter((clip) => isJsonObject(clip.script))
  const clip = speaking[line]
  if (!clip || !isJsonObject(clip.script)) {
    return refuse(
      speaking.length === 0 ? 'has no avatar to speak it' : `does not exist: the scene has ${speaking.length} speaking avatar(s), numbered from 0`
    )
  }
  setScript(clip.script, speech.text)
}

/** Sets a legacy scene's speech in place: `AIModel.script`, a plain string; one avatar, one line. */
function setLegacySpeech(scene: JsonObject, speech: SceneSpeech, sourceName: string): void {
  if (!isJsonObject(scene.AIModel)) throw refusal(speech, `${placeOf(speech)} of ${sourceName} has no avatar to speak it`)
  if ((speech.line ?? 0) !== 0) throw refusal(speech, `${placeOf(speech)} of ${sourceName} does not exist: a legacy scene has one line`)
  scene.AIModel.script = speech.text
}

/** Applies every speech to its scene and line (mutating `scenes`); refuses one that does not exist. */
export function applySpeech(scenes: Json[], speeches: SceneSpeech[], generation: 'v3' | 'legacy', sourceName: string): void {
  for (const speech of speeches) {
    const scene = scenes[speech.scene]
    if (!isJsonObject(scene)) {
      throw refusal(speech, `scene ${speech.scene} does not exist: ${sourceName} has ${scenes.length} scene(s), numbered from 0`)
    }
    if (generation === 'v3') setV3Speech(scene, speech, sourceName)
    else setLegacySpeech(scene, speech, sourceName)
  }
}
