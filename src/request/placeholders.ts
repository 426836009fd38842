import type { Json, SceneSpeech, TagValue, Variable } from '../domain.js'
import { InputError, locate } from '../errors.js'
import { placeOf } from './speech.js'

/**
 * `##NAME##`: a name of up to 64 characters, any but `#` and line breaks, not starting or ending with a
 * space (`##product-name##`, `##제품##` too), so nothing that looks like a placeholder goes out unfilled.
 */
export const PLACEHOLDER = /##([^#\s](?:[^#\r\n]{0,62}[^#\s])?)##/gu

/** The input a value came from, for errors ("variables-file vars.yml" → variables-file). */
const inputOf = (from: string): string => from.split(' ')[0]

/** Each `##NAME##` in a text, once, in order. */
export const placeholdersIn = (text: string): string[] => [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[0]))]

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

/**
 * Variable values with the placeholders in them filled from the other variables' values as given: one
 * level, no recursion (so no cycle can loop). A placeholder left in a value after that is refused, so
 * none is ever sent. Pure.
 */
export function resolveVariables(variables: ReadonlyMap<string, Variable>): Map<string, Variable> {
  const resolved = new Map<string, Variable>()
  for (const [name, variable] of variables) {
    const value = variable.value.replace(PLACEHOLDER, (whole, inner: string) => (inner === name ? whole : (variables.get(inner)?.value ?? whole)))
    const left = placeholdersIn(value)
    if (left.length > 0) {
      const unknown = left.filter((placeholder) => !variables.has(placeholder.slice(2, -2)))
      throw new InputError(
        inputOf(variable.from),
        `the value of ${name} still has ${left.join(', ')} after its placeholders were filled: ` +
          (unknown.length === left.length
            ? 'no variable has that name'
            : "a value may use other variables' values, one level deep: the values it uses are not filled in turn, nor may a value use itself")
      )
    }
    resolved.set(name, { ...variable, value })
  }
  return resolved
}

/**
 * A text sent to the API (speech, a tag's value) with its placeholders filled from `variables`; one
 * left without a value is refused, naming what the text is and where it came from. Pure.
 */
export function filledText(text: string, variables: ReadonlyMap<string, Variable>, what: string, from: string): string {
  const filled = fillPlaceholders(text, variables) as string
  const left = placeholdersIn(filled)
  if (left.length > 0) {
    const hint = variables.size > 0 ? "set them in 'variables' or 'variables-file'" : "placeholders are filled only in a 'template', from 'variables'"
    throw new InputError(inputOf(from), `${what} (from ${from}) has placeholder(s) with no value: ${left.join(', ')}; ${hint}`)
  }
  return filled
}

/** Speech, tag values and the name for a saved project, which has no variables: a placeholder in them is refused, never sent as it is. */
export function refusePlaceholders(speech: readonly SceneSpeech[], tags: readonly TagValue[], name?: string): void {
  const none = new Map<string, Variable>()
  if (name !== undefined) filledText(name, none, "the video's name", 'name')
  for (const line of speech) filledText(line.text, none, `the speech of ${placeOf(line)}`, line.from)
  for (const tag of tags) filledText(tag.value, none, `the value of tag '${tag.tag}'`, tag.from)
}

/** Anything between two `##` on one line: what a reader takes for a placeholder, a valid name or not. */
const PLACEHOLDER_LIKE = /##[^#\r\n]+##/u

/** The first `##…##` left in a value, in a key or a string, with where it stands (`scenes[1].clips[0].text`). */
export function placeholderLeft(value: Json, at = ''): { at: string; found: string; inKey: boolean } | undefined {
  if (typeof value === 'string') {
    const match = PLACEHOLDER_LIKE.exec(value)
    return match ? { at: at || '(the value)', found: match[0], inKey: false } : undefined
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const left = placeholderLeft(item, `${at}[${index}]`)
      if (left) return left
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const path = at ? `${at}.${key}` : key
      const inKey = PLACEHOLDER_LIKE.exec(key)
      if (inKey) return { at: path, found: inKey[0], inKey: true }
      const left = placeholderLeft(item, path)
      if (left) return left
    }
  }
  return undefined
}

/**
 * The last check of a body before it is sent: no `##…##` anywhere in it, keys included. Catches what
 * the filling does not look at (a key, a name of 65 characters, `##X ##`, a project's own text), so
 * nothing that reads as a placeholder goes out unfilled. Pure.
 */
export function refuseLeftPlaceholders(body: Json, sourceName: string, input: string, text?: { file: string; text: string }): void {
  const left = placeholderLeft(body)
  if (!left) return
  const name = left.found.slice(2, -2)
  const valid = new RegExp(`^${PLACEHOLDER.source}$`, 'u').test(left.found)
  const why = !valid
    ? `'${name}' is not a placeholder name (1 to 64 characters, no '#', not starting or ending with a space)`
    : left.inKey
      ? 'placeholders are filled in values, never in keys'
      : input === 'template'
        ? 'it has no value'
        : "placeholders are filled only in a 'template', from 'variables'"
  const offset = text ? text.text.indexOf(left.found) : -1
  const location = text && offset >= 0 ? { file: text.file, ...locate(text.text, offset) } : undefined
  const where = location ? `${sourceName}:${location.line}:${location.column}` : sourceName
  throw new InputError(input, `${where}: ${left.found} would be sent as it is (at ${left.at}${left.inKey ? ', a key' : ''}): ${why}`, location)
}
