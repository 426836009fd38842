/** Runs the bundled action (dist/index.js) in a child process exactly as the Actions runner does. */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ACTION_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  workspace: string
}

export interface RunOptions {
  /** The step's `with:`; every other input gets its action.yml default, as on a runner. */
  inputs: Record<string, string>
  /** The runner's environment beyond the harness's own; never an `INPUT_*` (inputs go through `inputs`). */
  env?: Record<string, string>
  /** The expression context for defaults (`github.token` is the harness's job token unless given). */
  context?: Record<string, string>
  /** An existing workspace to run in (files the inputs name); a fresh one otherwise. */
  workspace?: string
  /** Called with the child as soon as it starts (to signal it). */
  onStart?: (child: import('node:child_process').ChildProcess, stdout: () => string) => void
  timeoutMs?: number
  /** Another build's entry point to run instead of this one's (the benchmark's side-by-side). */
  entry?: string
}

/** action.yml as the runner reads it: each input's declared default, if it has one. */
const ACTION_YML = fileURLToPath(new URL('../../action.yml', import.meta.url))
export const ACTION_INPUTS: Readonly<Record<string, { default?: string }>> = (
  parse(fs.readFileSync(ACTION_YML, 'utf8')) as { inputs: Record<string, { default?: unknown }> }
).inputs as Record<string, { default?: string }>

/** The job token the runner puts behind `${{ github.token }}` (a stand-in's, where a test names one). */
export const HARNESS_GITHUB_TOKEN = 'ghs_harness-job-token'

/** The expressions action.yml's defaults use, evaluated as the runner evaluates them before the step. */
function evaluateDefault(input: string, value: string, context: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
    if (!(expression in context)) throw new Error(`action.yml: the default of '${input}' uses \${{ ${expression} }}, which the harness does not know`)
    return context[expression]
  })
}

/** The runner's name for an input's variable: upper case, spaces as '_', hyphens kept. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * The `INPUT_*` variables the runner sets for a step: every input the step gives, and every input action.yml
 * declares with a default that the step does not give (GitHub's metadata syntax). An input action.yml does
 * not declare is a test's mistake here (the runner only warns of it).
 */
export function runnerInputs(given: Record<string, string>, context: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of Object.keys(given)) {
    if (!(name in ACTION_INPUTS)) throw new Error(`'${name}' is not an input of action.yml`)
  }
  const full = { 'github.token': HARNESS_GITHUB_TOKEN, ...context }
  for (const [name, declared] of Object.entries(ACTION_INPUTS)) {
    if (name in given) env[inputVariable(name)] = given[name]
    else if (declared.default !== undefined) env[inputVariable(name)] = evaluateDefault(name, String(declared.default), full)
  }
  return env
}

/** Folders made for runs, removed when the test process exits (node --test runs each file in its own). */
const made: string[] = []
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true })
})

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  made.push(dir)
  return dir
}

export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = tempDir('aistudios-ws-')
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  return dir
}

/** Parses a GITHUB_OUTPUT file (`name<<DELIMITER` blocks, as @actions/core writes them). */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i])
    outputs[match[1]] = value.join('\n')
  }
  return outputs
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const workspace = options.workspace ?? makeWorkspace()
  const runnerDir = tempDir('aistudios-runner-')
  const outputFile = path.join(runnerDir, 'output')
  const summaryFile = path.join(runnerDir, 'summary')
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    NO_PROXY: '127.0.0.1,localhost',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'octo-org/videos',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    // The workflow the step is written in, as the runner names it for every run.
    GITHUB_WORKFLOW_REF: 'octo-org/videos/.github/workflows/videos.yml@refs/heads/main',
    RUNNER_TEMP: runnerDir,
    ...options.env
  }
  const bypass = Object.keys(options.env ?? {}).find((name) => name.toUpperCase().startsWith('INPUT_'))
  if (bypass) throw new Error(`${bypass}: give inputs through 'inputs', where action.yml's defaults are applied as the runner applies them`)
  Object.assign(env, runnerInputs(options.inputs, options.context))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.entry ?? ACTION_ENTRY], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    options.onStart?.(child, () => stdout)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
        summary: fs.readFileSync(summaryFile, 'utf8'),
        workspace
      })
    })
  })
}

/** The environment of a workflow triggered by `name` with this event payload, GitHub's API at apiUrl. */
export function eventEnv(name: string, payload: object, apiUrl: string): Record<string, string> {
  const file = path.join(tempDir('aistudios-event-'), 'event.json')
  fs.writeFileSync(file, JSON.stringify(payload))
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file, GITHUB_API_URL: apiUrl }
}

/**
 * An `onStart` that sends `signal` to the action as soon as `ready` says so (asked every 20 ms with the
 * action's output so far): a cancel (or a kill) at a chosen stage of the run.
 */
export function signalWhen(ready: (stdout: string) => boolean, signal: NodeJS.Signals = 'SIGTERM'): NonNullable<RunOptions['onStart']> {
  return (child, stdout) => {
    const poll = setInterval(() => {
      if (!ready(stdout())) return
      clearInterval(poll)
      child.kill(signal)
    }, 20)
    child.on('exit', () => clearInterval(poll))
  }
}

/**
 * Why a test that signals the action is skipped on Windows: there a child process is given no SIGTERM it
 * could handle (kill ends it at once), so what the action writes on a cancel cannot be seen. The action
 * itself listens for SIGINT and SIGBREAK there.
 */
export const NO_POSIX_SIGNALS = process.platform === 'win32' ? 'Windows delivers no SIGTERM a process can handle' : false
