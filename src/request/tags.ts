import { isJsonObject, type Json, type TagValue } from '../domain.js'
import { InputError } from '../errors.js'

/** The field a tagged clip's content is set in, by clip type (the 1.6 tutorial's way of changing a project). */
const CONTENT_FIELD: Record<string, string> = { textImage: 'text', image: 'source_url', videoImage: 'video_url' }

/**
 * Gives every clip carrying a tag (set in the editor) its value: a text its text, an image its
 * source_url, a video its video_url. A tag that sets no clip is refused, naming it.
 */
export function applyTags(scenes: Json[], tags: TagValue[], sourceName: string): void {
  for (const { tag, value } of tags) {
    let set = 0
    const others = new Set<string>()
    for (const scene of scenes) {
      if (!isJsonObject(scene) || !Array.isArray(scene.clips)) continue
      for (const clip of scene.clips) {
        if (!isJsonObject(clip) || clip.tag !== tag) continue
        const type = typeof clip.type === 'string' ? clip.type : 'untyped'
        const field = CONTENT_FIELD[type]
        if (field) {
          clip[field] = value
          set++
        } else {
          others.add(type)
        }
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
