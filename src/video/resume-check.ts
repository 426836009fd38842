import { isJsonObject, type Json, type JsonObject } from '../domain.js'
import { quotedValue } from '../text.js'

/** The API's text in a message: quoted, at most 80 characters, control characters escaped (no terminal escape gets through). */
const quoted = (text: string): string => quotedValue(text, 80)

/** Each scene's speech, line by line: `scripts[].org` (docs 1.5+), else the avatar clips' `script.org` (1.4). */
function speechOf(scenes: Json[]): string[][] {
  return scenes.map((scene) => {
    if (!isJsonObject(scene)) return []
    const texts = (items: Json | undefined, pick: (item: JsonObject) => Json | undefined): string[] =>
      (Array.isArray(items) ? items : []).flatMap((item) => {
        const org = isJsonObject(item) ? pick(item) : undefined
        return typeof org === 'string' ? [org] : []
      })
    const lines = texts(scene.scripts, (entry) => entry.org)
    return lines.length > 0
      ? lines
      : texts(scene.clips, (clip) => (clip.type === 'aiModel' && isJsonObject(clip.script) ? clip.script.org : undefined))
  })
}

/**
 * How the record of an export (`GET /editor/project/{key}`) differs from the body the step would
 * export: its name, and its speech where the record carries scenes. Empty when they agree or the
 * record says nothing to compare. Pure.
 */
export function resumeMismatches(record: JsonObject, expected: JsonObject): string[] {
  const found: string[] = []
  if (typeof record.name === 'string' && typeof expected.name === 'string' && record.name !== expected.name) {
    found.push(`it is named ${quoted(record.name)}, the step's video ${quoted(expected.name)}`)
  }
  if (Array.isArray(record.scenes) && Array.isArray(expected.scenes)) {
    const had = speechOf(record.scenes)
    const wanted = speechOf(expected.scenes)
    if (had.length !== wanted.length) found.push(`it has ${had.length} scene(s), the step's video ${wanted.length}`)
    else {
      const scene = wanted.findIndex((lines, index) => lines.join('\n') !== had[index].join('\n'))
      if (scene >= 0) found.push(`the speech of scene ${scene} is ${quoted(had[scene].join(' '))}, the step's ${quoted(wanted[scene].join(' '))}`)
    }
  }
  return found
}
