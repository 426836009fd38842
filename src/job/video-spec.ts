import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  EXPORT_KEY,
  RESOLUTIONS,
  type ExportOptions,
  type ExportSource,
  type Json,
  type Source,
  type TagValue,
  type Template,
  type VideoSpec
} from '../domain.js'
import { InputError, locate } from '../errors.js'
import { windowsUnsafe } from '../schemas.js'
import { parseChoice, parseWebhookUrl, readInputFile, repoPath, type InputReader } from './parse.js'
import { duplicateKey } from './json-keys.js'
import { readSpeech } from './speech.js'
import { readVariables } from './variables.js'
import { isPlainObject, parseYaml, scalarText } from './yaml.js'
import { notice } from '../log.js'

/** Deeper than any scene template nests (a project is about eight levels deep); deeper would exhaust the stack. */
const MAX_DEPTH = 100

/** The offset where the text's JSON nesting first passes MAX_DEPTH, if it does: one pass, strings skipped. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') {
      if (++depth > MAX_DEPTH) return i
    } else if (c === '}' || c === ']') depth--
  }
  return undefined
}

/** Parses a JSON template; a syntax error names the file, line and column. */
export function parseTemplate(file: string, name: string, text: string): Template {
  const deep = tooDeepAt(text)
  if (deep !== undefined) {
    const { line, column } = locate(text, deep)
    throw new InputError('template', `${name}:${line}:${column}: nested more than ${MAX_DEPTH} levels deep; no scene template is`, {
      file,
      line,
      column
    })
  }
  let data: Json
  try {
    data = JSON.parse(text) as Json
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)
    const { line, column } = locate(text, position ? Number(position[1]) : text.length)
    const detail = message.replace(/ in JSON at position \d+( \(line \d+ column \d+\))?/, '')
    throw new InputError('template', `${name}:${line}:${column}: not valid JSON: ${detail}`, { file, line, column })
  }
  // JSON.parse keeps the last of two equal keys silently; the YAML inputs refuse them, and so does this.
  const duplicate = duplicateKey(text)
  if (duplicate) {
    const { line, column } = locate(text, duplicate.offset)
    throw new InputError(
      'template',
      `${name}:${line}:${column}: the key ${JSON.stringify(duplicate.key.slice(0, 80))} is written twice in one object`,
      { file, line, column }
    )
  }
  return { file, name, text, data }
}

function readSource(get: InputReader, workspace: string): Source {
  const resume = get('resume').trim()
  const projectId = get('project-id').trim()
  const templatePath = get('template').trim()
  const generation = parseChoice('api-generation', get('api-generation'), ['v3', 'legacy', 'auto'] as const)
  if (projectId && templatePath) throw new InputError('template', "give either 'template' or 'project-id', not both")
  let own: ExportSource | undefined
  if (templatePath) {
    const { file, text } = readInputFile('template', templatePath, workspace)
    own = {
      kind: 'template',
      template: parseTemplate(file, templatePath, text),
      variables: readVariables(get, workspace),
      generation: generation === 'auto' ? undefined : generation
    }
  } else if (projectId) {
    if (!/^[\w-]+$/.test(projectId)) throw new InputError('project-id', `'${projectId}' is not a project ID (letters, digits, '-' and '_')`)
    for (const input of ['variables', 'variables-file']) {
      if (get(input).trim()) throw new InputError(input, "placeholders are filled only in a 'template', not in a saved project")
    }
    own = { kind: 'project', projectId, ...(generation === 'legacy' ? { generation } : {}) }
  }
  if (resume && !EXPORT_KEY.test(resume)) throw new InputError('resume', "is not an export key (letters, digits, '-' and '_', as a run prints it)")
  if (!resume) {
    if (own) return own
    throw new InputError('project-id', "required: the ID of a saved AI Studios project, or a 'template' (or 'resume')")
  }
  if (own) {
    notice(
      `'resume' is set: ${own.kind === 'project' ? `project ${projectId}` : `template ${templatePath}`} is not exported again; ` +
        `${resume} is checked against it and downloaded`
    )
  }
  // Without api-generation, the video's own template (when given) tells the generation being resumed.
  return {
    kind: 'resume',
    key: resume,
    generation: generation === 'auto' ? undefined : generation,
    template: own?.kind === 'template' ? own.template : undefined,
    of: own
  }
}

