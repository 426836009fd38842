/**
 * reuse: true, end to end: real @actions/artifact and Octokit against the artifact service and REST
 * stand-ins, extended as the real services behave (world.artifacts of other runs listed by name with their
 * expiry, downloaded through the REST API's redirect to a signed URL).
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { DIALOGUE_PROJECT_ID, SAMPLE_VIDEO } from './simulator/server.ts'
import { GITHUB_TOKEN, type WorkflowRun } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 300 })

/** A push run of this repository on `main` (the default branch), unless told otherwise. */
const MAIN_PUSH: WorkflowRun = { event: 'push', headBranch: 'main', headRepository: 'octo-org/videos' }

/**
 * One workflow run, numbered `runId`, with reuse on: GitHub describes it as `run` says, and it runs as
 * a push to that branch (or a run of that pull request).
 */
const render = (runId: number, inputs: Record<string, string>, workspace?: string, run: WorkflowRun = MAIN_PUSH): Promise<ActionRun> => {
  world.github.runs.set(runId, run)
  const pull = run.pullRequests?.[0]
  const event = pull
    ? eventEnv(
        'pull_request',
        { repository: { default_branch: 'main' }, pull_request: { number: pull, head: { ref: run.headBranch } } },
        world.github.url
      )
    : eventEnv(run.event, { repository: { default_branch: 'main' } }, world.github.url)
  return runAction({
    workspace,
    inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'github-token': GITHUB_TOKEN, reuse: 'true', ...inputs },
    env: { ...world.artifacts.envForRun(runId), ...event, GITHUB_REF: pull ? `refs/pull/${pull}/merge` : `refs/heads/${run.headBranch}` }
  })
}

/** Rewrites the reuse record run `runId` left, as a hostile run could have written it. */
function tamperRecord(runId: number, change: (record: Record<string, unknown>) => void): void {
  const stored = world.artifacts.artifacts.find((a) => a.runId === runId && a.name.startsWith('aistudios-reuse-'))
  assert.ok(stored, `run ${runId} left a record`)
  const record = JSON.parse(stored.bytes.toString('utf8')) as Record<string, unknown>
  change(record)
  stored.bytes = Buffer.from(JSON.stringify(record))
}

describe('reuse: true', () => {
  const speech = { 'project-id': DIALOGUE_PROJECT_ID, scripts: '1.1: Reused words.' }
  let first: ActionRun
  let second: ActionRun

  before(async () => {
    first = await render(100, speech)
    second = await render(101, speech)
  })

  it('exports the first time and leaves a record beside the video', () => {
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, 1)
    assert.match(first.stdout, /reuse: no earlier run rendered this request; exporting it/)
    assert.ok(world.artifacts.artifacts.some((a) => a.runId === 100 && /^aistudios-reuse-[0-9a-f]{32}\.json$/.test(a.name)))
  })

  it("downloads the earlier run's video the second time: no export, outputs as usual, the summary says which run", () => {
    assert.equal(second.code, 0, second.stdout)
    assert.equal(world.sim.exports.length, 1, 'nothing exported')
    assert.match(
      second.stdout,
      /::notice::reuse: run 100 already rendered this request \(export \w+\); its video was downloaded and nothing was exported/
    )
    assert.equal(second.outputs['project-id'], first.outputs['project-id'])
    assert.deepEqual(fs.readFileSync(second.outputs['video-path']), SAMPLE_VIDEO)
    assert.equal(second.outputs['video-width'], '320')
    assert.match(second.summary, /Reused.*the video of run 100/s)
    assert.equal((JSON.parse(second.outputs.videos) as Array<{ 'reused-from-run': number }>)[0]['reused-from-run'], 100)
    assert.ok(
      world.github.requests.some((r) => r.path.startsWith('/repos/octo-org/videos/actions/artifacts?name=aistudios-reuse-')),
      'looked up by the REST API'
    )
    assert.ok(
      world.github.requests.some((r) => /^\/repos\/octo-org\/videos\/actions\/artifacts\/\d+\/zip$/.test(r.path)),
      "downloaded through the REST API's redirect"
    )
  })

  it('exports a changed request anew', async () => {
    const changed = await render(102, { ...speech, scripts: '1.1: Other words.' })
    assert.equal(changed.code, 0, changed.stdout)
    assert.equal(world.sim.exports.length, 2)
  })

  it('works per video in a manifest', async () => {
    const manifest = `- name: same\n  project-id: ${DIALOGUE_PROJECT_ID}\n  scripts: { "1.1": "Reused words." }\n- name: new\n  project-id: ${DIALOGUE_PROJECT_ID}\n  scripts: { "1.1": "Brand new words." }\n`
    const exports = world.sim.exports.length
    const run = await render(103, { manifest: 'm.yml', 'artifact-per-video': 'true' }, makeWorkspace({ 'm.yml': manifest }))
    assert.equal(run.code, 0, run.stdout)
    assert.equal(world.sim.exports.length, exports + 1, 'only the new video was exported')
    const videos = JSON.parse(run.outputs.videos) as Array<{ name: string; 'reused-from-run': number | null }>
    assert.equal(typeof videos.find((v) => v.name === 'same')?.['reused-from-run'], 'number')
    assert.equal(videos.find((v) => v.name === 'new')?.['reused-from-run'], null)
  })

  it('does not reuse an expired video: exports anew', async () => {
    for (const artifact of world.artifacts.artifacts) artifact.expiresAt = new Date(Date.now() - 1000).toISOString()
    const exports = world.sim.exports.length
    const run = await render(104, speech)
    assert.equal(run.code, 0, run.stdout)
    assert.equal(world.sim.exports.length, exports + 1)
  })
})

