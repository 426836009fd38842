import { isJsonObject, type Json } from '../domain.js'
import { InputError } from '../errors.js'
import { isMediaReference } from './tags.js'
import { quotedValue } from '../text.js'

/** The fields that name media the API fetches, by clip type: v3 clips (clips.md), and a legacy clip's `detail.url`. */
function mediaFields(clip: Json): Array<[field: string, holder: Record<string, Json>]> {
  if (!isJsonObject(clip)) return []
  if (isJsonObject(clip.detail)) return [['detail.url', clip.detail]]
  if (clip.type === 'image')
    return [
      ['source_url', clip],
      ['resource_url', clip]
    ]
  if (clip.type === 'videoImage') return [['video_url', clip]]
  if (clip.type === 'audio') return [['source_url', clip]]
  return []
}

const key = (field: string): string => field.replace(/^detail\./, '')

/**
 * A media field a placeholder filled is checked as a tag value is (an https URL, or a path on the API's
 * own site): a variable is the user's input, and media the API cannot fetch fails the export or renders
 * without it after paying. What the template writes itself is the template's, as DeepBrain's examples are.
 * Compares the template's scenes as written with the filled ones, clip by clip. Pure.
 */
export function refuseFilledMedia(written: Json[], filled: Json[], templateName: string): void {
  const check = (where: string, field: string, raw: Json | undefined, value: Json | undefined): void => {
    if (typeof raw !== 'string' || !raw.includes('##') || typeof value !== 'string' || isMediaReference(value)) return
    throw new InputError(
      'variables',
      `${templateName}: the ${field} of ${where} (${raw.slice(0, 60)}) is filled with ${quotedValue(value)}, ` +
        "which is not an https URL or a path on the API's own site (/…); the API fetches it itself"
    )
  }
  written.forEach((scene, s) => {
    const filledScene = filled[s]
    if (!isJsonObject(scene) || !isJsonObject(filledScene)) return
    // A scene's background image is media too (source_type "image").
    if (isJsonObject(scene.background) && isJsonObject(filledScene.background))
      check(`the background of scene ${s}`, 'source_url', scene.background.source_url, filledScene.background.source_url)
    if (!Array.isArray(scene.clips) || !Array.isArray(filledScene.clips)) return
    const filledClips = filledScene.clips
    scene.clips.forEach((clip, c) => {
      // The clip's type as filled: a variable may name it too.
      for (const [field, holder] of mediaFields(filledClips[c])) {
        const writtenHolder = field.startsWith('detail.') ? (isJsonObject(clip) && isJsonObject(clip.detail) ? clip.detail : undefined) : clip
        const raw = isJsonObject(writtenHolder) ? writtenHolder[key(field)] : undefined
        check(`clip ${c} of scene ${s}`, field, raw, holder[key(field)])
      }
    })
  })
}