function readExportOptions(get: InputReader): ExportOptions {
  const webhook = get('webhook-url').trim()
  return {
    name: get('name').trim() || undefined,
    resolution: parseChoice('resolution', get('resolution').replace(/p$/i, ''), RESOLUTIONS),
    workspaceId: get('workspace-id').trim() || undefined,
    webhookUrl: webhook ? parseWebhookUrl('webhook-url', webhook).toString() : undefined
  }
}

/**
 * Where a symbolic link in the checkout points, as a path of the repository: a push that changes the
 * linked file changes the video too (only-changed compares what git stores, the target). Lenient.
 */
function linkTarget(workspace: string, file: string): string[] {
  try {
    if (!fs.lstatSync(file).isSymbolicLink()) return []
    const target = fs.realpathSync(file)
    const root = fs.realpathSync(workspace)
    return target.startsWith(root + path.sep) ? [repoPath(root, target)] : []
  } catch {
    return []
  }
}

function readInputPaths(get: InputReader, workspace: string): string[] {
  const files = ['template', 'variables-file', 'script-file', 'scripts-file'].map((input) => get(input).trim()).filter(Boolean)
  const dir = get('scripts-dir').trim()
  const absolute = (raw: string): string => path.resolve(workspace, raw)
  const relative = (raw: string): string => repoPath(workspace, absolute(raw))
  const linked = [
    ...files.flatMap((file) => linkTarget(workspace, absolute(file))),
    ...(dir ? listed(absolute(dir)).flatMap((entry) => linkTarget(workspace, path.join(absolute(dir), entry))) : [])
  ]
  return [...files.map(relative), ...(dir ? [`${relative(dir)}/`] : []), ...linked]
}

const listed = (dir: string): string[] => {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}

/** An extension starts with a letter: `release-v1.2.10` has none and gets `.mp4`. */
const HAS_EXTENSION = /\.[A-Za-z][A-Za-z0-9]{1,3}$/

function readOutputName(get: InputReader): string | undefined {
  const given = get('output-name')
  const raw = given.trim()
  if (!raw) return undefined
  // Checked as written (a block scalar's last newline aside): `trail ` and `trail.` are not names to tidy up.
  const written = given.replace(/^\s+|\n+$/g, '')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not hold
  if (/[/\\<>:"|?*\u0000-\u001f]/.test(raw) || /^\.+$/.test(raw) || raw.length > 120) {
    throw new InputError('output-name', `'${raw}' is not a plain file name (no folders, no reserved characters, at most 120 characters)`)
  }
  const name = HAS_EXTENSION.test(raw) ? raw : `${raw}.mp4`
  // The action runs on Windows runners too: a name Windows cannot keep is refused on every runner alike.
  const unsafe = windowsUnsafe(written) ?? windowsUnsafe(name)
  if (unsafe) throw new InputError('output-name', `'${written}' ${unsafe}; choose another file name`)
  return name
}

/** `tags`: a YAML mapping of a tag set in the editor to the new content of the clips carrying it. */
function readTags(get: InputReader): TagValue[] {
  const raw = get('tags')
  if (!raw.trim()) return []
  const parsed = parseYaml('tags', raw)
  if (!isPlainObject(parsed)) throw new InputError('tags', 'must be a mapping of TAG: value (a tag set on clips in the AI Studios editor)')
  return Object.entries(parsed).map(([tag, value]) => {
    if (value === null || typeof value === 'object')
      throw new InputError('tags', `the value of tag '${tag}' must be text (a text, an image URL or a video URL)`)
    return { tag, value: scalarText(value), from: 'tags' }
  })
}

/** The inputs that give what a video says as text, not as a file: the step's are written in its workflow. */
export const INLINE_INPUTS = ['script', 'scripts', 'variables', 'tags'] as const

/** Which of INLINE_INPUTS are given. */
export const inlineInputs = (get: InputReader): string[] => INLINE_INPUTS.filter((input) => get(input).trim())

/** One video's inputs (the step's own, or a manifest entry's) as a validated spec. */
export function readVideoSpec(get: InputReader, workspace: string): VideoSpec {
  return {
    source: readSource(get, workspace),
    speech: readSpeech(get, workspace),
    tags: readTags(get),
    exportOptions: readExportOptions(get),
    files: readInputPaths(get, workspace),
    outputName: readOutputName(get)
  }
}
