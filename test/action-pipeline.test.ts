/** One path for one video and for many: the report survives, nothing is dropped, one client per job. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

const TWO = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n`

/** The action on the two-video manifest, with the simulator's key and these inputs besides. */
const runTwo = (inputs: Record<string, string>, env?: Record<string, string>): Promise<ActionRun> =>
  runAction({
    workspace: makeWorkspace({ 'videos.yml': TWO }),
    inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', ...inputs },
    env
  })

interface VideoOutput {
  name: string
  status: string
  'project-id': string | null
  path: string | null
  error: string | null
}

let sim: Simulator
let github: GitHubApi
let artifacts: ArtifactService
before(async () => {
  sim = await startSimulator({ renderMs: 300, apps: { 'app-1': 'user-key-1' } })
  github = await startGitHubApi()
  artifacts = await startArtifactService()
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
})

describe('a delivery that fails after two paid renders', () => {
  it('still reports every video: the videos output, the summary table and each resume key', async () => {
    github.releases.push({ id: 7, tag: 'v7', assets: [], readOnly: true })
    const exportsBefore = sim.exports.length
    const run = await runTwo(
      { 'release-upload': 'true', 'release-tag': 'v7', 'github-token': GITHUB_TOKEN },
      { ...artifacts.env, ...eventEnv('push', {}, github.url) }
    )
    assert.equal(run.code, 1)
    const keys = sim.exports.slice(exportsBefore).map((e) => e.key)
    assert.equal(keys.length, 2, 'two renders were paid for')
    assert.match(
      run.stdout,
      /::error::a: Attaching the video to release v7 failed: Uploading a\.mp4 to the release failed: HTTP 403/,
      'the delivery fault fired'
    )
    assert.match(
      run.stdout,
      /::error::b: Attaching the video to release v7 failed: Uploading b\.mp4 to the release failed: HTTP 403/,
      'each video was tried'
    )

    const videos = JSON.parse(run.outputs.videos) as VideoOutput[]
    assert.deepEqual(
      videos.map((v) => [v.name, v.status]),
      [
        ['a', 'failed'],
        ['b', 'failed']
      ]
    )
    assert.deepEqual(videos.map((v) => v['project-id']).sort(), [...keys].sort())
    for (const video of videos) {
      assert.ok(video.path, 'the downloaded file is named')
      assert.match(
        video.error ?? '',
        /^not delivered: the render finished and the video is saved as videos[\\/][ab]\.mp4, but attaching the video to release v7 failed: Uploading/
      )
    }
    for (const [index, name] of ['a', 'b'].entries()) {
      const key = videos[index]['project-id'] as string
      assert.match(run.summary, new RegExp(`<code>${key}</code>`))
      assert.match(
        run.stdout,
        new RegExp(`::error::Export ${key} finished rendering and its video is saved as .*manifest-entry: ${name} and resume: ${key}`)
      )
    }
    assert.match(run.summary, /0 delivered, 2 failed \(of 2\)/)

    // The advice works: that one video is downloaded again without a new export.
    const again = await runTwo({ 'manifest-entry': 'b', resume: videos[1]['project-id'] as string })
    assert.equal(again.code, 0, again.stdout)
    assert.equal(sim.exports.length, exportsBefore + 2, 'resuming sent no export')
    assert.deepEqual(
      (JSON.parse(again.outputs.videos) as VideoOutput[]).map((v) => [v.name, v.status]),
      [['b', 'downloaded']]
    )
    assert.equal(again.outputs['project-id'], videos[1]['project-id'], 'a plan of one sets the single-video outputs')
  })
})

describe('step inputs that a manifest does not use', () => {
  for (const [input, value] of [
    ['script', 'hello'],
    ['name', 'Title'],
    ['output-name', 'x.mp4'],
    ['project-id', SAMPLE_PROJECT_ID]
  ]) {
    it(`refuses '${input}' beside a manifest, naming it, before anything is sent`, async () => {
      const before = sim.requests.length
      const run = await runTwo({ [input]: value })
      assert.equal(run.code, 1)
      assert.match(run.stdout, new RegExp(`::error::Input '${input}': it describes one video, but 'manifest' lists the videos`))
      assert.equal(sim.requests.length, before)
    })
  }

  it("refuses 'resume' beside a manifest without 'manifest-entry'", async () => {
    const before = sim.requests.length
    const run = await runTwo({ resume: 'abc' })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::Input 'resume': with a 'manifest', resume one video: set 'manifest-entry'/)
    assert.equal(sim.requests.length, before)
  })
})

describe('one API client per job', () => {
  it('exchanges app-id and user-key for one token, shared by every video, and labels every line', async () => {
    const before = sim.requests.length
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': `${TWO}  - name: c\n    project-id: ${SAMPLE_PROJECT_ID}\n` }),
      inputs: { 'app-id': 'app-1', 'user-key': 'user-key-1', 'api-url': sim.apiUrl, manifest: 'videos.yml', 'max-parallel': '3' }
    })
    assert.equal(run.code, 0, run.stdout)
    const calls = sim.requests.slice(before)
    assert.equal(calls.filter((r) => r.path.endsWith('/auth/token')).length, 1)
    for (const name of ['a', 'b', 'c']) {
      assert.match(run.stdout, new RegExp(`^\\[${name}\\] Export accepted: \\w+$`, 'm'))
      assert.match(run.stdout, new RegExp(`^\\[${name}\\] Downloading `, 'm'))
    }
  })
})

describe('a single video', () => {
  it('sets the videos output too', async () => {
    const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID } })
    assert.equal(run.code, 0, run.stdout)
    const videos = JSON.parse(run.outputs.videos) as VideoOutput[]
    assert.equal(videos.length, 1)
    assert.equal(videos[0].status, 'downloaded')
    assert.equal(videos[0]['project-id'], sim.exports.at(-1)?.key)
    assert.equal(run.outputs['project-id'], sim.exports.at(-1)?.key)
  })
})
