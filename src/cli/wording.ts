import { CLI_INPUTS, CREDENTIAL_VARIABLES, SWITCHES } from './args.js'

/** The action's inputs that only a workflow has (GitHub's features, artifacts, plans): no flag stands for them. */
export const WORKFLOW_INPUTS: readonly string[] = [
  'plan',
  'collect',
  'max-jobs',
  'pipeline',
  'artifact-per-video',
  'upload-artifact',
  'artifact-name',
  'archive',
  'retention-days',
  'github-token',
  'only-changed',
  'release-upload',
  'release-tag',
  'release-replace',
  'comment',
  'reuse',
  'reuse-from',
  'from-draft',
  'cleanup'
]

/** Inputs the CLI takes under another flag's name. */
const RENAMED_FLAGS: Record<string, string> = { variables: 'var', tags: 'tag' }

/**
 * The one mapping from the action's vocabulary to the CLI's: how a terminal user sets `input` (a flag,
 * or an environment variable for a credential), or undefined for an input no flag stands for. Where
 * two flags set it, the one `typed` (--tags rather than --tag, --no-wait rather than --wait). Pure.
 */
export function cliName(input: string, typed: readonly string[] = []): string | undefined {
  if (input in CREDENTIAL_VARIABLES) return CREDENTIAL_VARIABLES[input as keyof typeof CREDENTIAL_VARIABLES]
  const flags = [`--${input}`, `--no-${input}`, ...(input in RENAMED_FLAGS ? [`--${RENAMED_FLAGS[input]}`] : [])]
  const asTyped = typed.find((flag) => flags.includes(flag))
  if (asTyped) return asTyped
  if (input in RENAMED_FLAGS) return `--${RENAMED_FLAGS[input]}`
  return CLI_INPUTS.includes(input) ? `--${input}` : undefined
}

/** How a terminal user gives `input` the value `value`: `--no-wait` for `wait: false`, `--resume-mismatch accept`. Pure. */
export function cliSetting(input: string, value: string): string | undefined {
  const name = cliName(input)
  if (!name) return undefined
  if (SWITCHES.includes(input) && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true' ? name : `--no-${input}`
  if (input in CREDENTIAL_VARIABLES) return `${name}=${value}`
  return `${name} ${value}`
}

/**
 * Workflow terms a terminal user has no use for, as the CLI says them: where credentials come from, who
 * exchanges them, what must reach the API, and what only a workflow does (reuse, only-changed).
 */
const PHRASES: Array<[RegExp, string]> = [
  [/ \(repository secrets\)/g, ' (environment variables)'],
  [/, each passed from a repository secret/g, ', each set in the environment'],
  [/ from a repository secret/g, ' in the environment'],
  [/the ('app-id') and ('user-key') secrets/g, '$1 and $2'],
  [/\(and drop ('app-id') and ('user-key')\)/g, '(and unset $1 and $2)'],
  [/in their own inputs, from secrets/g, "in the environment ('app-id' and 'user-key', or 'api-key')"],
  [/check the secret\b/g, 'check the environment variable'],
  [/the action exchanges them/g, 'the CLI exchanges them'],
  [/the runner can reach/g, 'this machine can reach'],
  [/a re-run attempt exports anew/g, 'running the command again exports anew'],
  [
    /re-run this step with the 'resume' input set to its project ID/g,
    "run the same command again with 'resume' and that project ID added, leaving out any 'wait: false', 'tags', 'resolution', 'workspace-id' and 'webhook-url'"
  ],
  [/run the step again/g, 'run the same command again'],
  [/the step's\b/g, "the command's"],
  // The CLI never looks for earlier runs' videos.
  [/ unless 'reuse' finds enough earlier videos/g, ''],
  [/, nor do videos 'reuse' finds/g, ''],
  [/resumed and reused videos do not count/g, 'resumed videos do not count']
]

/** A quoted name, or a quoted `name: value` setting, as in the action's messages. */
const QUOTED = /(['`])([a-z][a-z-]*)(?:: ([^'`\n]+))?\1/g

/**
 * A message of the action's as the CLI user reads it: a quoted input name becomes the flag or
 * environment variable the user sets ('app-id' → AISTUDIOS_APP_ID, 'api-url' → --api-url), a quoted
 * setting becomes the flag that sets it ('wait: false' → --no-wait), "'wait' is false" says --no-wait,
 * an input only a workflow has is dropped from a list of choices, and workflow terms become a
 * terminal's. An input is named as the flag `typed` for it, where there are two. Names in other text
 * (a file called app-id.json) stay. Pure.
 */
export function cliWording(text: string, typed: readonly string[] = []): string {
  const worded = PHRASES.reduce((shown, [phrase, replacement]) => shown.replace(phrase, replacement), text)
    .replace(/(['`])([a-z][a-z-]*)\1 is (true|false)\b/g, (whole, _q: string, input: string, value: string) =>
      SWITCHES.includes(input) ? `${cliSetting(input, value)} is given` : whole
    )
    // A workflow's input in a list of choices ("('manifest-entry', 'only-changed')") is no choice here.
    .replace(/, (['`])([a-z][a-z-]*)\1(?=[,)])/g, (whole, _q: string, input: string) => (WORKFLOW_INPUTS.includes(input) ? '' : whole))
    .replace(/\((['`])([a-z][a-z-]*)\1(, |(?=\)))/g, (whole, _q: string, input: string) => (WORKFLOW_INPUTS.includes(input) ? '(' : whole))
    // A setting in brackets, unquoted: "(max-videos: 3)".
    .replace(
      /\(([a-z][a-z-]*): ([^()'`\n]+)\)/g,
      (whole, input: string, value: string) => `(${cliSetting(input, value.trim()) ?? whole.slice(1, -1)})`
    )
  return worded
    .replace(QUOTED, (whole, _quote: string, input: string, value?: string) =>
      value === undefined ? (cliName(input, typed) ?? whole) : (cliSetting(input, value.trim()) ?? whole)
    )
    .replace(/(?<![\w./-])app-id and user-key(?![\w-]|\.\w)/g, `${CREDENTIAL_VARIABLES['app-id']} and ${CREDENTIAL_VARIABLES['user-key']}`)
}