describe('reuse trusts only what this repository made', () => {
  const speech = (words: string) => ({ 'project-id': DIALOGUE_PROJECT_ID, scripts: `1.1: ${words}` })

  /** Run `writer` renders the request, then run `reader` (a push to main) asks for it again. */
  async function plantThenRender(
    words: string,
    writer: number,
    writerRun: WorkflowRun,
    reader: number,
    tamper?: (r: Record<string, unknown>) => void
  ) {
    const planted = await render(writer, speech(words), undefined, writerRun)
    assert.equal(planted.code, 0, planted.stdout)
    if (tamper) tamperRecord(writer, tamper)
    const exports = world.sim.exports.length
    const run = await render(reader, speech(words))
    assert.equal(run.code, 0, run.stdout)
    return { run, exported: world.sim.exports.length - exports }
  }

  it("refuses a fork's run: warns naming it and exports", async () => {
    const fork: WorkflowRun = { event: 'pull_request', headBranch: 'main', headRepository: 'evil-fork/videos', pullRequests: [] }
    const { run, exported } = await plantThenRender('From a fork.', 200, fork, 210)
    assert.equal(exported, 1)
    assert.match(run.stdout, /::warning::reuse: the video of run 200 was not reused: its code came from another repository \(evil-fork\/videos\)/)
    assert.equal(JSON.parse(run.outputs.videos)[0]['reused-from-run'], null)
  })

  it("refuses another branch's run by default, and takes it with 'reuse-from: repository'", async () => {
    const branch: WorkflowRun = { event: 'push', headBranch: 'feature-x', headRepository: 'octo-org/videos' }
    const { run, exported } = await plantThenRender('From a branch.', 201, branch, 211)
    assert.equal(exported, 1)
    assert.match(
      run.stdout,
      /::warning::reuse: the video of run 201 was not reused: it ran on branch feature-x, not this branch or the default branch/
    )
    const exports = world.sim.exports.length
    const wide = await render(212, { ...speech('From a branch.'), 'reuse-from': 'repository' }, undefined, { ...MAIN_PUSH, headBranch: 'other' })
    assert.equal(wide.code, 0, wide.stdout)
    assert.equal(world.sim.exports.length, exports, 'reused, nothing exported')
  })

  it("keeps a pull request's videos to runs of that pull request", async () => {
    const pr: WorkflowRun = { event: 'pull_request', headBranch: 'feature-y', headRepository: 'octo-org/videos', pullRequests: [7] }
    const { run, exported } = await plantThenRender('From a pull request.', 202, pr, 213)
    assert.equal(exported, 1)
    assert.match(run.stdout, /::warning::reuse: the video of run 202 was not reused: it ran for pull request #7/)
    const exports = world.sim.exports.length
    // Narrowed to this pull request, so the main branch's newer record is passed over.
    const same = await render(214, { ...speech('From a pull request.'), 'reuse-from': 'branch' }, undefined, pr)
    assert.equal(same.code, 0, same.stdout)
    assert.equal(world.sim.exports.length, exports, 'the same pull request reuses it')
    assert.match(same.stdout, /::warning::reuse: the video of run 213 was not reused: it ran on branch main, not this branch/)
    assert.match(same.stdout, /::notice::reuse: run 202 already rendered this request/)
  })

  it('refuses a video whose SHA-256 differs from its record', async () => {
    const { run, exported } = await plantThenRender('Wrong digest.', 203, MAIN_PUSH, 215, (r) => (r.sha256 = '0'.repeat(64)))
    assert.equal(exported, 1)
    assert.match(run.stdout, /::warning::reuse: the video of run 203 was not reused: its video's SHA-256 differs from its record's/)
  })

  it('refuses a record without a SHA-256 (as older runs left them)', async () => {
    const { run, exported } = await plantThenRender('No digest.', 204, MAIN_PUSH, 216, (r) => delete r.sha256)
    assert.equal(exported, 1)
    assert.match(run.stdout, /::warning::reuse: the video of run 204 was not reused: its record: sha256:/)
  })

  it("refuses names with '../': nothing is written outside the output folder", async () => {
    const outside = path.join(os.tmpdir(), `aistudios-planted-${process.pid}.mp4`)
    const climb = `../../../../../../../..${outside}`
    const { run, exported } = await plantThenRender('Climbing names.', 205, MAIN_PUSH, 217, (r) => {
      r.videoName = climb
      r.fileName = climb
    })
    assert.equal(exported, 1)
    assert.match(run.stdout, /::warning::reuse: the video of run 205 was not reused: its record: fileName: is not a plain file name/)
    assert.equal(fs.existsSync(outside), false)
    assert.equal(path.dirname(run.outputs['video-path']), path.join(run.workspace, 'videos'))
  })

  it('refuses an export key that is not one, and never prints it', async () => {
    const hostile = 'p0001`x`</code><b>'
    const { run, exported } = await plantThenRender('Hostile key.', 206, MAIN_PUSH, 218, (r) => (r.exportKey = hostile))
    assert.equal(exported, 1)
    assert.match(run.stdout, /::warning::reuse: the video of run 206 was not reused: its record: exportKey: is not an export key/)
    assert.ok(!run.stdout.includes(hostile) && !run.summary.includes('<b>'))
    assert.notEqual(run.outputs['project-id'], hostile)
  })
})
