import { isMap, isSeq, type Node } from 'yaml'
import { InputError } from '../errors.js'
import { exportFromTemplate, locate } from '../request/template.js'
import { parseBoolean, parseNumber, readInputFile } from './parse.js'
import { readSettings, type InputReader, type Settings } from './settings.js'
import { parseYamlDocument, parseYamlLeniently } from './yaml.js'

/** One video of a manifest: its name and the settings of its own run. */
export interface ManifestEntry {
  name: string
  settings: Settings
  /** The entry as written (JSON), to tell whether a push changed it. */
  definition: string
}

/** Each entry's definition by name, from a manifest's text (an older version of it); lenient. */
export function manifestDefinitions(text: string): Map<string, string> {
  const parsed = parseYamlLeniently(text)
  const list = Array.isArray(parsed) ? parsed : (parsed as { videos?: unknown } | null)?.videos
  const definitions = new Map<string, string>()
  for (const value of Array.isArray(list) ? list : []) {
    if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
      definitions.set((value as { name: string }).name, JSON.stringify(value))
    }
  }
  return definitions
}

/** What an entry says for its own video; everything else comes from the step's inputs. */
const PER_VIDEO = new Set([
  'project-id',
  'template',
  'api-generation',
  'variables',
  'variables-file',
  'scripts',
  'scripts-file',
  'scripts-dir',
  'script',
  'script-file',
  'resolution',
  'workspace-id',
  'webhook-url'
])
/** Entry keys that are not inputs: its name (and default file name), its file name, its title in AI Studios. */
const OWN_KEYS = ['name', 'output', 'title']
/** Per-video inputs that an entry must not inherit from the step (each video says its own). */
const NOT_INHERITED = new Set(['name', 'project-id', 'template', 'variables', 'variables-file', 'scripts', 'scripts-file', 'scripts-dir', 'script', 'script-file', 'resume', 'output-name'])

/** An entry's value as the text an input would hold (a mapping of speech becomes `INDEX: "text"` lines). */
function asInputText(key: string, value: unknown): string {
  if (typeof value === 'string') return value
  if (key === 'scripts' && value !== null && typeof value === 'object') {
    return Object.entries(value).map(([index, text]) => `${index}: ${JSON.stringify(String(text))}`).join('\n')
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * Reads a manifest (YAML or JSON: a list of videos, or `videos:` holding one) and validates every entry
 * as a run of its own before anything is sent: one bad entry refuses the run, naming the entry, the
 * file and the line.
 */
export function readManifest(get: InputReader, workspace: string): ManifestEntry[] {
  const raw = get('manifest').trim()
  const { file, text } = readInputFile('manifest', raw, workspace)
  const document = parseYamlDocument('manifest', text, { path: file, name: raw })
  function refuse(node: Node | null | undefined, detail: string): never {
    const { line, column } = locate(text, node?.range?.[0] ?? 0)
    throw new InputError('manifest', `${raw}:${line}:${column}: ${detail}`, { file, line, column })
  }
  const root = document.contents
  const list = isMap(root) ? root.get('videos', true) : root
  if (!isSeq(list) || list.items.length === 0) refuse(root, 'a manifest is a non-empty list of videos (or "videos:" holding one)')

  const entries: ManifestEntry[] = []
  const outputs = new Map<string, string>()
  for (const item of list.items) {
    if (!isMap(item)) refuse(item as Node, 'each video is a mapping of inputs (name, template or project-id, …)')
    const value = item.toJSON() as Record<string, unknown>
    const name = typeof value.name === 'string' ? value.name.trim() : ''
    if (!/^[\w.-]{1,80}$/.test(name)) refuse(item, `each video needs a "name" of letters, digits, '.', '-' and '_' (got ${JSON.stringify(value.name ?? null)})`)
    if (entries.some((entry) => entry.name === name)) refuse(item, `two videos are named '${name}'`)
    const unknown = Object.keys(value).filter((key) => !PER_VIDEO.has(key) && !OWN_KEYS.includes(key))
    if (unknown.length > 0) refuse(item, `video '${name}': unknown key(s) ${unknown.join(', ')}; a video takes ${[...OWN_KEYS, ...PER_VIDEO].join(', ')}`)

    const entryGet: InputReader = (input) => {
      if (input === 'output-name') return asInputText(input, value.output ?? name)
      if (input === 'name') return value.title === undefined ? '' : asInputText(input, value.title)
      if (PER_VIDEO.has(input) && input in value) return asInputText(input, value[input])
      return NOT_INHERITED.has(input) ? '' : get(input)
    }
    let settings: Settings
    try {
      settings = readSettings(entryGet, workspace)
      // A template is checked whole now (placeholders, shape, scenes), not when its turn comes.
      const source = settings.source
      if (source.kind === 'template') {
        exportFromTemplate(source.template, source.variables, settings.speech, settings.exportOptions, source.generation)
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      // An error inside a file the entry names (a template) keeps that file's line; others point here.
      if (error.location) throw new InputError('manifest', `video '${name}': ${error.message}`, error.location)
      refuse(item, `video '${name}': ${error.message}`)
    }
    const output = settings.outputName ?? ''
    const clash = outputs.get(output)
    if (clash) refuse(item, `videos '${clash}' and '${name}' would both be saved as ${output}`)
    outputs.set(output, name)
    entries.push({ name, settings: { ...settings, label: name }, definition: JSON.stringify(value) })
  }
  return entries
}

export interface BatchOptions {
  maxParallel: number
  failFast: boolean
  artifactPerVideo: boolean
  /** Send nothing: output the matrix of videos for a fan-out over jobs. */
  plan: boolean
}

export function readBatchOptions(get: InputReader): BatchOptions {
  return {
    maxParallel: parseNumber('max-parallel', get('max-parallel'), 3, { min: 1, max: 20, integer: true, unit: 'videos' }),
    failFast: parseBoolean('fail-fast', get('fail-fast'), false),
    artifactPerVideo: parseBoolean('artifact-per-video', get('artifact-per-video'), false),
    plan: parseBoolean('plan', get('plan'), false)
  }
}

/** The entries to render: all, or the one `manifest-entry` names (a job of a fanned-out matrix). */
export function selectEntries(entries: ManifestEntry[], get: InputReader): ManifestEntry[] {
  const wanted = get('manifest-entry').trim()
  if (!wanted) return entries
  const entry = entries.find((candidate) => candidate.name === wanted)
  if (!entry) throw new InputError('manifest-entry', `no video named '${wanted}' in the manifest; it has ${entries.map((e) => e.name).join(', ')}`)
  return [entry]
}

/** Without a manifest, the batch inputs are still checked, and those that need one are refused. */
export function checkNoBatch(get: InputReader): void {
  const options = readBatchOptions(get)
  if (options.plan) throw new InputError('plan', "a plan lists the videos of a 'manifest'; set 'manifest'")
  if (get('manifest-entry').trim()) throw new InputError('manifest-entry', "names a video of a 'manifest'; set 'manifest'")
}
