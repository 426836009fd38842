import { InputError } from '../errors.js'
import { VIDEO_SOURCE_INPUTS } from '../job/manifest.js'
import type { InputReader } from '../job/parse.js'

/**
 * The action's inputs that the CLI takes as flags (`--template video/promo.json`): every input that
 * says what to render and how to wait for it. GitHub's own (artifacts, releases, comments, changed
 * files, plan) have no meaning on a terminal; credentials come from the environment, never from a flag
 * that `ps` would show.
 */
export const CLI_INPUTS = [
  ...VIDEO_SOURCE_INPUTS,
  'manifest',
  'manifest-entry',
  'name',
  'resolution',
  'workspace-id',
  'webhook-url',
  'api-url',
  'legacy-api-url',
  'api-generation',
  'poll-interval',
  'timeout',
  'stall-timeout',
  'request-timeout',
  'max-video-size',
  'wait',
  'resume',
  'output-name',
  'output-dir',
  'max-parallel',
  'fail-fast',
  'dry-run'
] as const

/** Flags that may stand alone, meaning true. */
const SWITCHES = new Set(['dry-run', 'wait', 'fail-fast'])
/** The environment variables credentials come from, by input. */
export const CREDENTIAL_VARIABLES = { 'app-id': 'AISTUDIOS_APP_ID', 'user-key': 'AISTUDIOS_USER_KEY', 'api-key': 'AISTUDIOS_API_KEY' } as const

export interface CliArgs {
  help: boolean
  inputs: Map<string, string>
}

/** `K=V` as a YAML line `K: "V"`, so a value is always text. */
function pair(flag: string, raw: string): string {
  const at = raw.indexOf('=')
  if (at <= 0) throw new InputError(flag, `'${raw}' is not NAME=value`)
  return `${raw.slice(0, at)}: ${JSON.stringify(raw.slice(at + 1))}`
}

/**
 * The command line as the action's inputs. `--input value` or `--input=value` for each of CLI_INPUTS;
 * `--var NAME=value` and `--tag TAG=value`, repeated, add to `variables` and `tags`. Pure.
 */
export function parseArgs(argv: readonly string[]): CliArgs {
  const inputs = new Map<string, string>()
  const add = (name: string, line: string): void => void inputs.set(name, inputs.has(name) ? `${inputs.get(name)}\n${line}` : line)
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      help = true
      continue
    }
    const match = /^--([a-z-]+)(?:=([\s\S]*))?$/.exec(arg)
    if (!match) throw new InputError('command line', `'${arg}' is not a flag; see --help`)
    const flag = match[1]
    const known = flag === 'var' || flag === 'tag' || (CLI_INPUTS as readonly string[]).includes(flag)
    if (!known) {
      const credential = Object.entries(CREDENTIAL_VARIABLES).find(([input]) => input === flag)
      throw new InputError(
        `--${flag}`,
        credential ? `credentials are read from ${credential[1]}, never from the command line` : 'is not a flag of aistudios-video; see --help'
      )
    }
    let value = match[2]
    if (value === undefined) {
      const next = argv[i + 1]
      if (SWITCHES.has(flag) && (next === undefined || next.startsWith('--'))) value = 'true'
      else if (next === undefined) throw new InputError(`--${flag}`, 'needs a value')
      else value = argv[++i]
    }
    if (flag === 'var') add('variables', pair('--var', value))
    else if (flag === 'tag') add('tags', pair('--tag', value))
    else inputs.set(flag, value)
  }
  return { help, inputs }
}

/** The inputs a run of the CLI reads: its flags, and the credentials from the environment. */
export function cliInputs(args: CliArgs, env: NodeJS.ProcessEnv): InputReader {
  return (name) => {
    if (name in CREDENTIAL_VARIABLES) return env[CREDENTIAL_VARIABLES[name as keyof typeof CREDENTIAL_VARIABLES]] ?? ''
    // Artifacts and GitHub's features belong to a workflow run.
    if (name === 'upload-artifact') return 'false'
    if (name === 'github-token') return ''
    return args.inputs.get(name) ?? ''
  }
}
