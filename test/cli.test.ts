/** The CLI front door: dist/cli/index.js in a child process, against the simulator. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { Writable } from 'node:stream'
import { CLI_INPUTS, cliInputs, parseArgs } from '../src/cli/args.ts'
import { terminalSink } from '../src/cli/terminal.ts'
import { makeWorkspace } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT, DIALOGUE_PROJECT_ID, SAMPLE_VIDEO, TEST_API_KEY, startSimulator, type Simulator } from './simulator/server.ts'

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
const APP = { AISTUDIOS_APP_ID: 'cli-app', AISTUDIOS_USER_KEY: 'cli-user-key-73f1' }

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  workspace: string
}

function runCli(args: string[], options: { env?: Record<string, string>; workspace?: string } = {}): Promise<CliRun> {
  const workspace = options.workspace ?? makeWorkspace()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: workspace,
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1', ...APP, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, workspace }))
  })
}

let sim: Simulator
before(async () => {
  sim = await startSimulator({ renderMs: 300, apps: { [APP.AISTUDIOS_APP_ID]: APP.AISTUDIOS_USER_KEY } })
})
after(() => sim.close())

describe('aistudios-video', () => {
  it('tries a template before it is committed: a dry run with --var, --tag and --scripts-dir', async () => {
    const workspace = makeWorkspace({ 'video/qa.json': JSON.stringify(DIALOGUE_PROJECT), 'video/speech/1.1-answer.txt': 'On Monday.' })
    const exports = sim.exports.length
    const run = await runCli(
      [
        '--api-url',
        sim.apiUrl,
        '--template',
        'video/qa.json',
        '--var',
        'VERSION=2.0',
        '--tag',
        'title=Version ##VERSION##',
        '--scripts-dir',
        'video/speech',
        '--dry-run'
      ],
      { workspace }
    )
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(sim.exports.length, exports, 'nothing exported')
    assert.match(run.stdout, /✔ dry run: the request is in videos\/aistudios-request\.json/)
    const body = JSON.parse(fs.readFileSync(path.join(workspace, 'videos/aistudios-request.json'), 'utf8'))
    assert.equal(body.scenes[1].scripts[1].org, 'On Monday.')
    assert.equal(body.scenes[0].clips.find((c: { tag?: string }) => c.tag === 'title').text, 'Version 2.0')
    assert.ok(!(run.stdout + run.stderr).includes(APP.AISTUDIOS_USER_KEY), 'the user key is never printed')
    assert.doesNotMatch(run.stdout, /::/, 'no workflow commands on a terminal')
  })

  it('renders and saves the video, progress as plain lines when not on a terminal', async () => {
    const run = await runCli(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--scripts', '1.1: It shipped.', '--output-dir', 'out'])
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /^\d+\.\d% after \d+ s/m)
    assert.doesNotMatch(run.stdout, /\r/)
    assert.match(run.stdout, /✔ saved out\/ai-studios-video\.mp4/)
    assert.deepEqual(fs.readFileSync(path.join(run.workspace, 'out/ai-studios-video.mp4')), SAMPLE_VIDEO)
  })

  const failures: Array<{ name: string; args: () => string[]; env?: Record<string, string>; code: number; message: RegExp }> = [
    {
      name: 'bad input',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--resolution', '999'],
      code: 2,
      message: /error: Input 'resolution': '999' is not one of/
    },
    {
      name: 'a credential as a flag',
      args: () => ['--user-key', 'x'],
      code: 2,
      message: /error: Input '--user-key': credentials are read from AISTUDIOS_USER_KEY/
    },
    { name: 'an unknown flag', args: () => ['--templat', 'x.json'], code: 2, message: /error: Input '--templat': is not a flag of aistudios-video/ },
    {
      name: 'refused credentials',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID],
      env: { AISTUDIOS_USER_KEY: 'wrong' },
      code: 3,
      message: /error: .*The AI Studios API rejected the credentials/
    },
    {
      name: 'a render that times out, with its key',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--timeout', '0.1'],
      code: 4,
      message: /error: ✖ Timed out after .*\nerror: Export \w+ was accepted .* run again with resume: \w+/
    }
  ]
  for (const failure of failures) {
    it(`exits ${failure.code} on ${failure.name}`, async () => {
      const slow = failure.code === 4
      if (slow) sim.options.renderMs = 60_000
      try {
        const run = await runCli(failure.args(), { env: failure.env })
        assert.equal(run.code, failure.code, run.stdout + run.stderr)
        assert.match(run.stderr, failure.message)
      } finally {
        sim.options.renderMs = 300
      }
    })
  }

  it('exits 5 when the download fails, the key printed', async () => {
    sim.options.faults.push({ route: 'cdn', kind: 'status', status: 404, times: 10 })
    try {
      const run = await runCli(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID])
      assert.equal(run.code, 5, run.stdout + run.stderr)
      assert.match(run.stderr, /error: ✖ Download failed: the video URL answered HTTP 404/)
      assert.match(run.stderr, /run again with resume: \w+/)
    } finally {
      sim.options.faults.length = 0
    }
  })

  it('renders a manifest', async () => {
    const workspace = makeWorkspace({ 'm.yml': `- name: a\n  project-id: ${DIALOGUE_PROJECT_ID}\n- name: b\n  project-id: ${DIALOGUE_PROJECT_ID}\n` })
    const run = await runCli(['--api-url', sim.apiUrl, '--manifest', 'm.yml'], {
      workspace,
      env: { AISTUDIOS_APP_ID: '', AISTUDIOS_USER_KEY: '', AISTUDIOS_API_KEY: TEST_API_KEY }
    })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /✔ a: saved videos\/a\.mp4/)
    assert.match(run.stdout, /✔ b: saved videos\/b\.mp4/)
  })

  it('ships no artifact client: the CLI never uploads, so its bundle is one file', () => {
    const dir = path.dirname(CLI)
    assert.deepEqual(
      fs.readdirSync(dir).filter((name) => name.endsWith('.js')),
      ['index.js']
    )
    assert.ok(!fs.readFileSync(CLI, 'utf8').includes('DefaultArtifactClient'), 'no trace of the artifact client in the bundle')
  })
})

describe('the command line as inputs', () => {
  it('reads --flag value, --flag=value, switches, and repeated --var and --tag', () => {
    const args = parseArgs(['--template', 't.json', '--output-dir=out', '--dry-run', '--var', 'A=1', '--var', 'B=x: y', '--tag', 'title=Hi'])
    const get = cliInputs(args, { AISTUDIOS_APP_ID: 'app', AISTUDIOS_USER_KEY: 'key' })
    assert.equal(get('template'), 't.json')
    assert.equal(get('output-dir'), 'out')
    assert.equal(get('dry-run'), 'true')
    assert.deepEqual(parse(get('variables')), { A: '1', B: 'x: y' })
    assert.deepEqual(parse(get('tags')), { title: 'Hi' })
    assert.equal(get('app-id'), 'app')
    assert.equal(get('upload-artifact'), 'false')
  })

  it('takes only inputs the action declares', () => {
    const action = parse(fs.readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8')) as { inputs: Record<string, unknown> }
    for (const input of CLI_INPUTS) assert.ok(input in action.inputs, input)
  })
})

describe('the terminal', () => {
  /** A stream that keeps what is written, and says whether it is a terminal. */
  const stream = (isTTY: boolean): NodeJS.WriteStream & { text: () => string } => {
    let text = ''
    const writable = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString()
        done()
      }
    })
    return Object.assign(writable, { isTTY, text: () => text }) as unknown as NodeJS.WriteStream & { text: () => string }
  }

  it('draws the progress as a bar in place, then ends its line before the next one; secrets hidden', () => {
    const out = stream(true)
    const sink = terminalSink(out, stream(false))
    sink.mask('s3cret')
    sink.progress(50, '50.0% after 3 s')
    sink.progress(100, '100.0% after 6 s')
    sink.info('Saved with s3cret in it')
    assert.equal(
      out.text(),
      `\r[${'#'.repeat(15)}${'-'.repeat(15)}] 50.0% after 3 s\u001b[K\r[${'#'.repeat(30)}] 100.0% after 6 s\u001b[K\nSaved with *** in it\n`
    )
  })
})
