import { parseArgs as tokenize } from 'node:util'
import type { InputReader } from '../job/parse.js'
import { asGiven } from '../job/action-defaults.js'
import { isPlainObject, parseYaml, scalarText } from '../job/yaml.js'

/** A flag of the CLI: an action input of the same name (or --var/--tag, which add to one), described for --help. */
interface Flag {
  /** `text`: takes a value; `switch`: stands alone (`--no-NAME` turns it off); `list`: a value each time, repeatable. */
  kind: 'text' | 'switch' | 'list'
  /** What its value is, in --help. */
  value?: string
  text: string
}

/**
 * Every flag, grouped as --help shows them. Each is the action's input of the same name: every input
 * that says what to render and how to wait for it. GitHub's own (artifacts, releases, comments, changed
 * files, plan) have no meaning on a terminal; credentials come from the environment, never from a flag
 * that `ps` would show.
 */
const FLAGS: Record<string, Record<string, Flag>> = {
  'What to render': {
    template: { kind: 'text', value: 'FILE', text: 'a JSON scene template (v3 or legacy shape)' },
    'project-id': { kind: 'text', value: 'ID', text: 'a saved project to export again with new speech' },
    manifest: { kind: 'text', value: 'FILE', text: 'a YAML or JSON list of videos' },
    'manifest-entry': { kind: 'text', value: 'NAME', text: 'render only this video of the manifest' },
    resume: { kind: 'text', value: 'KEY', text: 'an export already started: wait for it and download it, exporting nothing' },
    'resume-mismatch': { kind: 'text', value: 'WHAT', text: 'refuse (default) or accept a resumed export unlike what the flags describe' }
  },
  'Placeholders, speech and tags': {
    var: { kind: 'list', value: 'NAME=VALUE', text: 'a placeholder value (repeatable)' },
    variables: { kind: 'text', value: 'YAML', text: "placeholder values, one 'NAME: value' a line" },
    'variables-file': { kind: 'text', value: 'FILE', text: 'a JSON or YAML file of placeholder values' },
    script: { kind: 'text', value: 'TEXT', text: "speech for scene 0's first line" },
    'script-file': { kind: 'text', value: 'FILE', text: "a text file holding scene 0's speech" },
    scripts: { kind: 'text', value: 'YAML', text: "speech per scene or line, one 'N: text' or 'N.M: text' a line" },
    'scripts-file': { kind: 'text', value: 'FILE', text: 'a JSON or YAML file mapping N or N.M to speech' },
    'scripts-dir': { kind: 'text', value: 'DIR', text: 'a folder of text files named by N or N.M (0.txt, 1.1-answer.txt)' },
    tag: { kind: 'list', value: 'TAG=VALUE', text: 'content for the clips tagged TAG in the editor (repeatable)' },
    tags: { kind: 'text', value: 'YAML', text: "content for tagged clips, one 'TAG: value' a line" }
  },
  'The export': {
    name: { kind: 'text', value: 'TEXT', text: "the exported project's name in AI Studios" },
    resolution: { kind: 'text', value: 'R', text: '4k, 1080, 720 or 480 (default: the API’s, 1080)' },
    'workspace-id': { kind: 'text', value: 'ID', text: 'the AI Studios workspace to export into' },
    'webhook-url': { kind: 'text', value: 'URL', text: 'an https URL AI Studios calls when the render is done' },
    'api-generation': { kind: 'text', value: 'G', text: 'auto (default), v3 or legacy' },
    'dry-run': { kind: 'switch', text: 'check everything and the credentials, save the request, export nothing' },
    draft: { kind: 'switch', text: 'save each video as a draft in AI Studios for review, rendering and paying nothing' },
    'max-videos': { kind: 'text', value: 'N', text: 'refuse a run that would send more than N exports, before any is sent (resumed do not count)' }
  },
  'Waiting and saving': {
    wait: { kind: 'switch', text: 'wait for the render and download it (default); --no-wait prints the key and stops' },
    timeout: { kind: 'text', value: 'MIN', text: 'minutes to wait for the render and download (default 30)' },
    'stall-timeout': { kind: 'text', value: 'MIN', text: 'minutes progress may stand still (default 10)' },
    'poll-interval': { kind: 'text', value: 'S', text: 'auto (default), or the fewest seconds between progress checks' },
    'request-timeout': { kind: 'text', value: 'S', text: 'seconds each HTTP request may take (default 30)' },
    'max-video-size': { kind: 'text', value: 'MIB', text: 'the most MiB a downloaded video may have (default 4096)' },
    'output-dir': { kind: 'text', value: 'DIR', text: 'where videos are saved, inside the current folder (default: videos)' },
    'output-name': { kind: 'text', value: 'FILE', text: "the video's file name (default: from its URL)" }
  },
  'Several videos (with --manifest)': {
    'max-parallel': { kind: 'text', value: 'N', text: 'videos rendering at once, 1–20 (default 3)' },
    'fail-fast': { kind: 'switch', text: 'stop the other videos when one fails' }
  },
  'The API': {
    'api-url': { kind: 'text', value: 'URL', text: 'API base URL (default https://app.aistudios.com)' },
    'legacy-api-url': { kind: 'text', value: 'URL', text: "the legacy API's base URL (default https://v2.aistudios.com)" }
  },
  'This command': {
    help: { kind: 'switch', text: 'print this help and exit' },
    version: { kind: 'switch', text: 'print the version and exit' }
  }
}

