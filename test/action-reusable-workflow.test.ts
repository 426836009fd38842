/**
 * The reusable workflow .github/workflows/render-videos.yml as GitHub runs it for the README's caller
 * (section "A large batch fanned out over jobs"): that example's `with:`, `secrets:` and permissions as
 * written, plus `api-url` naming the simulator (the one deviation: the real API host cannot be reached
 * here). plan → each render job → collect through dist/index.js against the simulator and the GitHub
 * and artifact-service stand-ins, the jobs' `if:` evaluated as GitHub evaluates them, each job with a
 * token of its own permissions, which the GitHub stand-in holds each call to.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { makeWorkspace } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { jobGrant, RESTRICTED_DEFAULT, type Grant } from './helpers/permissions.ts'
import { runWorkflow, type WorkflowRun } from './helpers/run-workflow.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'

const WORKFLOW = fileURLToPath(new URL('../.github/workflows/render-videos.yml', import.meta.url))
const README = fs.readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')

type CallingJob = { uses?: string; permissions?: unknown; with?: Record<string, unknown>; secrets?: Record<string, unknown> }
type CallerWorkflow = { on: Record<string, unknown>; permissions?: unknown; jobs: Record<string, CallingJob> }

/** The README's caller: the workflow that `uses:` the reusable one, and its calling job. */
const caller = (() => {
  const section = README.split('\n### A large batch fanned out over jobs\n')[1]?.split('\n### ')[0] ?? ''
  for (const [, text] of section.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const flow = parse(text) as CallerWorkflow
    const found = Object.entries(flow.jobs ?? {}).find(
      ([, job]) => job.uses === 'your-org/aistudios-video-action/.github/workflows/render-videos.yml@v1'
    )
    if (found) return { flow, name: found[0], job: found[1] }
  }
  throw new Error('the README calls the reusable workflow in "A large batch fanned out over jobs"')
})()

/** The AI Studios credentials the simulator accepts, as the caller's repository secrets hold them. */
const SECRETS = { AISTUDIOS_APP_ID: 'app-reusable', AISTUDIOS_USER_KEY: 'user-key-reusable' }

const world = useStandIns({ renderMs: 300, apps: { [SECRETS.AISTUDIOS_APP_ID]: SECRETS.AISTUDIOS_USER_KEY } })

const MANIFEST = `videos:
${['intro', 'weekly', 'outro'].map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script-file: video/speech/${name}.txt\n`).join('')}`
/** A second pipeline's manifest (the Korean videos): its `intro` shares a name with the English one, and fails. */
const KOREAN = `videos:
  - name: intro
    project-id: no-such-project
  - name: hello
    project-id: ${SAMPLE_PROJECT_ID}
