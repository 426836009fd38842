import type { Json, SceneSpeech, TagValue, Variable } from '../domain.js'
import { InputError } from '../errors.js'
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

/** Speech and tag values for a saved project, which has no variables: a placeholder in them is refused, never sent as it is. */
export function refusePlaceholders(speech: readonly SceneSpeech[], tags: readonly TagValue[]): void {
  const none = new Map<string, Variable>()
  for (const line of speech) filledText(line.text, none, `the speech of ${placeOf(line)}`, line.from)
  for (const tag of tags) filledText(tag.value, none, `the value of tag '${tag.tag}'`, tag.from)
}