const ALL: Record<string, Flag> = Object.fromEntries(Object.values(FLAGS).flatMap((group) => Object.entries(group)))
/** Flags that are the command's own, not inputs of the action. */
const OWN = new Set(['help', 'version', 'var', 'tag'])
/** The action's inputs that the CLI takes as flags of the same name. */
export const CLI_INPUTS: readonly string[] = Object.keys(ALL).filter((flag) => !OWN.has(flag))
/** The inputs the CLI takes as switches (`--dry-run`, `--no-wait`). */
export const SWITCHES: readonly string[] = CLI_INPUTS.filter((flag) => ALL[flag].kind === 'switch')
/** Whether a flag takes a value after it (`--template FILE`), not a switch. */
export const takesValue = (flag: string): boolean => ALL[flag] !== undefined && ALL[flag].kind !== 'switch'

/** The environment variables credentials come from, by input. */
export const CREDENTIAL_VARIABLES = { 'app-id': 'AISTUDIOS_APP_ID', 'user-key': 'AISTUDIOS_USER_KEY', 'api-key': 'AISTUDIOS_API_KEY' } as const

/** A command line that cannot be taken as written (exit status 2). Its message names flags, never their values. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (see --help)`)
    this.name = 'UsageError'
  }
}

export interface CliArgs {
  help: boolean
  version: boolean
  inputs: Map<string, string>
  /** Each flag as it was typed (`--no-wait`, `--tag`), in order: what a hint may tell the user to leave out. */
  typed: string[]
}

/** Text from the command line as it may be shown: printable, and short. */
const shown = (text: string): string => {
  // eslint-disable-next-line no-control-regex -- control characters (escape sequences) are what must not reach a terminal
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable
}

/** Edits (insert, delete, replace) from one word to another. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
}

/** The known name one or two edits from `name` (case aside), if there is one. */
function nearest(name: string, known: readonly string[]): string | undefined {
  const scored = known.map((candidate) => ({ candidate, edits: distance(name.toLowerCase(), candidate) }))
  const best = scored.sort((a, b) => a.edits - b.edits)[0]
  return best && best.edits <= 2 ? best.candidate : undefined
}

/** Why a flag that is not one of ours is refused: a credential, a near miss, or simply unknown. Its value is never echoed. */
function unknownFlag(rawName: string, name: string): UsageError {
  const credential = nearest(name, Object.keys(CREDENTIAL_VARIABLES)) as keyof typeof CREDENTIAL_VARIABLES | undefined
  if (credential && (name.toLowerCase() === credential || !nearest(name, Object.keys(ALL)))) {
    return new UsageError(`${shown(rawName)}: credentials are read from ${CREDENTIAL_VARIABLES[credential]}, never from the command line`)
  }
  const near = nearest(name, Object.keys(ALL))
  return new UsageError(`${shown(rawName)} is not a flag of aistudios-video${near ? `; did you mean --${near}?` : ''}`)
}

