/** Runs the bundled action (dist/index.js) in a child process exactly as the Actions runner does. */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

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
  inputs: Record<string, string>
  env?: Record<string, string>
  /** An existing workspace to run in (files the inputs name); a fresh one otherwise. */
  workspace?: string
  /** Called with the child as soon as it starts (to signal it). */
  onStart?: (child: import('node:child_process').ChildProcess, stdout: () => string) => void
  timeoutMs?: number
  /** Another build's entry point to run instead of this one's (the benchmark's side-by-side). */
  entry?: string
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

export function runAction(options: RunOptions): Promise<ActionRun> {
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
    RUNNER_TEMP: runnerDir,
    ...options.env
  }
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
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
