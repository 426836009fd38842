import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../errors.js'

/** Pure parsers for single input values; each names the input in its error. */

/** Reads one input by name (the step's, or a manifest entry's as if it were the step's). */
export type InputReader = (name: string) => string

export function parseBoolean(input: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim().toLowerCase()
  if (value === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(value)) return true
  if (['false', 'no', 'off', '0'].includes(value)) return false
  throw new InputError(input, `'${raw}' is not a boolean; use true or false`)
}

export function parseNumber(
  input: string,
  raw: string,
  fallback: number,
  { min, max, integer = false, unit }: { min: number; max?: number; integer?: boolean; unit: string }
): number {
  const value = raw.trim()
  if (value === '') return fallback
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)$/.test(value)) {
    throw new InputError(input, `'${raw}' is not a ${integer ? 'whole number' : 'number'} of ${unit}`)
  }
  const number = Number(value)
  if (integer && !Number.isInteger(number)) throw new InputError(input, `'${raw}' must be a whole number of ${unit}`)
  if (number < min) throw new InputError(input, `${value} ${unit} is below the minimum of ${min}`)
  if (max !== undefined && number > max) throw new InputError(input, `${value} ${unit} is above the maximum of ${max}`)
  return number
}

export function parseChoice<T extends string>(input: string, raw: string, choices: readonly T[]): T | undefined {
  const value = raw.trim().toLowerCase()
  if (value === '') return undefined
  const found = choices.find((choice) => choice === value)
  if (!found) throw new InputError(input, `'${raw}' is not one of ${choices.join(', ')}`)
  return found
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/** An http(s) URL; plain http only for loopback hosts, so no key or video travels in clear text. */
export function parseUrl(input: string, raw: string): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new InputError(input, `'${raw}' is not a valid URL`)
  }
  // A user and password in the URL would be printed wherever the URL is; credentials go in their own inputs.
  if (url.username || url.password)
    throw new InputError(input, 'must not carry a user name or password; give credentials in their own inputs, from secrets')
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url
  throw new InputError(input, `'${raw}' must use https:// (plain http is allowed only for localhost)`)
}

/**
 * A URL AI Studios calls (`webhook-url`, a template's `webhookUrl`): https only, even to localhost, as
 * the service cannot reach the runner's own host; no credentials in it.
 */
export function parseWebhookUrl(input: string, raw: string): URL {
  const url = parseUrl(input, raw)
  if (url.protocol !== 'https:') throw new InputError(input, `'${raw}' must use https:// (AI Studios calls it from its own servers)`)
  return url
}

/** Workspace-relative, with forward slashes: how GitHub names a file of the repository. */
/**
 * A file's path in the repository it belongs to, as GitHub's compare names it: from the nearest folder
 * below the workspace that holds a `.git` (a checkout into a folder, actions/checkout's `path:`), else
 * from the workspace.
 */
export function repoPath(workspace: string, file: string): string {
  let root = workspace
  for (let dir = path.dirname(file); dir.startsWith(workspace + path.sep); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) {
      root = dir
      break
    }
  }
  return path.relative(root, file).split(path.sep).join('/')
}

const outside = (root: string, target: string): boolean => {
  const relative = path.relative(root, target)
  return relative.startsWith('..') || path.isAbsolute(relative)
}

/** The real path of `target`, or of its nearest existing ancestor joined with the rest (for a path still to be made). */
function realPath(target: string): string {
  try {
    return fs.realpathSync(target)
  } catch {
    const parent = path.dirname(target)
    return parent === target ? target : path.join(realPath(parent), path.basename(target))
  }
}

/** What messages call the folder paths must stay in: the workspace in the action, the current folder in the CLI. */
let rootFolderName = 'the workspace'

/** Names the root folder in messages from here on (the CLI's "the current folder"). */
export function nameRootFolder(name: string): void {
  rootFolderName = name
}

/**
 * A path inside the workspace; refuses one that escapes it: absolute, through '..', or through a
 * symbolic link (a file or a folder on the way) that points outside.
 */
export function resolveInWorkspace(input: string, raw: string, workspace: string): string {
  const resolved = path.resolve(workspace, raw.trim())
  if (outside(workspace, resolved) || outside(realPath(workspace), realPath(resolved))) {
    throw new InputError(input, `'${raw.trim()}' is outside ${rootFolderName} (${workspace})`)
  }
  // A checkout's .git holds its credentials (checkout's persisted token): never read as speech or written to,
  // whether named or reached through a link a pull request committed.
  if (path.relative(realPath(workspace), realPath(resolved)).split(path.sep).includes('.git')) {
    throw new InputError(input, `'${raw.trim()}' is inside a .git folder (named, or through a link), which holds the checkout's credentials`)
  }
  return resolved
}

/** Files an input may name are read whole; none of this size is a template, script or manifest. */
const MAX_INPUT_FILE_BYTES = 4 << 20

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a text file named by an input, with an error naming the input when it can't. Its bytes must be
 * UTF-8: another encoding (Latin-1, Windows-1252) is refused naming the file, never sent as mangled text.
 */
export function readInputFile(input: string, raw: string, workspace: string): { file: string; text: string } {
  const file = resolveInWorkspace(input, raw, workspace)
  let text: string
  try {
    if (fs.statSync(file).size > MAX_INPUT_FILE_BYTES)
      throw new InputError(input, `file '${raw.trim()}' is larger than ${MAX_INPUT_FILE_BYTES >> 20} MiB`)
    const bytes = fs.readFileSync(file)
    try {
      text = UTF8.decode(bytes)
    } catch {
      throw new InputError(input, `file '${raw.trim()}' is not UTF-8 text; save it as UTF-8`)
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code})`
    throw new InputError(input, `file '${raw.trim()}' ${why}`)
  }
  return { file, text: text.replace(/^\uFEFF/, '') }
}