/** `K=V` as a YAML line `K: "V"`, so a value is always text. */
function pair(flag: string, raw: string): [string, string] {
  const at = raw.indexOf('=')
  if (at <= 0) throw new UsageError(`--${flag} takes NAME=VALUE`)
  return [raw.slice(0, at), raw.slice(at + 1)]
}

/** A mapping input's text as its reader takes it: names to text as written (YAML's failsafe reading). */
function mappingOf(input: string, text: string): Record<string, string> {
  const parsed = parseYaml(input, text)
  if (parsed === null || parsed === undefined) return {}
  if (!isPlainObject(parsed)) throw new UsageError(`--${input} must be a mapping of NAME: value`)
  return Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [key, value === null || typeof value === 'object' ? value : scalarText(value)])
  ) as Record<string, string>
}

/**
 * `--var` and `--tag` pairs over `--variables` and `--tags`, whichever came first: one mapping, as JSON
 * (which YAML reads), so no pair is dropped or read as YAML syntax (`##NAME##=x` is no comment). A flag
 * repeated for the same name: the last wins.
 */
function mergePairs(inputs: Map<string, string>, input: string, pairs: Array<[string, string]>): void {
  if (pairs.length === 0) return
  const given = inputs.get(input)
  inputs.set(input, JSON.stringify({ ...(given ? mappingOf(input, given) : {}), ...Object.fromEntries(pairs) }))
}

/**
 * The command line as the action's inputs, read by node:util's parseArgs and then checked so that
 * nothing is guessed: `--flag value` or `--flag=value` for each input; a switch stands alone
 * (`--dry-run`, `--no-wait`); `--var NAME=value` and `--tag TAG=value`, repeated, add to `variables`
 * and `tags`. Refused (a UsageError): an unknown flag, a missing value or one that is another flag
 * (`--name --dry-run`; `--name=--x` says it is meant), a flag given twice, a value after a switch, any
 * other word. Pure.
 */
export function parseArgs(argv: readonly string[]): CliArgs {
  const options = Object.fromEntries(
    Object.entries(ALL).map(([flag, { kind }]) => [flag, { type: kind === 'switch' ? 'boolean' : 'string' } as const])
  )
  const { tokens } = tokenize({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowNegative: true,
    tokens: true
  })
  const inputs = new Map<string, string>()
  const seen = new Set<string>()
  // --var and --tag pairs, merged over --variables and --tags at the end (mergePairs).
  const varPairs: Array<[string, string]> = []
  const tagPairs: Array<[string, string]> = []
  const result: CliArgs = { help: false, version: false, inputs, typed: [] }
  let previous: (typeof tokens)[number] | undefined
  for (const token of tokens) {
    if (token.kind === 'option-terminator') throw new UsageError("'--' ends no list of files here: every value follows its flag")
    if (token.kind === 'positional') {
      if (previous?.kind === 'option' && ALL[previous.name]?.kind === 'switch') {
        const flag = previous.name
        throw new UsageError(`--${flag} is a switch and takes no value${flag === 'help' || flag === 'version' ? '' : ` (--no-${flag} turns it off)`}`)
      }
      throw new UsageError(`'${shown(token.value)}' is not a flag: every value follows its flag (--template video/promo.json)`)
    }
    previous = token
    // parseArgs names `--no-wait` 'wait' (allowNegative); its raw name tells the two apart.
    const name = token.name
    const negated = token.rawName === `--no-${name}`
    const flag = ALL[name]
    if (!flag || (token.rawName.startsWith('-') && !token.rawName.startsWith('--') && name !== 'help')) throw unknownFlag(token.rawName, name)
    if (seen.has(name) && flag.kind !== 'list') throw new UsageError(`--${name} is given twice: give it once`)
    seen.add(name)
    result.typed.push(negated ? `--no-${name}` : `--${name}`)
    if (flag.kind === 'switch') {
      if (token.value !== undefined) throw new UsageError(`--${name} is a switch and takes no value (write --${name} or --no-${name})`)
      if (name === 'help' || name === 'version') result[name] = !negated
      else inputs.set(name, String(!negated))
      continue
    }
    const value = token.value
    if (value === undefined) throw new UsageError(`--${name} needs a value (--${name} ${flag.value})`)
    // An empty value ("$VAR" unset) is never "not given": --resume "" would export anew, --manifest-entry "" render every video.
    if (value === '') throw new UsageError(`--${name} is given an empty value: give it one (--${name} ${flag.value}) or leave the flag out`)
    if (!token.inlineValue && value.startsWith('--')) {
      throw new UsageError(
        `--${name} needs a value, but the flag ${shown(value.split('=')[0])} follows it (a value that starts with -- is written --${name}=--…)`
      )
    }
    if (name === 'var') varPairs.push(pair(name, value))
    else if (name === 'tag') tagPairs.push(pair(name, value))
    else inputs.set(name, value)
  }
  mergePairs(inputs, 'variables', varPairs)
  mergePairs(inputs, 'tags', tagPairs)
  return result
}

