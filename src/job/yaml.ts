import { Parser, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type CST, type Document, type Node } from 'yaml'
import type { WrittenAt } from '../domain.js'
import { InputError, locator } from '../errors.js'

/**
 * Every scalar stays the text written: `VERSION: 2.0` stays "2.0", `ON: yes` stays "yes". Merge keys
 * (`<<: *common`) merge, as YAML users expect of them.
 */
const TEXT_ONLY = { schema: 'failsafe', merge: true } as const

/** A file an input names: its path and the name the user wrote, for messages. */
export interface YamlFile {
  path: string
  name: string
}

/** Where an offset of a text is: "name:line:column" with the file's location, or "line L, column C" of an input. */
export function writtenAt(text: string, offset: number, file?: YamlFile): WrittenAt {
  const { line, column } = locator(text)(offset)
  return file ? { where: `${file.name}:${line}:${column}`, location: { file: file.path, line, column } } : { where: `line ${line}, column ${column}` }
}

/** An InputError naming the input, the place (file:line:column, or line and column) and what is wrong there. */
export function refusal(input: string, text: string, offset: number, detail: string, file?: YamlFile): InputError {
  const { where, location } = writtenAt(text, offset, file)
  return new InputError(input, `${where}: ${detail}`, location)
}

/** Whether a merge key's value can be merged: a mapping, an alias of one, or a list of those. */
function mergeable(value: unknown, document: Document, nested = false): boolean {
  if (isMap(value) || (isAlias(value) && isMap(value.resolve(document)))) return true
  return !nested && isSeq(value) && value.items.every((item) => mergeable(item, document, true))
}

/**
 * The first alias or merge key that cannot resolve to a value, as a refusal: an alias of an anchor set
 * nowhere before it, or a merge key given something other than mappings. Pure.
 */
export function unresolvable(document: Document, input: string, text: string, file?: YamlFile): InputError | undefined {
  let found: InputError | undefined
  visit(document, {
    Alias(_, alias) {
      if (alias.resolve(document)) return undefined
      found = refusal(input, text, alias.range?.[0] ?? 0, `the alias *${alias.source} has no anchor &${alias.source} before it`, file)
      return visit.BREAK
    },
    Pair(_, pair) {
      const key = pair.key
      const merge = isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<')
      if (!merge || mergeable(pair.value, document)) return undefined
      const at = (pair.value as Node | null)?.range?.[0] ?? (key as Node).range?.[0] ?? 0
      found = refusal(input, text, at, 'a merge key (<<) takes a mapping, an alias of one, or a list of those', file)
      return visit.BREAK
    }
  })
  return found
}

/**
 * The deepest nesting of collections a YAML input may have. A manifest is a handful of levels deep;
 * a document far deeper is no manifest, and the YAML library's composer recurses once per level, so
 * 100,000 levels would overflow the stack ("Maximum call stack size exceeded") instead of being refused.
 */
export const MAX_YAML_DEPTH = 64

/**
 * How deep a document's collections nest, and where the first one past MAX_YAML_DEPTH starts, if any.
 * Read from the parser's concrete syntax tree, which is built without recursion, and walked with a
 * stack of its own, so no depth can overflow it. Pure.
 */
export function yamlDepth(text: string): { depth: number; offset?: number } {
  let depth = 0
  let offset: number | undefined
  for (const token of new Parser().parse(text)) {
    const pending: Array<[CST.Token | undefined, number]> = [[token, 0]]
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [node, level] = next
      if (!node) continue
      if (node.type === 'document') pending.push([node.value, level])
      else if (node.type === 'block-map' || node.type === 'block-seq' || node.type === 'flow-collection') {
        if (level + 1 > MAX_YAML_DEPTH && (offset === undefined || node.offset < offset)) offset = node.offset
        depth = Math.max(depth, level + 1)
        for (const item of node.items) {
          pending.push(['key' in item ? (item.key ?? undefined) : undefined, level + 1])
          pending.push([item.value, level + 1])
        }
      }
    }
  }
  return { depth, offset }
}

/**
 * Parses YAML (and so JSON) given in an input or in a file an input names, every scalar as text. An
 * error names the input, the line and column, and the file where there is one. The document keeps
 * where each node was written; every alias and merge key in it resolves.
 */
export function parseYamlDocument(input: string, text: string, file?: YamlFile): Document {
  const { depth, offset } = yamlDepth(text)
  if (offset !== undefined) {
    throw refusal(input, text, offset, `nested ${depth} levels deep, more than the ${MAX_YAML_DEPTH} a YAML input may have`, file)
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, ...TEXT_ONLY })
  const error = document.errors[0]
  if (error) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 }
    const where = file ? `${file.name}:${position.line}:${position.col}` : `line ${position.line}, column ${position.col}`
    const detail = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    throw new InputError(input, `${where}: not valid YAML/JSON: ${detail}`, file && { file: file.path, line: position.line, column: position.col })
  }
  const unresolved = unresolvable(document, input, text, file)
  if (unresolved) throw unresolved
  return document
}

/**
 * A node's value with every alias and merge key resolved to what it stands for: never the alias
 * itself. Refuses (at the node) a document that expands past the library's bound on aliases.
 */
export function yamlValue(node: Node | null, document: Document, input: string, text: string, file?: YamlFile): unknown {
  const past = `nested through its aliases more deeply than its text shows: more than the ${MAX_YAML_DEPTH} a YAML input may have`
  let value: unknown
  try {
    value = node === null ? null : node.toJS(document)
  } catch (error) {
    // Aliases may build a value deeper than the text shows: the stack overflows before any check could run.
    const why = error instanceof RangeError ? past : `cannot be read: ${(error as Error).message}`
    throw refusal(input, text, node?.range?.[0] ?? 0, why, file)
  }
  if (deeperThan(value, MAX_YAML_DEPTH)) throw refusal(input, text, node?.range?.[0] ?? 0, past, file)
  return value
}

/** Whether a value built from YAML nests past `max` lists and mappings (aliases included), without recursion. */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  // A value an alias shares is walked again only when reached deeper than before: at most `max` times.
  const deepest = new Map<object, number>()
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (item === null || typeof item !== 'object' || (deepest.get(item) ?? -1) >= depth) continue
    if (depth + 1 > max) return true
    deepest.set(item, depth)
    for (const child of item instanceof Map ? item.values() : Object.values(item)) stack.push([child, depth + 1])
  }
  return false
}

/**
 * Where each top-level entry of a document is written: a mapping's keys as written (merged-in keys are
 * absent), a list's items by index. The offset of the key or item, for refusals at their line.
 */
export function topLevelOffsets(document: Document): Map<string, number> {
  const offsets = new Map<string, number>()
  const contents = document.contents
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const key = pair.key as Node | null
      if (isScalar(key) && !offsets.has(String(key.value))) offsets.set(String(key.value), key.range?.[0] ?? 0)
    }
  } else if (isSeq(contents)) {
    contents.items.forEach((item, index) => offsets.set(String(index), (item as Node | null)?.range?.[0] ?? 0))
  }
  return offsets
}

export function parseYaml(input: string, text: string, file?: YamlFile): unknown {
  const document = parseYamlDocument(input, text, file)
  return yamlValue(document.contents, document, input, text, file)
}

/** The same reading without the refusals, for text that is only compared (an older manifest). */
export function parseYamlLeniently(text: string): unknown {
  try {
    if (yamlDepth(text).offset !== undefined) return undefined
    return parseDocument(text, TEXT_ONLY).toJS()
  } catch {
    return undefined
  }
}

/** A parsed scalar as the text it was written as (lists and mappings as JSON, for messages). */
export const scalarText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
