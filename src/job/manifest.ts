import { isMap, isScalar, isSeq, type Node } from 'yaml'
import type { VideoSpec } from '../domain.js'
import { InputError, locator } from '../errors.js'
import { readInputFile, repoPath, type InputReader } from './parse.js'
import { VIDEO_NAME, manifestEntry } from './manifest-schema.js'
import { readVideoSpec } from './video-spec.js'
import { parseYamlDocument, parseYamlLeniently, scalarText, yamlValue } from './yaml.js'

/**
 * An entry's definition as only-changed compares it: its keys in order at every depth, so a formatter's
 * reordering is no change (and no new export). Pure.
 */
export function definitionOf(value: unknown): string {
  const sorted = (item: unknown): unknown =>
    Array.isArray(item)
      ? item.map(sorted)
      : item && typeof item === 'object'
        ? Object.fromEntries(
            Object.entries(item)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([key, inner]) => [key, sorted(inner)])
          )
        : item
  return JSON.stringify(sorted(value))
}

/** Each entry's definition by name, from a manifest's text (an older version of it); lenient. */
export function manifestDefinitions(text: string): Map<string, string> {
  const parsed = parseYamlLeniently(text)
  const list = Array.isArray(parsed) ? parsed : (parsed as { videos?: unknown } | null)?.videos
  const definitions = new Map<string, string>()
  for (const value of Array.isArray(list) ? list : []) {
    if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
      definitions.set((value as { name: string }).name, definitionOf(value))
    }
  }
  return definitions
}

/** The most videos a manifest lists: their plan, records and `videos` output stay under GitHub's 1 MiB per output. */
export const MAX_MANIFEST_VIDEOS = 2000

/** The inputs that say what a video is made from: its source, placeholder values, speech and tags. */
export const VIDEO_SOURCE_INPUTS = [
  'project-id',
  'template',
  'variables',
  'variables-file',
  'scripts',
  'scripts-file',
  'scripts-dir',
  'script',
  'script-file',
  'tags'
] as const
/** What an entry says for its own video; everything else comes from the step's inputs. */
const PER_VIDEO = new Set<string>([...VIDEO_SOURCE_INPUTS, 'api-generation', 'resolution', 'workspace-id', 'webhook-url'])
/** Entry keys that are not inputs: its name (and default file name), its file name, its title in AI Studios. */
const OWN_KEYS = ['name', 'output', 'title']
/** Every key an entry takes (manifest-schema.ts defines each; a test keeps the two in step). */
export const MANIFEST_KEYS: readonly string[] = [...OWN_KEYS, ...PER_VIDEO]
const IS_MANIFEST_KEY = new Set(MANIFEST_KEYS)
/**
 * Step inputs that say what one video is made from: with a manifest each entry says its own, so the
 * step's are refused rather than dropped. `resume` goes with `manifest-entry`, for the one entry it names.
 */
const ONE_VIDEO_INPUTS: readonly string[] = [...VIDEO_SOURCE_INPUTS, 'name', 'output-name']

/** With a manifest, a step input that belongs to one video is refused, naming it. */
export function refuseOneVideoInputs(get: InputReader): void {
  const given = ONE_VIDEO_INPUTS.find((input) => get(input).trim())
  if (given) {
    throw new InputError(given, `it describes one video, but 'manifest' lists the videos: set '${given}' on an entry of the manifest instead`)
  }
  if (get('resume').trim() && entryNames(get('manifest-entry')).length !== 1) {
    throw new InputError('resume', "with a 'manifest', resume one video: set 'manifest-entry' to its name (one name) as well")
  }
}

/**
 * An entry's value as the text an input would hold: speech by index (a mapping or a list) becomes
 * `INDEX: "text"` lines, a mapping its JSON (read back as YAML). The schema has checked every type, so
 * no list or mapping reaches a key that takes text.
 */
function asInputText(key: string, value: unknown): string {
  if (value === null || typeof value !== 'object') return scalarText(value)
  if (key !== 'scripts') return JSON.stringify(value)
  return Object.entries(value)
    .map(([index, text]) => `${index}: ${JSON.stringify(scalarText(text))}`)
    .join('\n')
}

/**
 * Reads a manifest (YAML or JSON: a list of videos, or `videos:` holding one) and validates every entry
 * as a run of its own before anything is sent: one bad entry refuses the run, naming the entry, the
 * file and the line.
 */
