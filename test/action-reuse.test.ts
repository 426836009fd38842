/**
 * reuse: true, end to end: real @actions/artifact and Octokit against the artifact service and REST
 * stand-ins, extended as the real services behave (artifacts of other runs listed by name with their
 * expiry, downloaded through the REST API's redirect to a signed URL).
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
before(async () => {
  sim = await startSimulator({ renderMs: 300 })
  artifacts = await startArtifactService()
  github = await startGitHubApi(artifacts)
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
})

/** One workflow run, numbered `runId`, with reuse on. */
const render = (runId: number, inputs: Record<string, string>, workspace?: string): Promise<ActionRun> =>
  runAction({
    workspace,
    inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'github-token': GITHUB_TOKEN, reuse: 'true', ...inputs },
    env: { ...artifacts.envForRun(runId), ...eventEnv('schedule', {}, github.url) }
  })

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
    assert.equal(sim.exports.length, 1)
    assert.match(first.stdout, /reuse: no earlier run rendered this request; exporting it/)
    assert.ok(artifacts.artifacts.some((a) => a.runId === 100 && /^aistudios-reuse-[0-9a-f]{32}\.json$/.test(a.name)))
  })

  it("downloads the earlier run's video the second time: no export, outputs as usual, the summary says which run", () => {
    assert.equal(second.code, 0, second.stdout)
    assert.equal(sim.exports.length, 1, 'nothing exported')
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
      github.requests.some((r) => r.path.startsWith('/repos/octo-org/videos/actions/artifacts?name=aistudios-reuse-')),
      'looked up by the REST API'
    )
    assert.ok(
      github.requests.some((r) => /^\/repos\/octo-org\/videos\/actions\/artifacts\/\d+\/zip$/.test(r.path)),
      "downloaded through the REST API's redirect"
    )
  })

  it('exports a changed request anew', async () => {
    const changed = await render(102, { ...speech, scripts: '1.1: Other words.' })
    assert.equal(changed.code, 0, changed.stdout)
    assert.equal(sim.exports.length, 2)
  })

  it('works per video in a manifest', async () => {
    const manifest = `- name: same\n  project-id: ${DIALOGUE_PROJECT_ID}\n  scripts: { "1.1": "Reused words." }\n- name: new\n  project-id: ${DIALOGUE_PROJECT_ID}\n  scripts: { "1.1": "Brand new words." }\n`
    const exports = sim.exports.length
    const run = await render(103, { manifest: 'm.yml', 'artifact-per-video': 'true' }, makeWorkspace({ 'm.yml': manifest }))
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, exports + 1, 'only the new video was exported')
    const videos = JSON.parse(run.outputs.videos) as Array<{ name: string; 'reused-from-run': number | null }>
    assert.equal(typeof videos.find((v) => v.name === 'same')?.['reused-from-run'], 'number')
    assert.equal(videos.find((v) => v.name === 'new')?.['reused-from-run'], null)
  })

  it('does not reuse an expired video: exports anew', async () => {
    for (const artifact of artifacts.artifacts) artifact.expiresAt = new Date(Date.now() - 1000).toISOString()
    const exports = sim.exports.length
    const run = await render(104, speech)
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, exports + 1)
  })
})
