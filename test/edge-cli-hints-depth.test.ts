/**
 * Attack (attack1): the CLI's resume hint, followed literally, for a manifest video whose name starts with
 * '-' (the manifest allows it: letters, digits, '.', '-', '_'). The hint says `--manifest-entry -intro`, which
 * the command line refuses as a flag where a value goes. The export is paid for; the hint does not work as
 * typed. Expected to FAIL while the bug is there.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { makeWorkspace } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
const APP = { AISTUDIOS_APP_ID: 'cli-app', AISTUDIOS_USER_KEY: 'cli-user-key-73f1' }

function runCli(args: string[], workspace: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: workspace,
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1', ...APP },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out }))
  })
}

let sim: Simulator
before(async () => {
  sim = await startSimulator({ renderMs: 300, apps: { [APP.AISTUDIOS_APP_ID]: APP.AISTUDIOS_USER_KEY } })
})
after(() => sim.close())

describe('a resume hint for a video named with a leading dash', () => {
  it('followed literally, downloads the export without exporting again', async () => {
    const workspace = makeWorkspace({ 'm.yml': `- name: -intro\n  project-id: ${DIALOGUE_PROJECT_ID}\n` })
    const argv = ['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--no-wait']
    const first = await runCli(argv, workspace)
    assert.equal(first.code, 0, first.out)
    const key = sim.exports.at(-1)!.key
    const hint = first.out.split('\n').find((line) => line.includes(`Export ${key} `))!
    const match = /run the same command again with (.+?) added, leaving out --no-wait\.$/.exec(hint)
    assert.ok(match, first.out)
    const exports = sim.exports.length
    const again = await runCli([...argv.filter((arg) => arg !== '--no-wait'), ...match[1].split(' ')], workspace)
    assert.equal(again.code, 0, `hint: ${hint}\nobserved: ${again.out}`)
    assert.equal(sim.exports.length, exports, 'nothing exported again')
  })
})

/** 90 anchors, each a 60-deep flow list holding the one before: every line is 60 deep, the value 5,400 deep. */
const ALIAS_DEEP = [
  ...Array.from({ length: 90 }, (_, i) => `a${i}: &a${i} ${'['.repeat(60)}${i === 0 ? 'x' : `*a${i - 1}`}${']'.repeat(60)}`),
  'videos:',
  '  - name: v',
  `    project-id: ${DIALOGUE_PROJECT_ID}`,
  '    variables:',
  '      k: *a89'
].join('\n')

describe('YAML nested past 64 levels through aliases', () => {
  // PROVES: the depth bound reads the text's nesting (each line 60 deep), not the value aliases build; the
  // library's composer then recurses thousands of levels and the refusal is the engine's stack overflow.
  it('is refused by its depth, as the README says, not by a stack overflow', async () => {
    const workspace = makeWorkspace({ 'm.yml': `${ALIAS_DEEP}\n` })
    const run = await runCli(['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--dry-run'], workspace)
    assert.equal(run.code, 2, run.out)
    assert.doesNotMatch(run.out, /call stack/i, 'observed: refused by a stack overflow')
    assert.match(run.out, /more than the 64 a YAML input may have/)
  })
})
