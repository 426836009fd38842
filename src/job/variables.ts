import { InputError } from '../errors.js'
import type { Variable } from '../domain.js'
import { readInputFile, type InputReader } from './parse.js'
import { isPlainObject, parseYamlDocument, refusal, scalarText, topLevelOffsets, yamlValue, type YamlFile } from './yaml.js'

/** `NAME` or `##NAME##` (as it appears in the template) → `NAME`; a name as PLACEHOLDER reads one. */
const NAME = /^(?:##)?([^#\s](?:[^#\r\n]{0,62}[^#\s])?)(?:##)?$/u

/** Adds the variables of one YAML text; a refusal names the line and column (and the file) of the entry at fault. */
function toVariables(input: string, text: string, from: string, into: Map<string, Variable>, file?: YamlFile): void {
  const document = parseYamlDocument(input, text, file)
  const parsed = yamlValue(document.contents, document, input, text, file)
  if (parsed === null || parsed === undefined) return
  const start = document.contents?.range?.[0] ?? 0
  if (!isPlainObject(parsed)) {
    if (file) throw refusal(input, text, start, 'must be a mapping of NAME: value', file)
    throw new InputError(input, 'must be a mapping of NAME: value')
  }
  const offsets = topLevelOffsets(document)
  for (const [key, value] of Object.entries(parsed)) {
    // A key merged in (`<<: *common`) is not written in this mapping: the mapping's start stands for it.
    const refuse = (detail: string): InputError => refusal(input, text, offsets.get(key) ?? start, detail, file)
    const name = NAME.exec(key)?.[1]
    if (!name) throw refuse(`'${key}' is not a placeholder name (up to 64 characters, no '#' or line break, no space at either end)`)
    if (value !== null && typeof value === 'object') throw refuse(`the value of ${name} must be text, not a list or mapping`)
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
    toVariables('variables-file', text, `variables-file ${fileInput}`, variables, { path: file, name: fileInput })
  }
  const inline = get('variables')
  if (inline.trim()) toVariables('variables', inline, 'variables', variables)
  return variables
}
