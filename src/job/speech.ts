import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../errors.js'
import type { SceneSpeech } from '../domain.js'
import { readInputFile, resolveInWorkspace, type InputReader } from './parse.js'
import { isPlainObject, parseYaml, parseYamlDocument, refusal, topLevelOffsets, writtenAt, yamlValue } from './yaml.js'
import { warning } from '../log.js'

const SCENE_LINE = /^\s*(\d+)(?:\.(\d+))?\s*:\s?(.*)$/
/** `N` is scene N (its first line of dialogue), `N.M` line M of scene N, both from 0. */
const ADDRESS = /^(\d+)(?:\.(\d+))?$/

/** Scene and line of an address; the line is left out for a bare scene index. */
function address(scene: string, line: string | undefined): Pick<SceneSpeech, 'scene' | 'line'> {
  return line === undefined ? { scene: Number(scene) } : { scene: Number(scene), line: Number(line) }
}

const describe = (speech: SceneSpeech): string =>
  speech.line === undefined ? `scene ${speech.scene}` : `line ${speech.line} of scene ${speech.scene}`

/** `INDEX: text` (INDEX is `N` or `N.M`), one a line; blank lines and `#` comments are skipped. Pure. */
export function parseScriptsInput(raw: string): SceneSpeech[] {
  const speeches: SceneSpeech[] = []
  raw.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim() || line.trim().startsWith('#')) return
    const match = SCENE_LINE.exec(line)
    if (!match) {
      throw new InputError(
        'scripts',
        `line ${index + 1}: expected 'INDEX: text' (the scene's index from 0, or SCENE.LINE for a line of dialogue), got '${line.trim()}'`
      )
    }
    let text = match[3].trim()
    // A quoted value is read as YAML would read it, so escapes and colons work as users expect.
    if (/^(".*"|'.*')$/.test(text)) text = String(parseYaml('scripts', text))
    // As the speech files are: an empty line of speech would be paid for as a silent scene (an unset `${{ }}`, say).
    if (!text.trim())
      throw new InputError(
        'scripts',
        `line ${index + 1}: the speech of ${match[1]}${match[2] ? `.${match[2]}` : ''} is empty; leave the line out to keep the project's speech`
      )
    speeches.push({ ...address(match[1], match[2]), text, from: 'scripts', at: { where: `line ${index + 1}` } })
  })
  return speeches
}

function readScriptsFile(raw: string, workspace: string): SceneSpeech[] {
  const { file, text } = readInputFile('scripts-file', raw, workspace)
  const yamlFile = { path: file, name: raw }
  const document = parseYamlDocument('scripts-file', text, yamlFile)
  const parsed = yamlValue(document.contents, document, 'scripts-file', text, yamlFile)
  const start = document.contents?.range?.[0] ?? 0
  const entries: Array<[string, unknown]> = Array.isArray(parsed)
    ? parsed.map((value, index) => [String(index), value])
    : isPlainObject(parsed)
      ? Object.entries(parsed)
      : []
  if (!Array.isArray(parsed) && !isPlainObject(parsed)) throw refusal('scripts-file', text, start, 'must map scene indexes to speech', yamlFile)
  const offsets = topLevelOffsets(document)
  return entries
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => {
      // A key merged in (`<<: *common`) is not written in this mapping: the mapping's start stands for it.
      const offset = offsets.get(key) ?? start
      const match = ADDRESS.exec(key)
      if (!match) throw refusal('scripts-file', text, offset, `'${key}' is not a scene index (0, 1, 2, …) or SCENE.LINE (1.0, 1.1, …)`, yamlFile)
      if (typeof value !== 'string' || !value.trim())
        throw refusal('scripts-file', text, offset, `the speech of ${key} must be non-empty text`, yamlFile)
      return { ...address(match[1], match[2]), text: value.trim(), from: `scripts-file ${raw}`, at: writtenAt(text, offset, yamlFile) }
    })
}

/** Text files named by scene index (`0.txt`, `01-intro.txt`) or scene and line (`1.1.txt`, `1.1-answer.txt`). */
function readScriptsDir(raw: string, workspace: string): SceneSpeech[] {
  const dir = resolveInWorkspace('scripts-dir', raw, workspace)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new InputError('scripts-dir', `'${raw}' is not a directory`)
  const speeches: SceneSpeech[] = []
  for (const entry of fs.readdirSync(dir).sort()) {
    const match = /^(\d+)(?:\.(\d+))?(?=\D|$)/.exec(entry)
    if (!match) {
      warning(`scripts-dir: ignoring ${entry} (its name does not start with a scene index)`)
      continue
    }
    const relative = path.posix.join(raw.trim().replace(/\/$/, ''), entry)
    const { file, text } = readInputFile('scripts-dir', relative, workspace)
    if (!text.trim()) throw new InputError('scripts-dir', `file '${relative}' is empty`)
    speeches.push({ ...address(match[1], match[2]), text: text.trim(), from: `scripts-dir ${relative}`, at: { where: relative, location: { file } } })
  }
  return speeches
}

/**
 * All new speech, by scene: `script`/`script-file` for scene 0, `scripts`, `scripts-file` and
 * `scripts-dir` for any scene. Two sources for one scene are refused, naming both.
 */
export function readSpeech(get: InputReader, workspace: string): SceneSpeech[] {
  const script = get('script')
  const scriptFile = get('script-file').trim()
  if (script.trim() && scriptFile) throw new InputError('script', "give either 'script' or 'script-file', not both")
  const speeches: SceneSpeech[] = []
  if (scriptFile) {
    const { file, text } = readInputFile('script-file', scriptFile, workspace)
    if (!text.trim()) throw new InputError('script-file', `file '${scriptFile}' is empty`)
    speeches.push({ scene: 0, text: text.trim(), from: `script-file ${scriptFile}`, at: { where: scriptFile, location: { file } } })
  } else if (script.trim()) {
    speeches.push({ scene: 0, text: script.trim(), from: 'script' })
  }
  speeches.push(...parseScriptsInput(get('scripts')))
  const scriptsFile = get('scripts-file').trim()
  if (scriptsFile) speeches.push(...readScriptsFile(scriptsFile, workspace))
  const scriptsDir = get('scripts-dir').trim()
  if (scriptsDir) speeches.push(...readScriptsDir(scriptsDir, workspace))

  const seen = new Map<string, SceneSpeech>()
  for (const speech of speeches) {
    // Windows line ends (and old Mac ones) become plain ones: a CR would be spoken or shown as a stray character.
    speech.text = speech.text.replace(/\r\n?/g, '\n')
    // `N` and `N.0` are the same line.
    const id = `${speech.scene}.${speech.line ?? 0}`
    const earlier = seen.get(id)
    if (earlier) {
      const detail = `${describe(speech)} is given speech twice: by ${earlier.from} and by ${speech.from}`
      throw new InputError(speech.from.split(' ')[0], speech.at ? `${speech.at.where}: ${detail}` : detail, speech.at?.location)
    }
    seen.set(id, speech)
  }
  return speeches
}
