/**
 * The README's examples run as written. Each YAML block that uses this action runs through the
 * workflow runner (test/helpers/run-workflow.ts: GitHub's expression evaluator, each job's token holding
 * the permissions the example grants) and the harness (every action.yml default applied), with its
 * `with:` as written and its expressions filled from a small context: secrets → the simulator's
 * credentials, vars → the README's project ID, github.* → the trigger's event. The files they use are
 * kept in examples/, the repository a checkout gives, and a block marked `<!-- example-file: PATH -->`
 * is byte for byte examples/PATH. The one deviation: the API host, which cannot be reached from here,
 * is the simulator (`api-url`, unless the example gives one).
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { makeWorkspace } from './helpers/run-action.ts'
import { jobGrant } from './helpers/permissions.ts'
import { runJobs } from './helpers/run-workflow.ts'
import { DIALOGUE_PROJECT, SAMPLE_VIDEO, TEST_API_KEY, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

/** The repository's example files (examples/), as a checkout lays them. */
const EXAMPLES = fileURLToPath(new URL('../examples', import.meta.url))
/** This action in a step: its published name at any ref, or the repository itself. */
const isThisAction = (uses: string | undefined): boolean => uses !== undefined && (uses === './' || /\/aistudios-video-action@/.test(uses))

const README = fs.readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')

interface Block {
  line: number
  lang: string
  text: string
  /** The examples/ file the block shows, from the marker just above it. */
  file?: string
}
const blocks: Block[] = [...README.matchAll(/(?:<!-- example-file: (\S+) -->\n)?```(\w*)\n([\s\S]*?)```/g)].map((match) => ({
  line: README.slice(0, match.index).split('\n').length + (match[1] ? 2 : 1),
  lang: match[2],
  text: match[3],
  file: match[1]
}))

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
/** The package's own command, as the README's terminal examples call it. */
const NPX_CLI = 'npx --yes github:your-org/aistudios-video-action'

/** A shell line's words, quotes removed (the README's commands use no other shell syntax). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((match) => match[0].replace(/"([^"]*)"|'([^']*)'/g, '$1$2'))
}

/** The saved project the README's examples name (`abcdefg`): a two-avatar project with tagged clips. */
const README_PROJECT = 'abcdefg'
const APP = { id: 'readme-app', userKey: 'readme-user-key' }
const BEFORE_SHA = 'a'.repeat(40)
const AFTER_SHA = 'b'.repeat(40)
const HEAD_SHA = 'c'.repeat(40)
/** A tag as monorepos write them: a '/' no file name can hold. */
const TAG = 'web/v2.0'
/** What the push and the pull request of the examples change: one speech file of the manifest. */
const CHANGED = ['video/speech/weekly.txt']

type Step = { uses?: string; with?: Record<string, unknown> }
type Parsed = { on?: unknown; jobs?: Record<string, { uses?: string; steps?: Step[] }> }

/** The event a workflow's first trigger sends. */
function triggerOf(workflow: Parsed): string {
  const on = workflow.on
  if (typeof on === 'string') return on
  if (Array.isArray(on)) return String(on[0])
  return on && typeof on === 'object' ? Object.keys(on)[0] : 'workflow_dispatch'
}

/** A block as a workflow to run: itself, its steps in a job (after a checkout), or its inputs in a step on the README's project. */
function asWorkflow(text: string): string | undefined {
  let value: unknown
  try {
    value = parse(text)
  } catch {
    return undefined
  }
  if (value && typeof value === 'object' && 'jobs' in value) return text
  const job = 'jobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n'
  const indent = (source: string, by: number): string => source.replace(/^(?=.)/gm, ' '.repeat(by))
  if (Array.isArray(value) && value.every((step) => step && typeof step === 'object' && ('uses' in step || 'run' in step))) {
    // A snippet of steps stands in a job that has checked out the repository (the README's templates are its files).
    const steps = value as Step[]
    const checkout = steps.some((step) => step.uses?.startsWith('actions/checkout@')) ? '' : '      - uses: actions/checkout@v5\n'
    return job + checkout + indent(text, 6)
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !('videos' in value) && !('name' in value)) {
    // Inputs alone: a step of this action on the README's saved project, with the quick start's credentials.
    const credentials = `app-id: \${{ secrets.AISTUDIOS_APP_ID }}\nuser-key: \${{ secrets.AISTUDIOS_USER_KEY }}\nproject-id: ${README_PROJECT}\n`
    return `${job}      - uses: actions/checkout@v5\n      - uses: your-org/aistudios-video-action@v1\n        with:\n${indent(credentials + text, 10)}`
  }
  return undefined
}