export function readManifest(get: InputReader, workspace: string): { path: string; videos: VideoSpec[] } {
  const raw = get('manifest').trim()
  const { file, text } = readInputFile('manifest', raw, workspace)
  const document = parseYamlDocument('manifest', text, { path: file, name: raw })
  // One index of the lines for every entry's location: a long manifest stays linear.
  const locate = locator(text)
  function refuse(node: Node | null | undefined, detail: string): never {
    const { line, column } = locate(node?.range?.[0] ?? 0)
    throw new InputError('manifest', `${raw}:${line}:${column}: ${detail}`, { file, line, column })
  }
  const root = document.contents
  // Beside `videos:` only values kept for aliases (`common: &common …`); any other key (a typo, `video:`,
  // a step input) is refused, not ignored.
  const beside = isMap(root)
    ? root.items.find((pair) => !(isScalar(pair.key) && pair.key.value === 'videos') && !(pair.value as Node | null)?.anchor)
    : undefined
  if (beside)
    refuse(
      beside.key as Node,
      `unknown key ${JSON.stringify(isScalar(beside.key) ? beside.key.value : String(beside.key))} beside "videos:"; a manifest is a list of videos, or "videos:" holding one (and values with an &anchor, for aliases)`
    )
  const list = isMap(root) ? root.get('videos', true) : root
  if (!isSeq(list) || list.items.length === 0) refuse(root, 'a manifest is a non-empty list of videos (or "videos:" holding one)')
  if (list.items.length > MAX_MANIFEST_VIDEOS)
    refuse(list, `a manifest lists at most ${MAX_MANIFEST_VIDEOS} videos (this one ${list.items.length}): split it into several`)

  const entries: VideoSpec[] = []
  const outputs = new Map<string, string>()
  // Each name by its lower case: one look-up an entry, so a long manifest is read in linear time.
  const names = new Map<string, string>()
  for (const item of list.items) {
    if (!isMap(item)) refuse(item as Node, 'each video is a mapping of inputs (name, template or project-id, …)')
    // Aliases and merge keys resolved to what they stand for, never sent as the alias itself.
    const value = yamlValue(item, document, 'manifest', text, { path: file, name: raw }) as Record<string, unknown>
    const name = typeof value.name === 'string' ? value.name.trim() : ''
    if (!VIDEO_NAME.test(name))
      refuse(
        item,
        `each video needs a "name" of letters, digits, '.', '-' and '_', not only dots nor a Windows device name such as CON, and not ending with a dot (got ${JSON.stringify(value.name ?? null)})`
      )
    const twin = names.get(name.toLowerCase())
    // Names differing only in case would collide as files on macOS and Windows runners.
    if (twin !== undefined) refuse(item, twin === name ? `two videos are named '${name}'` : `videos '${twin}' and '${name}' differ only in case`)
    names.set(name.toLowerCase(), name)
    const unknown = Object.keys(value).filter((key) => !IS_MANIFEST_KEY.has(key))
    if (unknown.length > 0) refuse(item, `video '${name}': unknown key(s) ${unknown.join(', ')}; a video takes ${MANIFEST_KEYS.join(', ')}`)
    // The schema an editor reads (generated from this one) holds here too: the types of every value.
    const checked = manifestEntry.safeParse(value)
    if (!checked.success) {
      const [issue] = checked.error.issues
      const at = issue.path.length ? `${issue.path.map(String).join('.')}: ` : ''
      refuse((item.getIn(issue.path as Array<string | number>, true) as Node | undefined) ?? item, `video '${name}': ${at}${issue.message}`)
    }

    const texts = new Map(Object.entries(value).map(([key, entry]) => [key, asInputText(key, entry)]))
    const entryGet: InputReader = (input) => {
      if (input === 'output-name') return texts.get('output') ?? name
      if (input === 'name') return texts.get('title') ?? ''
      if (PER_VIDEO.has(input) && input in value) return texts.get(input) ?? ''
      if (input === 'resume') return name === get('manifest-entry').trim() ? get(input) : ''
      return ONE_VIDEO_INPUTS.includes(input) ? '' : get(input)
    }
    let spec: VideoSpec
    try {
      spec = readVideoSpec(entryGet, workspace)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      // An error inside a file the entry names (a template) keeps that file's line; others point here.
      if (error.location) throw new InputError('manifest', `video '${name}': ${error.message}`, error.location)
      refuse(item, `video '${name}': ${error.message}`)
    }
    const output = (spec.outputName ?? '').toLowerCase()
    const clash = outputs.get(output)
    if (clash) refuse(item, `videos '${clash}' and '${name}' would both be saved as ${spec.outputName}`)
    outputs.set(output, name)
    const { line, column } = locate(item.range?.[0] ?? 0)
    entries.push({ ...spec, name, definition: definitionOf(value), location: { file, line, column } })
  }
  return { path: repoPath(workspace, file), videos: entries }
}

/** The names `manifest-entry` gives: one video, or a matrix shard's videos separated by commas. */
export const entryNames = (raw: string): string[] =>
  raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)

/** The entries to produce: all, or those `manifest-entry` names (a job of a fanned-out matrix), in the manifest's order. */
export function selectEntries(videos: VideoSpec[], get: InputReader): VideoSpec[] {
  const wanted = entryNames(get('manifest-entry'))
  if (wanted.length === 0) return videos
  const unknown = wanted.filter((name) => !videos.some((candidate) => candidate.name === name))
  if (unknown.length > 0) {
    const shown = videos.slice(0, 20).map((v) => v.name)
    throw new InputError(
      'manifest-entry',
      `no video named ${unknown.map((name) => `'${name}'`).join(', ')} in the manifest; it has ${shown.join(', ')}${videos.length > 20 ? ', …' : ''}`
    )
  }
  return videos.filter((video) => video.name !== undefined && wanted.includes(video.name))
}
