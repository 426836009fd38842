import { isJsonObject, type Json, type JsonObject, type SceneSpeech } from '../domain.js'
import { InputError } from '../errors.js'

/** The input a speech came from, for error messages ("script-file scripts/intro.txt" → script-file). */
const inputOf = (speech: SceneSpeech): string => speech.from.split(' ')[0]

/** Sets `org`, and `tts` where present: a stale `tts` would have the avatar say the old words. */
function setScript(script: JsonObject, text: string): void {
  script.org = text
  if (typeof script.tts === 'string') script.tts = text
}

/**
 * Sets a v3 scene's speech in place. The speech can sit in the first avatar clip's `script.org` and
 * in `scripts[0].org`: where both exist both are set (they must stay equal), else whichever exists.
 */
function setV3Speech(scene: JsonObject, speech: SceneSpeech): boolean {
  let set = false
  const clips = Array.isArray(scene.clips) ? scene.clips : []
  const avatar = clips.find((clip) => isJsonObject(clip) && clip.type === 'aiModel')
  if (isJsonObject(avatar)) {
    if (isJsonObject(avatar.script)) setScript(avatar.script, speech.text)
    else avatar.script = { org: speech.text }
    set = true
  }
  const scripts = Array.isArray(scene.scripts) ? scene.scripts : []
  if (isJsonObject(scripts[0])) {
    setScript(scripts[0], speech.text)
    set = true
  }
  return set
}

/** Sets a legacy scene's speech in place: `AIModel.script`, a plain string. */
function setLegacySpeech(scene: JsonObject, speech: SceneSpeech): boolean {
  if (!isJsonObject(scene.AIModel)) return false
  scene.AIModel.script = speech.text
  return true
}

/** Applies every speech to its scene (mutating `scenes`); refuses a scene that is missing or has no avatar. */
export function applySpeech(scenes: Json[], speeches: SceneSpeech[], generation: 'v3' | 'legacy', sourceName: string): void {
  for (const speech of speeches) {
    const scene = scenes[speech.scene]
    if (!isJsonObject(scene)) {
      throw new InputError(
        inputOf(speech),
        `scene ${speech.scene} does not exist: ${sourceName} has ${scenes.length} scene(s), numbered from 0`
      )
    }
    const set = generation === 'v3' ? setV3Speech(scene, speech) : setLegacySpeech(scene, speech)
    if (!set) {
      throw new InputError(inputOf(speech), `scene ${speech.scene} of ${sourceName} has no avatar to speak it`)
    }
  }
}
