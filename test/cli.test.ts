/** The CLI front door: dist/cli/index.js in a child process, against the simulator. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { Writable } from 'node:stream'
import { CLI_INPUTS, cliInputs, parseArgs, takesValue } from '../src/cli/args.ts'
import { terminalSink } from '../src/cli/terminal.ts'
import { WORKFLOW_INPUTS } from '../src/cli/wording.ts'
import { makeWorkspace } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT, DIALOGUE_PROJECT_ID, SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
const APP = { AISTUDIOS_APP_ID: 'cli-app', AISTUDIOS_USER_KEY: 'cli-user-key-73f1' }

interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  workspace: string
}

/** Runs the CLI; `fileSizeKiB` caps the files it may write (the shell's ulimit -f), so a write fails with EFBIG. */
function runCli(args: string[], options: { env?: Record<string, string>; workspace?: string; fileSizeKiB?: number } = {}): Promise<CliRun> {
  const workspace = options.workspace ?? makeWorkspace()
  const limited = options.fileSizeKiB === undefined ? [] : ['/bin/sh', '-c', `ulimit -f ${options.fileSizeKiB} && exec "$0" "$@"`]
  const [command, ...rest] = [...limited, process.execPath, CLI, ...args]
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, {
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

/**
 * The command line a resume hint asks for, followed literally: every flag it says to leave out taken
 * out (with its value), then the flags it says to add, as printed.
 */
function followHint(argv: readonly string[], hint: string): string[] {
  const match = /run the same command again(?: with (.+?) added)?(?:, leaving out (.+?))?\.$/.exec(hint)
  assert.ok(match, `a hint to follow: ${hint}`)
  const [, add = '', leave = ''] = match
  const out = leave
    .split(/, | and /)
    .filter(Boolean)
    .map((item) => item.replace(/^every /, ''))
  const kept: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].split('=')[0]
    if (!out.includes(flag)) kept.push(argv[i])
    else if (!argv[i].includes('=') && takesValue(flag.slice(2))) i++
  }
  return [...kept, ...add.split(' ').filter(Boolean)]
}

let sim: Simulator
before(async () => {
  sim = await startSimulator({ renderMs: 300, apps: { [APP.AISTUDIOS_APP_ID]: APP.AISTUDIOS_USER_KEY } })
})
after(() => sim.close())

