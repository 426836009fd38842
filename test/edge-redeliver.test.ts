/**
 * Attack: follow the advice a delivery failure prints ("re-run this step with the inputs manifest-entry:
 * NAME and resume: KEY") literally, in the modes it meets, and see whether the failed delivery is
 * really delivered. Each test is expected to FAIL while the bug it proves is there.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 300 })

type Entry = { name: string; status: string; 'export-key': string | null; error: string | null; 'release-url': string | null }
const videosOf = (run: ActionRun): Entry[] => JSON.parse(run.outputs.videos ?? '[]') as Entry[]

describe('resume under only-changed is silently dropped', () => {
  // PROVES: a single video with only-changed (the step's speech in a file) whose release asset failed advises
  // "re-run this step with the input resume: KEY". The user adds resume: KEY to the workflow and pushes: that
  // push changed only the workflow file, so only-changed finds "no video's inputs changed" and renders nothing.
  // The run is green, the resume is ignored without a word, and the release never gets the video.
  it('a resume the user asked for is downloaded and delivered whatever only-changed finds', async () => {
    world.github.releases.push({ id: 611, tag: 'v61', assets: [], readOnly: true })
    const files = { 'speech/a.txt': 'Words of video a.', '.github/workflows/videos.yml': 'on: push\n' }
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      'script-file': 'speech/a.txt',
      'only-changed': 'true',
      'release-upload': 'true',
      'release-tag': 'v61',
      'github-token': GITHUB_TOKEN
    }
    world.github.changes.set('p61a...p61b', ['speech/a.txt'])
    const exports = world.sim.exports.length
    const first = await runAction({
      workspace: makeWorkspace(files),
      inputs,
      env: { ...world.artifacts.envForRun(8111), ...eventEnv('push', { before: 'p61a', after: 'p61b' }, world.github.url) }
    })
    assert.equal(first.code, 1, first.stdout)
    assert.equal(world.sim.exports.length, exports + 1)
    const key = first.outputs['export-key']
    assert.match(first.stdout, new RegExp(`re-run this step with the input resume: ${key}`))

    // The release is writable now; the workflow file gains `resume: KEY` in a new push.
    world.github.releases.find((r) => r.id === 611)!.readOnly = false
    world.github.changes.set('p61b...p61c', ['.github/workflows/videos.yml'])
    const again = await runAction({
      workspace: makeWorkspace(files),
      inputs: { ...inputs, resume: key },
      env: { ...world.artifacts.envForRun(8112), ...eventEnv('push', { before: 'p61b', after: 'p61c' }, world.github.url) }
    })
    assert.equal(world.sim.exports.length, exports + 1, 'nothing exported again')
    assert.doesNotMatch(again.stdout, /nothing was rendered/, 'observed: only-changed dropped the resume and rendered nothing, green')
    assert.equal(world.github.releases.find((r) => r.id === 611)!.assets.length, 1, 'the video the advice promised reached the release')
  })

  // PROVES: the same with a manifest: manifest-entry + resume (the printed advice) on a push that changed only
  // the workflow is skipped by only-changed; the run is green and delivers nothing.
  it('manifest-entry + resume with only-changed: the resumed video is delivered', async () => {
    const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    script-file: speech/a.txt\n`
    const files = { 'videos.yml': manifest, 'speech/a.txt': 'Words of video a.' }
    world.github.releases.push({ id: 612, tag: 'v62', assets: [], readOnly: true })
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      manifest: 'videos.yml',
      'only-changed': 'true',
      'release-upload': 'true',
      'release-tag': 'v62',
      'github-token': GITHUB_TOKEN
    }
    world.github.changes.set('p62a...p62b', ['speech/a.txt'])
    const first = await runAction({
      workspace: makeWorkspace(files),
      inputs,
      env: { ...world.artifacts.envForRun(8121), ...eventEnv('push', { before: 'p62a', after: 'p62b' }, world.github.url) }
    })
    assert.equal(first.code, 1, first.stdout)
    const [a] = videosOf(first)
    assert.match(a.error ?? '', new RegExp(`manifest-entry: a and resume: ${a['export-key']}`))
    world.github.releases.find((r) => r.id === 612)!.readOnly = false
    world.github.changes.set('p62b...p62c', ['.github/workflows/videos.yml'])
    const exports = world.sim.exports.length
    const again = await runAction({
      workspace: makeWorkspace(files),
      inputs: { ...inputs, 'manifest-entry': 'a', resume: a['export-key']! },
      env: { ...world.artifacts.envForRun(8122), ...eventEnv('push', { before: 'p62b', after: 'p62c' }, world.github.url) }
    })
    assert.equal(world.sim.exports.length, exports, 'nothing exported again')
    assert.doesNotMatch(again.stdout, /nothing was rendered/, 'observed: the resumed entry was filtered out by only-changed')
    assert.equal(world.github.releases.find((r) => r.id === 612)!.assets.length, 1, 'the resumed video reached the release')
  })
})