/** The blocks that run this action, with the workflow each runs as. */
const runnable = blocks
  .filter((block) => block.lang === 'yaml')
  .map((block) => ({ block, workflow: asWorkflow(block.text) }))
  .filter((entry): entry is { block: Block; workflow: string } => {
    if (entry.workflow === undefined) return false
    const jobs = Object.values((parse(entry.workflow) as Parsed).jobs ?? {})
    return jobs.some((job) => job.steps?.some((step) => isThisAction(step.uses)))
  })

describe("the README's example files", () => {
  const marked = blocks.filter((block) => block.file)
  it('marks the files it shows', () => assert.ok(marked.length >= 3))
  for (const block of marked) {
    it(`line ${block.line}: is examples/${block.file} byte for byte`, () => {
      assert.equal(block.text, fs.readFileSync(path.join(EXAMPLES, block.file ?? ''), 'utf8'))
    })
  }
})

describe("the README's examples run as written", () => {
  let sim: Simulator
  let artifacts: ArtifactService
  let github: GitHubApi
  before(async () => {
    sim = await startSimulator({ renderMs: 300, apps: { [APP.id]: APP.userKey }, projects: { [README_PROJECT]: DIALOGUE_PROJECT } })
    artifacts = await startArtifactService()
    github = await startGitHubApi(artifacts)
    github.changes.set(`${BEFORE_SHA}...${AFTER_SHA}`, CHANGED)
    github.changes.set(`${BEFORE_SHA}...${HEAD_SHA}`, CHANGED)
    github.changes.set('pr:43', CHANGED)
  })
  after(async () => {
    await sim.close()
    await github.close()
    await artifacts.close()
  })

  const secrets = { AISTUDIOS_APP_ID: APP.id, AISTUDIOS_USER_KEY: APP.userKey, AISTUDIOS_LEGACY_KEY: TEST_API_KEY }
  const payloads: Record<string, Record<string, unknown>> = {
    push: { ref: 'refs/heads/main', before: BEFORE_SHA, after: AFTER_SHA },
    pull_request: { number: 43, pull_request: { number: 43, base: { sha: BEFORE_SHA }, head: { sha: HEAD_SHA } } },
    release: { action: 'published', release: { tag_name: TAG } },
    schedule: {},
    workflow_dispatch: { inputs: {} }
  }

  it('has examples to run', () => assert.ok(runnable.length >= 8, `${runnable.length} runnable blocks`))

  let run = 0
  for (const { block, workflow } of runnable) {
    const trigger = triggerOf(parse(workflow) as Parsed)
    it(`line ${block.line}: runs on ${trigger}, every step of the action green, each video exported once`, async () => {
      run++
      assert.ok(trigger in payloads, `a payload for ${trigger}`)
      if (trigger === 'release') github.releases.push({ id: 900 + run, tag: TAG, assets: [] })
      const exportsBefore = sim.exports.length
      const refusedBefore = github.refused.length
      const flow = parse(workflow) as Parameters<typeof runJobs>[0] & { permissions?: unknown }
      const jobs = await runJobs(flow, {
        github: { event_name: trigger, event: payloads[trigger], repository: 'octo-org/videos', run_number: 7, ref_name: 'main' },
        inputs: {},
        secrets,
        vars: { AISTUDIOS_PROJECT_ID: README_PROJECT },
        event: { name: trigger, payload: payloads[trigger] },
        githubApiUrl: github.url,
        checkout: EXAMPLES,
        // Each job's token holds the permissions the example gives it (the restricted default where it gives none).
        tokenFor: (job) => github.jobToken(jobGrant(flow, job)),
        env: (job) => ({
          ...artifacts.envForRun(5000 + run, `readme-${job}`),
          GITHUB_REF: 'refs/heads/main',
          GITHUB_WORKFLOW_REF: `octo-org/videos/.github/workflows/readme-${block.line}.yml@refs/heads/main`
        }),
        extraInputs: (written): Record<string, string> => (written['api-url'] ? {} : { 'api-url': sim.apiUrl }),
        skipShell: true
      })
      const result = { steps: Object.values(jobs).flatMap((job) => job.runs.map((action) => ({ run: action }))) }
      assert.deepEqual(github.refused.slice(refusedBefore), [], 'no call refused for want of a permission')
      assert.ok(result.steps.length > 0, 'the action ran')
      for (const step of result.steps) assert.equal(step.run.code, 0, `${step.run.stdout}\n${step.run.stderr}`)
      // Each export the simulator saw is one a step reported, and no step reported a key twice as new.
      const exported = sim.exports.slice(exportsBefore).map((record) => record.key)
      assert.equal(new Set(exported).size, exported.length)
      const reported = result.steps.flatMap((step) =>
        (JSON.parse(step.run.outputs.videos ?? '[]') as Array<{ 'export-key'?: string; status: string }>).map((video) => video['export-key'])
      )
      for (const key of exported) assert.ok(reported.includes(key), `export ${key} is reported`)
      // Each video saved is the video the simulator's CDN served, byte for byte.
      for (const step of result.steps) {
        for (const video of JSON.parse(step.run.outputs.videos ?? '[]') as Array<{ name: string; status: string; path?: string }>) {
          assert.ok(['downloaded', 'started', 'draft', 'skipped', 'dry-run'].includes(video.status), `${video.name}: ${video.status}`)
          if (video.status === 'downloaded') assert.ok(fs.readFileSync(video.path ?? '').equals(SAMPLE_VIDEO), `${video.name} is the served video`)
        }
      }
      // only-changed renders what the event changed: the one video whose speech file the push or pull request changed.
      if (/only-changed: true/.test(workflow) && !/plan: true/.test(workflow)) assert.equal(exported.length, 1, 'only the changed video')
      if (trigger === 'release') {
        const release = github.releases.find((r) => r.id === 900 + run)
        assert.equal(release?.assets.length, 1, 'the video is attached to the release')
      }
    })
  }
})