/** --help: what the command does, then one described line per flag, in groups. */
export function usage(): string {
  const width = Math.max(...Object.entries(ALL).map(([flag, { value }]) => flag.length + (value ? value.length + 1 : 0))) + 4
  const groups = Object.entries(FLAGS).map(
    ([group, flags]) =>
      `${group}:\n${Object.entries(flags)
        .map(([flag, { value, text }]) => `  ${`--${flag}${value ? ` ${value}` : ''}`.padEnd(width)}${text}`)
        .join('\n')}`
  )
  return [
    'Usage: aistudios-video [flags]',
    '',
    'Renders AI Studios videos as the GitHub Action does, and saves them in --output-dir. Each flag is the',
    "action's input of the same name. Files are named relative to the current folder and must lie inside it.",
    `Credentials come from the environment: ${CREDENTIAL_VARIABLES['app-id']} and ${CREDENTIAL_VARIABLES['user-key']} (or ${CREDENTIAL_VARIABLES['api-key']}).`,
    '',
    ...groups.map((group) => `${group}\n`),
    'Exit status: 0 done, 1 a file could not be written (it is named) or something unexpected, 2 bad input',
    '(nothing sent), 3 the API refused, 4 the render failed or timed out (its export key is printed), 5 the',
    'download failed, 6 the API could not be reached (its host does not resolve, is unreachable or did not',
    "answer), 7 the API's host refused the connection."
  ].join('\n')
}

/** Refuses a run whose environment holds no usable set of credentials, naming the variables (the action's own message names inputs). */
export function checkCredentialVariables(env: NodeJS.ProcessEnv): void {
  const { 'app-id': appId, 'user-key': userKey, 'api-key': apiKey } = CREDENTIAL_VARIABLES
  const [app, user, api] = [appId, userKey, apiKey].map((name) => Boolean(env[name]?.trim()))
  if (api && (app || user)) throw new UsageError(`set either ${apiKey} or ${appId} with ${userKey}, not both`)
  if (app !== user) throw new UsageError(`${appId} and ${userKey} go together: ${app ? userKey : appId} is not set`)
  if (!api && !app) throw new UsageError(`no credentials: set ${appId} and ${userKey} (or ${apiKey}) in the environment`)
}

/** The inputs a run of the CLI reads: its flags, and the credentials from the environment. */
export function cliInputs(args: CliArgs, env: NodeJS.ProcessEnv): InputReader {
  return asGiven((name) => {
    if (name in CREDENTIAL_VARIABLES) return env[CREDENTIAL_VARIABLES[name as keyof typeof CREDENTIAL_VARIABLES]] ?? ''
    // Artifacts and GitHub's features belong to a workflow run.
    if (name === 'upload-artifact') return 'false'
    if (name === 'github-token') return ''
    return args.inputs.get(name) ?? ''
  })
}
