import { InputError } from '../errors.js'
import type { Variable } from '../domain.js'
import { readInputFile, type InputReader } from './parse.js'
import { isPlainObject, parseYaml, scalarText } from './yaml.js'

/** `NAME` or `##NAME##` (as it appears in the template) → `NAME`; a name as PLACEHOLDER reads one. */
const NAME = /^(?:##)?([^#\s](?:[^#\r\n]{0,62}[^#\s])?)(?:##)?$/u

function toVariables(input: string, parsed: unknown, from: string, into: Map<string, Variable>): void {
  if (parsed === null || parsed === undefined) return
  if (!isPlainObject(parsed)) throw new InputError(input, 'must be a mapping of NAME: value')
  for (const [key, value] of Object.entries(parsed)) {
    const name = NAME.exec(key)?.[1]
    if (!name) throw new InputError(input, `'${key}' is not a placeholder name (up to 64 characters, no '#' or line break, no space at either end)`)
    if (value !== null && typeof value === 'object') throw new InputError(input, `the value of ${name} must be text, not a list or mapping`)
    // A scalar (text, with YAML's failsafe schema); lists and mappings are refused above.
    into.set(name, { value: value === null || value === undefined ? '' : scalarText(value), from })
  }
}

/** Placeholder values from `variables-file`, then `variables` (which wins on the same name). */
export function readVariables(get: InputReader, workspace: string): Map<string, Variable> {
  const variables = new Map<string, Variable>()
  const fileInput = get('variables-file').trim()
  if (fileInput) {
    const { file, text } = readInputFile('variables-file', fileInput, workspace)
    toVariables('variables-file', parseYaml('variables-file', text, { path: file, name: fileInput }), `variables-file ${fileInput}`, variables)
  }
  const inline = get('variables')
  if (inline.trim()) toVariables('variables', parseYaml('variables', inline), 'variables', variables)
  return variables
}
