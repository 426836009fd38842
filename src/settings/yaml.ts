import { parseDocument } from 'yaml'
import { InputError } from '../errors.js'

/**
 * Parses YAML (and so JSON) given in an input or in a file an input names. Every scalar stays the
 * text written (the failsafe schema): `VERSION: 2.0` stays "2.0", `ON: yes` stays "yes". An error
 * names the input, the line and column, and the file where there is one.
 */
export function parseYaml(input: string, text: string, file?: { path: string; name: string }): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, schema: 'failsafe' })
  const error = document.errors[0]
  if (error) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 }
    const where = file ? `${file.name}:${position.line}:${position.col}` : `line ${position.line}, column ${position.col}`
    const detail = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw new InputError(input, `${where}: not valid YAML/JSON: ${detail}`, file && { file: file.path, line: position.line, column: position.col })
  }
  return document.toJS()
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
