import { isJsonObject, type Json, type JsonObject, type TagValue } from '../domain.js'
import { InputError } from '../errors.js'
import { quotedValue } from '../text.js'

/**
 * The fields a tagged clip's content is set in, by clip type (the 1.6 tutorial's way of changing a
 * project). An image keeps its picture in `source_url` (clips.md) or `resource_url` (the tutorial's code):
 * whichever the clip holds is set, both where it holds both, so no old picture is left beside the new one.
 */
function contentFields(clip: JsonObject): string[] {
  if (clip.type === 'textImage') return ['text']
  if (clip.type === 'videoImage') return ['video_url']
  if (clip.type !== 'image') return []
  const held = ['source_url', 'resource_url'].filter((field) => typeof clip[field] === 'string')
  return held.length > 0 ? held : ['source_url']
}

/** Characters no media reference holds: white space, invisible format characters, backslashes, controls. */
const NOT_IN_REFERENCE = /[\s\p{Cf}\p{Cc}\\]/u

/**
 * Media the API fetches itself: an https URL (unreachable media fails the export or renders without it,
 * after paying: tutorial 5.1), or a path on the API's own site as the reference's samples give one
 * (`/images/background/bg_blue_gradient.png`, contract 5.2). Judged as written, never as a URL parser
 * would repair it (`https:/host`, `https:\\host`), and a path may not climb out, percent-encoded or not. Pure.
 */
export function isMediaReference(value: string): boolean {
  if (NOT_IN_REFERENCE.test(value)) return false
  if (value.startsWith('/')) {
    if (value.startsWith('//') || value.length < 2) return false
    let decoded: string
    try {
      decoded = decodeURIComponent(value.split(/[?#]/)[0])
    } catch {
      return false
    }
    return !decoded.split('/').some((segment) => segment === '..' || segment === '.') && !NOT_IN_REFERENCE.test(decoded)
  }
  const written = /^https:\/\/([^/?#@]+)/i.exec(value)
  if (!written) return false
  try {
    const url = new URL(value)
    // The host as written is the host the parser found (an IDN host in its punycode form alike).
    return url.protocol === 'https:' && url.host === new URL(`https://${written[1]}/`).host && !url.username && !url.password
  } catch {
    return false
  }
}

/**
 * Gives every clip carrying a tag (set in the editor) its value: a text its text, an image its picture,
 * a video its video_url. A tag that sets no clip, or a value an image or video cannot take, is refused,
 * naming the tag.
 */
export function applyTags(scenes: Json[], tags: TagValue[], sourceName: string): void {
  for (const { tag, value } of tags) {
    let set = 0
    const others = new Set<string>()
    for (const scene of scenes) {
      if (!isJsonObject(scene) || !Array.isArray(scene.clips)) continue
      for (const clip of scene.clips) {
        if (!isJsonObject(clip) || clip.tag !== tag) continue
        const fields = contentFields(clip)
        if (fields.length === 0) {
          others.add(typeof clip.type === 'string' ? clip.type : 'untyped')
          continue
        }
        if (clip.type !== 'textImage' && !isMediaReference(value)) {
          throw new InputError(
            'tags',
            `tag '${tag}' sets a ${clip.type === 'image' ? 'picture' : 'video'} of ${sourceName}, which takes an https URL (or a path on the API's own site, /…); got ${quotedValue(value)}`
          )
        }
        for (const field of fields) clip[field] = value
        set++
      }
    }
    if (set > 0) continue
    throw new InputError(
      'tags',
      others.size > 0
        ? `tag '${tag}' marks only ${[...others].join(', ')} clip(s) in ${sourceName}, whose content cannot be set by a tag (a text, image or video clip can)`
        : `tag '${tag}' matches no clip of ${sourceName}; tags are set on clips in the AI Studios editor`
    )
  }
}