`
const CHECKOUT = {
  'video/manifest.yml': MANIFEST,
  'video/ko.yml': KOREAN,
  'video/speech/intro.txt': 'Hello.',
  'video/speech/weekly.txt': 'This week.',
  'video/speech/outro.txt': 'Bye.'
}

/** The tokens the GitHub stand-in minted for this workflow run's jobs, one a job. */
type Tokens = Set<string>

/**
 * One run of the README's caller on pull request `pull` (its files `changed`), numbered `runId`: the
 * caller's `with:` and what `more` adds, its `secrets:` and its grant unless `granted` is given.
 */
async function callReadme(
  runId: number,
  pull: number,
  changed: string[],
  more: Record<string, unknown> = {},
  granted: Grant = jobGrant(caller.flow, caller.name, RESTRICTED_DEFAULT)
): Promise<{ run: WorkflowRun; tokens: Tokens }> {
  assert.ok('pull_request' in caller.flow.on, 'the README calls it on pull requests')
  world.github.changes.set(`base${pull}...head${pull}`, changed)
  world.github.runs.set(runId, { event: 'pull_request', headBranch: `topic-${pull}`, headRepository: 'octo-org/videos', pullRequests: [pull] })
  const tokens: Tokens = new Set()
  const run = await runWorkflow({
    file: WORKFLOW,
    with: { ...caller.job.with, 'api-url': world.sim.apiUrl, ...more },
    secrets: caller.job.secrets,
    granted,
    callerSecrets: SECRETS,
    event: {
      name: 'pull_request',
      payload: {
        number: pull,
        repository: { default_branch: 'main' },
        pull_request: { number: pull, base: { sha: `base${pull}` }, head: { sha: `head${pull}`, ref: `topic-${pull}` } }
      }
    },
    githubApiUrl: world.github.url,
    checkout: makeWorkspace(CHECKOUT),
    env: (jobRun) => ({ ...world.artifacts.envForRun(runId, jobRun), GITHUB_REF: `refs/pull/${pull}/merge` }),
    tokenFor: (grant) => {
      const token = world.github.jobToken(grant)
      tokens.add(token)
      return token
    }
  })
  return { run, tokens }
}

type Entry = { name: string; status: string; 'export-key': string; 'reused-from-run': number | null }
const videosOf = (run: WorkflowRun): Entry[] => JSON.parse(run.outputs.videos || '[]') as Entry[]
const stdoutOf = (run: WorkflowRun): string =>
  Object.entries(run.jobs)
    .flatMap(([name, job]) => job.runs.map((r) => `--- ${name}\n${r.stdout}`))
    .join('\n')

describe("the reusable workflow, called as the README's caller calls it", () => {
  it("takes api-url with action.yml's default, for every job that checks or calls the API", () => {
    const action = parse(fs.readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    const workflow = parse(fs.readFileSync(WORKFLOW, 'utf8')) as {
      on: { workflow_call: { inputs: Record<string, { type: string; default?: unknown }> } }
      jobs: Record<string, { steps: Array<{ with?: Record<string, unknown> }> }>
    }
    const input = workflow.on.workflow_call.inputs['api-url']
    assert.deepEqual([input?.type, input?.default], ['string', action.inputs['api-url'].default])
    for (const job of ['plan', 'render']) {
      assert.ok(
        workflow.jobs[job].steps.some((step) => step.with?.['api-url'] === '${{ inputs.api-url }}'),
        `${job} passes api-url`
      )
    }
  })

  it('plans, renders the changed videos in one job each, and collects them into one output and one comment', async () => {
    const exports = world.sim.exports.length
    const requests = world.github.requests.length
    const { run, tokens } = await callReadme(7001, 51, ['video/speech/intro.txt', 'video/speech/outro.txt'])
    assert.deepEqual(run.refused, [])
    assert.deepEqual(
      Object.entries(run.jobs).map(([name, job]) => [name, job.result]),
      [
        ['plan', 'success'],
        ['render', 'success'],
        ['collect', 'success']
      ],
      stdoutOf(run)
    )
    assert.deepEqual(
      run.jobs.render.matrix.map((entry) => entry.video),
      ['intro', 'outro'],
      'one render job for each changed video'
    )
    const made = world.sim.exports.slice(exports)
    assert.equal(made.length, 2, 'the simulator exported the two changed videos')
    // The workflow's `videos` output is collect's: every video the simulator exported, by its key.
    assert.deepEqual(
      videosOf(run).map((video) => [video.name, video.status]),
      [
        ['intro', 'downloaded'],
        ['outro', 'downloaded']
      ]
    )
    assert.deepEqual(
      videosOf(run)
        .map((video) => video['export-key'])
        .sort(),
      made.map((e) => e.key).sort()
    )
    const comments = world.github.comments.filter((comment) => comment.issue === 51)
    assert.equal(comments.length, 1, 'one comment for the batch')
    assert.equal(comments[0].author, 'github-actions[bot]')
    for (const { key } of made) assert.ok(comments[0].body.includes(`\`${key}\``), `the comment names ${key}`)
    // Every call to GitHub carried a job's own token (action.yml's `${{ world.github.token }}`), and none was refused.
    const seen = new Set(world.github.requests.slice(requests).map((request) => request.authorization))
    assert.ok(
      seen.size > 0 && [...seen].every((authorization) => [...tokens.values()].some((token) => authorization === `token ${token}`)),
      [...seen].join()
    )
    assert.deepEqual(world.github.refused, [])
  })

  it('skips the render jobs when the pull request changed no video, and collect still runs: 2 jobs, nothing sent, no comment', async () => {
    const exports = world.sim.exports.length
    const { run } = await callReadme(7002, 52, ['video/README.md'])
    assert.deepEqual(run.refused, [])
    assert.deepEqual(
      Object.entries(run.jobs).map(([name, job]) => [name, job.result, job.runs.length]),
      [
        ['plan', 'success', 1],
        ['render', 'skipped', 0],
        ['collect', 'success', 1]
      ],
      stdoutOf(run)
    )
    assert.equal(world.sim.exports.length, exports)
    assert.deepEqual(videosOf(run), [])
    assert.equal(world.github.comments.filter((comment) => comment.issue === 52).length, 0)
    assert.deepEqual(world.github.refused, [])
  })

  it("reuses an earlier run's videos with reuse: true (the render job's actions: read)", async () => {
    const exports = world.sim.exports.length
    const first = await callReadme(7003, 53, ['video/speech/weekly.txt'], { reuse: true })
    assert.deepEqual(first.run.refused, [])
    assert.equal(first.run.jobs.collect.result, 'success', stdoutOf(first.run))
    assert.equal(world.sim.exports.length, exports + 1)
    const second = await callReadme(7004, 53, ['video/speech/weekly.txt'], { reuse: true })
    assert.equal(second.run.jobs.collect.result, 'success', stdoutOf(second.run))
    assert.equal(world.sim.exports.length, exports + 1, 'nothing exported the second time')
    assert.deepEqual(
      videosOf(second.run).map((video) => [video.name, video['export-key'], video['reused-from-run']]),
      [['weekly', world.sim.exports[exports].key, 7003]]
    )
    assert.deepEqual(world.github.refused, [])
  })

  it('is refused before any job starts when the caller grants less than a job asks for, as GitHub refuses it', async () => {
    const requests = world.sim.requests.length
    const { run } = await callReadme(7005, 54, ['video/speech/intro.txt'], {}, { contents: 'read', 'pull-requests': 'write' })
    assert.deepEqual(run.refused, [
      "The nested job 'plan' is requesting 'actions: read', but is only allowed 'actions: none'.",
      "The nested job 'render' is requesting 'actions: read', but is only allowed 'actions: none'."
    ])
    assert.deepEqual(run.jobs, {})
    assert.equal(world.sim.requests.length, requests)
  })

  it('keeps two calls in one run apart: each collect reads only its own plan’s records, and the comment keeps both intros', async () => {
    const runId = 7006
    const changed = ['video/speech/intro.txt', 'video/ko.yml']
    const english = await callReadme(runId, 56, changed)
    const korean = await callReadme(runId, 56, changed, { manifest: 'video/ko.yml' })
    const both = `${stdoutOf(english.run)}\n${stdoutOf(korean.run)}`
    assert.doesNotMatch(both, /result record could not be left/, 'no record collided with the other call’s')
    assert.equal(english.run.jobs.collect.result, 'success', both)
    assert.deepEqual(
      videosOf(english.run).map((video) => [video.name, video.status]),
      [['intro', 'downloaded']]
    )
    assert.equal(korean.run.jobs.collect.result, 'failure', 'the Korean intro failed, and its collect says so')
    assert.deepEqual(
      videosOf(korean.run).map((video) => [video.name, video.status]),
      [
        ['intro', 'failed'],
        ['hello', 'downloaded']
      ]
    )
    // The keys each collect reports are the simulator's exports of its own manifest's videos.
    const englishKey = videosOf(english.run)[0]['export-key']
    assert.ok(world.sim.exports.some((e) => e.key === englishKey))
    assert.ok(!videosOf(korean.run).some((video) => video['export-key'] === englishKey), 'Korean lists no English export')
    assert.match(stdoutOf(korean.run), /result record\(s\) of other pipelines of this run left alone/)
    const comment = world.github.comments.find((c) => c.issue === 56)
    assert.ok(comment, 'one comment')
    assert.match(comment.body, /\| intro · video\/manifest\.yml \| downloaded/)
    assert.match(comment.body, /\| intro · video\/ko\.yml \| ❌/)
  })
})
