/**
 * Attack (attack1): cleanup + re-run where it meets artifact names, batches, archives and releases.
 * Each test is expected to FAIL while the bug it proves is there.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 300 })
type Entry = { name: string; status: string; error: string | null; 'video-path': string | null }
const videosOf = (run: ActionRun): Entry[] => JSON.parse(run.outputs.videos ?? '[]') as Entry[]

let runNo = 9100
const attempts = async (inputs: Record<string, string>, files: Record<string, string> = {}, extra: Record<string, string> = {}) => {
  const runId = runNo++
  const first = await runAction({
    workspace: makeWorkspace(files),
    inputs,
    env: { ...world.artifacts.envForRun(runId), ...extra, GITHUB_RUN_ATTEMPT: '1' }
  })
  const exports = world.sim.exports.length
  const again = await runAction({
    workspace: makeWorkspace(files),
    inputs,
    env: { ...world.artifacts.envForRun(runId, `job-${runId}-attempt-2`), ...extra, GITHUB_RUN_ATTEMPT: '2' }
  })
  return { first, again, exportsBefore: exports }
}

describe('cleanup + re-run: the re-run attempt re-delivers what attempt 1 delivered', () => {
  // PROVES: with a chosen `artifact-name` (kept exact, no -attempt-N), attempt 2 takes the video from attempt 1's
  // artifact, then uploads it again under the same name: the artifact service refuses the name (409), and the
  // re-run of a job that delivered fails. Before the redelivery change the same, but now the video is on disk.
  it('custom artifact-name: a re-run attempt of a job that delivered with cleanup succeeds', async () => {
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'custom name words',
      cleanup: 'true',
      'artifact-name': 'my-video.mp4'
    }
    const { first, again, exportsBefore } = await attempts(inputs)
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exportsBefore, 'no new export')
    assert.equal(again.code, 0, again.stdout)
  })

  it('artifact-name without the ending (zipped): a re-run attempt succeeds', async () => {
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'custom zipped words',
      cleanup: 'true',
      'artifact-name': 'my-videos'
    }
    const { first, again, exportsBefore } = await attempts(inputs)
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exportsBefore, 'no new export')
    assert.equal(again.code, 0, again.stdout)
  })

  it('archive: true: a re-run attempt takes the video from the zipped artifact', async () => {
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'archived words',
      cleanup: 'true',
      archive: 'true'
    }
    const { first, again, exportsBefore } = await attempts(inputs)
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exportsBefore, 'no new export')
    assert.equal(again.code, 0, again.stdout)
    assert.deepEqual(fs.readFileSync(again.outputs['video-path']), SAMPLE_VIDEO)
  })

  it('batch artifact (artifact-per-video false): every video is taken back from the one zip', async () => {
    const manifest = `videos:\n${['a', 'b', 'c'].map((n) => `  - name: ${n}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: words of ${n}\n`).join('')}`
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      manifest: 'videos.yml',
      cleanup: 'true',
      'artifact-per-video': 'false'
    }
    const { first, again, exportsBefore } = await attempts(inputs, { 'videos.yml': manifest })
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exportsBefore, 'no new export')
    assert.equal(again.code, 0, again.stdout)
    assert.deepEqual(
      videosOf(again).map((v) => v.status),
      ['downloaded', 'downloaded', 'downloaded']
    )
  })

  // PROVES: release-only delivery (upload-artifact false, release-upload true) with cleanup: the video is on the
  // release, yet every re-run attempt fails it ("Download it from attempt 1's artifacts" — there are none).
  it('release-only delivery: a re-run attempt does not fail a video that is on the release', async () => {
    world.github.releases.push({ id: 9201, tag: 'v9201', assets: [] })
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'release words',
      cleanup: 'true',
      'upload-artifact': 'false',
      'release-upload': 'true',
      'release-tag': 'v9201',
      'github-token': GITHUB_TOKEN
    }
    const { first, again, exportsBefore } = await attempts(inputs, {}, eventEnv('push', {}, world.github.url))
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exportsBefore, 'no new export')
    assert.equal(again.code, 0, again.stdout)
  })

  it('artifact and release: a re-run attempt finds the asset already on the release and attaches no second copy', async () => {
    world.github.releases.push({ id: 9202, tag: 'v9202', assets: [] })
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'artifact and release words',
      cleanup: 'true',
      'release-upload': 'true',
      'release-tag': 'v9202',
      'github-token': GITHUB_TOKEN
    }
    const { first, again, exportsBefore } = await attempts(inputs, {}, eventEnv('push', {}, world.github.url))
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exportsBefore, 'no new export')
    assert.equal(again.code, 0, again.stdout)
    const assets = world.github.releases.find((r) => r.id === 9202)!.assets.map((a) => a.name)
    assert.equal(assets.length, 1, `observed: the re-run attached the same video again under another name: ${assets.join(', ')}`)
  })

  // PROVES: attempt 1 saved videos/<project name>.mp4; the re-run attempt saves the same video under its artifact's
  // name (<name>-<key>.mp4), so a later step that reads the file attempt 1 wrote (or the same path) finds nothing.
  it('a re-run attempt saves the video under the path attempt 1 gave it', async () => {
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'same path words',
      cleanup: 'true'
    }
    const { first, again } = await attempts(inputs)
    assert.equal(first.code, 0, first.stdout)
    assert.equal(again.code, 0, again.stdout)
    const rel = (run: ActionRun) => path.relative(run.workspace, run.outputs['video-path'])
    assert.equal(rel(again), rel(first), 'observed: the re-run saved the video under another name')
  })
})