describe("the README's terminal examples run as written", () => {
  const commands = blocks
    .filter((block) => block.lang === 'sh' && block.text.includes(NPX_CLI))
    .map((block) => ({
      block,
      line:
        block.text
          .replace(/\\\n\s*/g, ' ')
          .split('\n')
          .find((text) => text.startsWith(NPX_CLI)) ?? ''
    }))
  it('has a command of the CLI to run', () => assert.ok(commands.length >= 1))
  for (const { block, line } of commands) {
    it(`line ${block.line}: the CLI exits 0 in a checkout of the examples, the credentials from the environment`, async () => {
      const sim = await startSimulator({ apps: { [APP.id]: APP.userKey } })
      try {
        const workspace = makeWorkspace()
        fs.cpSync(EXAMPLES, workspace, { recursive: true })
        // The one deviation, as for the workflows: the API host is the simulator.
        const args = [...shellWords(line.slice(NPX_CLI.length)), '--api-url', sim.apiUrl]
        const env = { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1', AISTUDIOS_APP_ID: APP.id, AISTUDIOS_USER_KEY: APP.userKey }
        const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
          execFile(process.execPath, [CLI, ...args], { cwd: workspace, env, timeout: 60_000 }, (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr })
          )
        })
        assert.equal(code, 0, output)
        assert.ok(block.text.includes('export AISTUDIOS_APP_ID='), 'the example sets the credentials it relies on')
        if (args.includes('--dry-run')) assert.equal(sim.exports.length, 0, 'a dry run exports nothing')
      } finally {
        await sim.close()
      }
    })
  }
})
