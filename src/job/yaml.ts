import { parseDocument, type Document } from 'yaml'
import { InputError } from '../errors.js'

/** Every scalar stays the text written: `VERSION: 2.0` stays "2.0", `ON: yes` stays "yes". */
const TEXT_ONLY = { schema: 'failsafe' } as const

/**
 * Parses YAML (and so JSON) given in an input or in a file an input names, every scalar as text. An
 * error names the input, the line and column, and the file where there is one. The document keeps
 * where each node was written.
 */
export function parseYamlDocument(input: string, text: string, file?: { path: string; name: string }): Document {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, ...TEXT_ONLY })
  const error = document.errors[0]
  if (error) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 }
    const where = file ? `${file.name}:${position.line}:${position.col}` : `line ${position.line}, column ${position.col}`
    const detail = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw new InputError(input, `${where}: not valid YAML/JSON: ${detail}`, file && { file: file.path, line: position.line, column: position.col })
  }
  return document
}

export function parseYaml(input: string, text: string, file?: { path: string; name: string }): unknown {
  return parseYamlDocument(input, text, file).toJS()
}

/** The same reading without the refusals, for text that is only compared (an older manifest). */
export function parseYamlLeniently(text: string): unknown {
  return parseDocument(text, TEXT_ONLY).toJS()
}

/** A parsed scalar as the text it was written as (lists and mappings as JSON, for messages). */
export const scalarText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