describe('aistudios-video', () => {
  it('saves a draft with --draft: nothing rendered or paid, the draft named', async () => {
    const exports = sim.exports.length
    const drafts = sim.drafts.length
    const run = await runCli(['--api-url', sim.apiUrl, '--project-id', SAMPLE_PROJECT_ID, '--script', 'Hello.', '--draft'])
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(sim.exports.length, exports, 'nothing exported')
    assert.equal(sim.drafts.length, drafts + 1, 'one draft saved')
    assert.match(run.stdout + run.stderr, new RegExp(sim.drafts[drafts].key))
  })

  it('merges --var over --variables and --tag over --tags, whichever comes first; a pair is data, never YAML', async () => {
    const news = fs.readFileSync(fileURLToPath(new URL('../examples/video/news.json', import.meta.url)), 'utf8')
    const workspace = makeWorkspace({ 'news.json': news, 'qa.json': JSON.stringify(DIALOGUE_PROJECT) })
    type Clip = { id?: string; tag?: string; text?: string }
    type Body = { name: string; scenes: Array<{ clips: Clip[] }> }
    const dry = async (...args: string[]): Promise<Body> => {
      const run = await runCli(['--api-url', sim.apiUrl, ...args, '--dry-run'], { workspace })
      assert.equal(run.code, 0, run.stdout + run.stderr)
      return JSON.parse(fs.readFileSync(path.join(workspace, 'videos/aistudios-request.json'), 'utf8')) as Body
    }
    const title = (body: Body): string | undefined => body.scenes[0].clips.find((c) => c.id === 'title')?.text
    const first = await dry('--template', 'news.json', '--var', 'PRODUCT=new', '--variables', 'PRODUCT: old\nVERSION: 2.0')
    assert.equal(first.name, 'News for new', '--var wins, though --variables came after it')
    assert.equal(title(first), 'new 2.0', "--variables' other values stay, as written")
    const flow = await dry('--template', 'news.json', '--variables', '{VERSION: "2.0"}', '--var', 'PRODUCT=x')
    assert.equal(title(flow), 'x 2.0', 'a flow mapping in --variables merges too')
    const marked = await dry('--template', 'news.json', '--var', '##PRODUCT##=y', '--var', 'VERSION=3', '--var', 'VERSION=4')
    assert.equal(title(marked), 'y 4', "'##NAME##=' names NAME, never a YAML comment; the last repeat wins")
    const tagged = await dry('--template', 'qa.json', '--tag', 'title=X', '--tags', 'subtitle: y')
    const clips = tagged.scenes.flatMap((scene) => scene.clips)
    assert.ok(clips.some((c) => c.tag === 'title') && clips.filter((c) => c.tag === 'title').every((c) => c.text === 'X'))
    assert.ok(clips.some((c) => c.tag === 'subtitle') && clips.filter((c) => c.tag === 'subtitle').every((c) => c.text === 'y'))
  })

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
    assert.match(run.stdout, /✔ dry run: the request is in videos[/\\]aistudios-request\.json/)
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
    assert.match(run.stdout, /✔ saved out[/\\]ai-studios-video\.mp4/)
    assert.deepEqual(fs.readFileSync(path.join(run.workspace, 'out/ai-studios-video.mp4')), SAMPLE_VIDEO)
  })

  /** The CLI's documented exit statuses (README, --help), one case each; every error is printed once. */
  const failures: Array<{
    name: string
    args: () => string[]
    env?: Record<string, string>
    files?: Record<string, string>
    fileSizeKiB?: number
    code: number
    message: RegExp
  }> = [
    {
      name: 'a file that cannot be written (a folder stands at the request file)',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--output-dir', 'out', '--dry-run'],
      files: { 'out/aistudios-request.json/keep': '' },
      code: 1,
      message:
        /^error: Could not write the request \S*out[/\\]aistudios-request\.json: a folder stands at its name \(EISDIR\); nothing of it was kept$/m
    },
    {
      name: 'a file that cannot be written (the request, over a file-size limit)',
      args: () => ['--api-url', sim.apiUrl, '--template', 'qa.json', '--dry-run'],
      files: { 'qa.json': JSON.stringify(DIALOGUE_PROJECT) },
      fileSizeKiB: 1,
      code: 1,
      message:
        /^error: Could not write the request \S*videos[/\\]aistudios-request\.json: it would be larger than this process may write .*\(EFBIG\)/m
    },
    {
      name: 'a file that cannot be written (the video, over a file-size limit), its key printed',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID],
      fileSizeKiB: 16,
      code: 1,
      message:
        /^error: Could not write the video \S*videos[/\\]ai-studios-video\.mp4: it would be larger .*\(EFBIG\); nothing of it was kept\nerror: Export \w+ finished rendering/m
    },
    {
      name: 'an output folder whose parent is a file, before anything is sent',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--output-dir', 'notes.txt/videos'],
      files: { 'notes.txt': 'a file' },
      code: 2,
      message: /^error: --output-dir: 'notes\.txt\/videos': a file stands where a folder of it must be; nothing was exported$/m
    },
    {
      name: 'bad input',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--resolution', '999'],
      code: 2,
      message: /^error: --resolution: '999' is not one of/m
    },
    {
      name: '--max-videos over, refused before paying, named as the flag',
      args: () => ['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--max-videos', '1'],
      files: { 'm.yml': `- name: a\n  project-id: ${DIALOGUE_PROJECT_ID}\n- name: b\n  project-id: ${DIALOGUE_PROJECT_ID}\n` },
      code: 2,
      message:
        /^error: --max-videos: this run would send 2 exports, more than the 1 it may \(resumed videos do not count\); nothing was exported\. Raise --max-videos, or render fewer videos \(--manifest-entry\)$/m
    },
    {
      name: 'a credential as a flag',
      args: () => ['--user-key', 'x'],
      code: 2,
      message: /^error: --user-key: credentials are read from AISTUDIOS_USER_KEY, never from the command line/m
    },
    {
      name: 'a path outside the current folder',
      args: () => ['--api-url', sim.apiUrl, '--template', '../promo.json'],
      code: 2,
      message: /^error: --template: '\.\.\/promo\.json' is outside the current folder \(/m
    },
    {
      name: 'no credentials in the environment',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID],
      env: { AISTUDIOS_APP_ID: '', AISTUDIOS_USER_KEY: '' },
      code: 2,
      message: /^error: no credentials: set AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY \(or AISTUDIOS_API_KEY\) in the environment/m
    },
    {
      name: 'refused credentials',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID],
      env: { AISTUDIOS_USER_KEY: 'wrong' },
      code: 3,
      message: /^error: .*The AI Studios API rejected the credentials/m
    },
    {
      name: 'refused credentials in a dry run (a template: the credential check is the only request)',
      args: () => ['--api-url', sim.apiUrl, '--template', 'qa.json', '--dry-run'],
      files: { 'qa.json': JSON.stringify(DIALOGUE_PROJECT) },
      env: { AISTUDIOS_APP_ID: '', AISTUDIOS_USER_KEY: '', AISTUDIOS_API_KEY: 'not-the-key' },
      code: 3,
      message:
        /^error: The AI Studios API rejected the credentials \(.*\)\. If AISTUDIOS_API_KEY holds .*Give AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY \(environment variables\) instead; the CLI exchanges/m
    },
    {
      name: 'an API it cannot reach, named as the flag it came from',
      args: () => ['--api-url', 'http://127.0.0.1:9', '--project-id', DIALOGUE_PROJECT_ID],
      code: 7,
      message:
        /^error: .*Exchanging AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY for a token failed: could not reach the AI Studios API at 127\.0\.0\.1:9 \(from --api-url\).*Check --api-url and/m
    },
    {
      name: 'app credentials for the legacy API, named as the variables they came from',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--api-generation', 'legacy'],
      code: 2,
      message:
        /^error: AISTUDIOS_API_KEY: the legacy API takes its secret key in AISTUDIOS_API_KEY, .*AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY buy v3 tokens.*Set AISTUDIOS_API_KEY to/m
    },
    {
      name: 'a render that times out, with its key in flag syntax',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--timeout', '0.1'],
      code: 4,
      message: /^error: Timed out after .*\nerror: Export (\w+) was accepted .* run the same command again with --resume \1 added\.$/m
    }
  ]
  for (const failure of failures) {
    it(`exits ${failure.code} on ${failure.name}`, async () => {
      const slow = failure.code === 4
      if (slow) sim.options.renderMs = 60_000
      try {
        const exports = sim.exports.length
        const run = await runCli(failure.args(), { env: failure.env, workspace: makeWorkspace(failure.files), fileSizeKiB: failure.fileSizeKiB })
        assert.equal(run.code, failure.code, run.stdout + run.stderr)
        assert.match(run.stderr, failure.message)
        const lines = run.stderr.split('\n').filter((line) => line.startsWith('error: '))
        assert.equal(new Set(lines).size, lines.length, `no error line printed twice:\n${run.stderr}`)
        if (failure.code === 2) assert.equal(sim.exports.length, exports, 'bad input: nothing exported')
        // Nothing half-written is left: no staging folder, no partial video.
        const left = fs.readdirSync(run.workspace, { recursive: true, encoding: 'utf8' }).filter((file) => /(^|[/\\])\.aistudios-|\.part$/.test(file))
        assert.deepEqual(left, [], 'nothing left behind')
        // A terminal user sets flags and environment variables: no workflow's inputs, secrets or runner.
        assert.doesNotMatch(run.stdout + run.stderr, /repository secret|the runner|re-run this step|'(wait|resume|tags|max-videos)(: [^']*)?'/)
      } finally {
        sim.options.renderMs = 300
      }
    })
  }

  it('says in a dry run how many exports a run would send, and that --max-videos would refuse it', async () => {
    const workspace = makeWorkspace({ 'm.yml': `- name: a\n  project-id: ${DIALOGUE_PROJECT_ID}\n- name: b\n  project-id: ${DIALOGUE_PROJECT_ID}\n` })
    const exports = sim.exports.length
    const run = await runCli(['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--max-videos', '1', '--dry-run'], { workspace })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /^Dry run: A run would send 2 export\(s\) \(--max-videos 1\); resumed videos do not count$/m)
    assert.match(run.stderr, /^warning: Dry run: --max-videos would refuse this run$/m)
    assert.equal(sim.exports.length, exports)
  })

  it('saves the video beside a folder that stands at its name, saying so', async () => {
    const run = await runCli(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID], {
      workspace: makeWorkspace({ 'videos/ai-studios-video.mp4/keep': '' })
    })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(run.stderr, /^warning: ai-studios-video\.mp4 already exists in .*; saving as ai-studios-video-2\.mp4$/m)
    assert.deepEqual(fs.readFileSync(path.join(run.workspace, 'videos/ai-studios-video-2.mp4')), SAMPLE_VIDEO)
  })

  it('exits 6 when the API does not answer within --request-timeout, named as the flag', async () => {
    // A host that takes the connection and never answers.
    const sockets: net.Socket[] = []
    const silent = net.createServer((socket) => void sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as net.AddressInfo
      const run = await runCli([
        '--api-url',
        `http://127.0.0.1:${port}`,
        '--project-id',
        DIALOGUE_PROJECT_ID,
        '--request-timeout',
        '1',
        '--timeout',
        '0.1'
      ])
      assert.equal(run.code, 6, run.stdout + run.stderr)
      assert.match(run.stderr, /^error: .*the AI Studios API at 127\.0\.0\.1:\d+ \(from --api-url\) did not answer/m)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it("prints an API message's words, never its escape sequences or control characters", async () => {
    sim.options.faults.push({ route: 'project', kind: 'envelope', code: 4004, msg: 'Gone\u001b[31m\u001b]0;pwned\u0007 away\r\u0000' })
    try {
      const run = await runCli(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID])
      assert.notEqual(run.code, 0)
      assert.match(run.stderr, /Gone away/)
      // eslint-disable-next-line no-control-regex -- control characters are what must not reach the terminal
      assert.doesNotMatch(run.stdout + run.stderr, /[\u001b\u0007\r\u0000]/)
    } finally {
      sim.options.faults.length = 0
    }
  })

  it('exits 5 when the download fails, the key printed, the render told as finished', async () => {
    sim.options.faults.push({ route: 'cdn', kind: 'status', status: 404, times: 10 })
    try {
      const run = await runCli(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID])
      assert.equal(run.code, 5, run.stdout + run.stderr)
      assert.equal(run.stderr.match(/Download failed: the video URL answered HTTP 404/g)?.length, 1, run.stderr)
      const key = sim.exports.at(-1)?.key
      assert.match(
        run.stderr,
        new RegExp(
          `^error: Export ${key} finished rendering \\(its credits are spent\\), but its video was not saved\\. ` +
            `To download it without exporting again, run the same command again with --resume ${key} added\\.$`,
          'm'
        )
      )
      assert.doesNotMatch(run.stdout + run.stderr, /may still be rendering/)
    } finally {
      sim.options.faults.length = 0
    }
  })

  it("tells how to resume a manifest's video in flag syntax: --manifest-entry NAME --resume KEY", async () => {
    const workspace = makeWorkspace({ 'm.yml': `- name: intro\n  project-id: ${DIALOGUE_PROJECT_ID}\n` })
    const exports = sim.exports.length
    const run = await runCli(['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--no-wait'], { workspace })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(sim.exports.length, exports + 1)
    const key = sim.exports.at(-1)?.key
    assert.ok(key)
    assert.match(
      run.stdout,
      new RegExp(
        `^⏳ intro: Export ${key} was accepted .* run the same command again with --manifest-entry intro --resume ${key} added, leaving out --no-wait\\.$`,
        'm'
      )
    )
    assert.doesNotMatch(run.stdout + run.stderr, /re-run this step|resume: |withs/)
  })

  describe('every resume hint, followed literally, downloads the export without exporting again', () => {
    /** Runs `argv`, takes the hint it prints for its export, runs what the hint says, and checks the video is saved. */
    async function followed(argv: string[], code: number, files: Record<string, string> = {}, between: () => void = () => {}): Promise<void> {
      const workspace = makeWorkspace(files)
      const first = await runCli(argv, { workspace })
      assert.equal(first.code, code, first.stdout + first.stderr)
      const key = sim.exports.at(-1)?.key
      const hint = (first.stdout + first.stderr).split('\n').find((line) => line.includes(`Export ${key} `))
      assert.ok(hint, first.stdout + first.stderr)
      between()
      const exports = sim.exports.length
      const again = await runCli(followHint(argv, hint), { workspace })
      assert.equal(again.code, 0, `${hint}\n${again.stdout}${again.stderr}`)
      assert.match(again.stdout, /✔ (\w+: )?saved videos[/\\]/)
      assert.equal(sim.exports.length, exports, 'nothing exported again')
    }

    it('after --no-wait, with flags a resumed run refuses (--tag twice, --resolution, --webhook-url)', () =>
      followed(
        [
          '--api-url',
          sim.apiUrl,
          '--project-id',
          DIALOGUE_PROJECT_ID,
          '--tag',
          'title=Hi',
          '--tag=subtitle=there',
          '--resolution',
          '720',
          '--webhook-url',
          'https://hooks.example.com/done',
          '--no-wait'
        ],
        0
      ))

    it("after --no-wait, a manifest's video, its entry already named", () =>
      followed(['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--manifest-entry', 'intro', '--no-wait'], 0, {
        'm.yml': `- name: intro\n  project-id: ${DIALOGUE_PROJECT_ID}\n- name: outro\n  project-id: ${DIALOGUE_PROJECT_ID}\n`
      }))

    it("after --no-wait, one of a manifest's videos, no entry named", () =>
      followed(['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--no-wait', '--max-parallel', '1'], 0, {
        'm.yml': `- name: intro\n  project-id: ${DIALOGUE_PROJECT_ID}\n- name: outro\n  project-id: ${DIALOGUE_PROJECT_ID}\n`
      }))

    it('after a render that timed out (exit 4)', async () => {
      sim.options.renderMs = 60_000
      try {
        await followed(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--timeout', '0.1'], 4, {}, () => (sim.options.renderMs = 300))
      } finally {
        sim.options.renderMs = 300
      }
    })

    it('after a download that failed (exit 5)', async () => {
      sim.options.faults.push({ route: 'cdn', kind: 'status', status: 404, times: 10 })
      try {
        await followed(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID], 5, {}, () => (sim.options.faults.length = 0))
      } finally {
        sim.options.faults.length = 0
      }
    })
  })

  it('prints its version and a grouped help, one described line per flag', async () => {
    const pkg = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }
    const version = await runCli(['--version'])
    assert.equal(version.code, 0)
    assert.equal(version.stdout, `aistudios-video ${pkg.version}\n`)
    const help = await runCli(['--help'])
    assert.equal(help.code, 0)
    for (const flag of [...CLI_INPUTS, 'var', 'tag', 'help', 'version']) {
      const lines = help.stdout.split('\n').filter((line) => new RegExp(`^  --${flag}\\b(?!-)`).test(line))
      assert.equal(lines.length, 1, `--${flag} has one line`)
      assert.match(lines[0], new RegExp(`^  --${flag}( [A-Z=]+)? {2,}\\S.{10,}$`), `--${flag} is described`)
    }
    assert.ok((help.stdout.match(/^\S.*:$/gm) ?? []).length >= 5, 'the flags are grouped under headings')
    assert.ok(
      help.stdout.split('\n').every((line) => line.length <= 120),
      'no line wider than a terminal'
    )
  })

  it('renders a manifest', async () => {
    const workspace = makeWorkspace({ 'm.yml': `- name: a\n  project-id: ${DIALOGUE_PROJECT_ID}\n- name: b\n  project-id: ${DIALOGUE_PROJECT_ID}\n` })
    const run = await runCli(['--api-url', sim.apiUrl, '--manifest', 'm.yml'], {
      workspace,
      env: { AISTUDIOS_APP_ID: '', AISTUDIOS_USER_KEY: '', AISTUDIOS_API_KEY: sim.mintToken() }
    })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.match(run.stdout, /✔ a: saved videos[/\\]a\.mp4/)
    assert.match(run.stdout, /✔ b: saved videos[/\\]b\.mp4/)
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

describe('aistudios-video never guesses (exit 2, nothing sent)', () => {
  const SECRET = 'sk-live-5f0c9e'
  const mistakes: Array<{ name: string; args: () => string[]; message: RegExp }> = [
    {
      name: 'a flag one edit away',
      args: () => ['--templat', 'x.json'],
      message: /^error: --templat is not a flag of aistudios-video; did you mean --template\?/m
    },
    {
      name: 'a flag two edits away',
      args: () => ['--projectid', 'p', '--dry-run'],
      message: /^error: --projectid is not a flag .*did you mean --project-id\?/m
    },
    {
      name: 'an empty value before another flag (--name "$TITLE" with TITLE empty)',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--name', '--dry-run'],
      message: /^error: --name needs a value, but the flag --dry-run follows it \(a value that starts with -- is written --name=--…\)/m
    },
    {
      name: 'an empty value (--resume "$KEY" with KEY unset): nothing exported',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--resume', ''],
      message: /^error: --resume is given an empty value: give it one/m
    },
    {
      name: 'an empty inline value (--manifest-entry=): not every video',
      args: () => ['--api-url', sim.apiUrl, '--manifest', 'm.yml', '--manifest-entry='],
      message: /^error: --manifest-entry is given an empty value: give it one/m
    },
    {
      name: 'a flag a resumed run refuses, named as it was typed (--tags, not --tag)',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--resume', 'k1', '--tags', 'title: x'],
      message: /^error: --tags: --resume downloads an export already made, so --tags would change nothing: .*; drop it$/m
    },
    {
      name: '--no-wait with --resume, named as typed (no --wait the user never wrote)',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--resume', 'k1', '--no-wait'],
      message: /^error: --no-wait: --no-wait with --resume would neither export nor download; drop one of them$/m
    },
    { name: 'a missing value at the end', args: () => ['--api-url', sim.apiUrl, '--project-id'], message: /^error: --project-id needs a value/m },
    {
      name: 'a flag given twice',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--project-id', 'proj-weekly-update'],
      message: /^error: --project-id is given twice: give it once/m
    },
    {
      name: 'a value after a switch',
      args: () => ['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--wait', 'false'],
      message: /^error: --wait is a switch and takes no value \(--no-wait turns it off\)/m
    },
    {
      name: 'a mistyped credential flag with its secret',
      args: () => [`--API-KEY=${SECRET}`],
      message: /^error: --API-KEY: credentials are read from AISTUDIOS_API_KEY/m
    },
    {
      name: 'a near-miss credential flag',
      args: () => ['--user-kye', SECRET],
      message: /^error: --user-kye: credentials are read from AISTUDIOS_USER_KEY/m
    }
  ]
  for (const mistake of mistakes) {
    it(mistake.name, async () => {
      const requests = sim.requests.length
      const run = await runCli(mistake.args())
      assert.equal(run.code, 2, run.stdout + run.stderr)
      assert.match(run.stderr, mistake.message)
      assert.equal(run.stderr.split('\n').filter(Boolean).length, 1, 'one line')
      assert.equal(sim.requests.length, requests, 'nothing was sent')
      assert.ok(!(run.stdout + run.stderr).includes(SECRET), 'a refused flag is named without its value')
    })
  }

  for (const [what, args, files, message] of [
    [
      "an output name with a trailing dot ('trail.')",
      ['--output-name', 'trail.'],
      {},
      /^error: --output-name: 'trail\.' ends with a dot or a space/m
    ],
    [
      "an output name with a trailing space ('trail ')",
      ['--output-name', 'trail '],
      {},
      /^error: --output-name: 'trail ' ends with a dot or a space/m
    ],
    ['an output name that is a device (AUX.mp4)', ['--output-name', 'AUX.mp4'], {}, /^error: --output-name: 'AUX\.mp4' is a device name on Windows/m],
    [
      'a manifest nested 100,000 deep',
      ['--manifest', 'deep.yml'],
      { 'deep.yml': `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
      /^error: --manifest: deep\.yml:1:65: nested 100000 levels deep, more than the 64 a YAML input may have$/m
    ]
  ] as const) {
    it(`refuses ${what} by name, as the action does, sending nothing`, async () => {
      const requests = sim.requests.length
      const source = args[0] === '--manifest' ? [] : ['--project-id', DIALOGUE_PROJECT_ID]
      const run = await runCli(['--api-url', sim.apiUrl, ...source, ...args], { workspace: makeWorkspace(files) })
      assert.equal(run.code, 2, run.stdout + run.stderr)
      assert.match(run.stderr, message)
      assert.doesNotMatch(run.stderr, /call stack/)
      assert.equal(sim.requests.length, requests, 'nothing was sent')
    })
  }

  it('takes a value that starts with -- when written --name=--x', async () => {
    const run = await runCli(['--api-url', sim.apiUrl, '--project-id', DIALOGUE_PROJECT_ID, '--name=--x', '--dry-run'])
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(JSON.parse(fs.readFileSync(path.join(run.workspace, 'videos/aistudios-request.json'), 'utf8')).name, '--x')
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

  it('repeats only list flags; switches stand alone or are turned off with --no-', () => {
    assert.deepEqual(
      [...parseArgs(['--no-wait', '--fail-fast', '--tag', 'a=1', '--tag', 'b=2']).inputs],
      [
        ['wait', 'false'],
        ['fail-fast', 'true'],
        ['tags', '{"a":"1","b":"2"}']
      ]
    )
    assert.throws(() => parseArgs(['--wait', '--no-wait']), /--wait is given twice/)
    assert.throws(() => parseArgs(['--dry-run=yes']), /--dry-run is a switch and takes no value/)
    assert.throws(() => parseArgs(['--var', 'A']), /--var takes NAME=VALUE/)
    assert.throws(() => parseArgs(['promo.json']), /'promo\.json' is not a flag/)
    assert.equal(parseArgs(['-h']).help, true)
  })

  it('takes only inputs the action declares; every other one is a credential or only a workflow’s', () => {
    const action = parse(fs.readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8')) as { inputs: Record<string, unknown> }
    for (const input of CLI_INPUTS) assert.ok(input in action.inputs, input)
    assert.deepEqual(
      [...CLI_INPUTS, ...WORKFLOW_INPUTS, 'app-id', 'user-key', 'api-key'].sort(),
      Object.keys(action.inputs).sort(),
      'each input is a flag, an environment variable or a workflow’s alone (wording.ts)'
    )
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
