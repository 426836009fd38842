/** Cost controls (issue 20): a cap on the exports a run sends, and the exported projects cleaned up once delivered. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT_ID, SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'

const manifest = (names: string[]): string => names.map((name) => `- name: ${name}\n  project-id: ${DIALOGUE_PROJECT_ID}\n`).join('')

describe('max-videos', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 200 })
  })
  after(() => sim.close())
  const run = (inputs: Record<string, string>) =>
    runAction({
      workspace: makeWorkspace({ 'videos.yml': manifest(['a', 'b', 'c']) }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'upload-artifact': 'false', ...inputs }
    })

  it('refuses a run of three videos at 2 before any export, naming the input and the count', async () => {
    const result = await run({ 'max-videos': '2' })
    assert.equal(result.code, 1)
    assert.match(result.stdout, /::error::Input 'max-videos': this run would send 3 exports, more than the 2 it may/)
    assert.equal(sim.exports.length, 0)
    assert.ok(!sim.requests.some((r) => r.method === 'POST'), 'no export was sent')
  })

  it('prints in a dry run how many exports a run would send', async () => {
    const result = await run({ 'max-videos': '2', 'dry-run': 'true' })
    assert.equal(result.code, 0, result.stdout)
    assert.match(result.stdout, /Dry run: A run would send 3 export\(s\) \(max-videos: 2\)/)
    assert.match(result.stdout, /::warning::Dry run: 'max-videos' would refuse this run/)
    assert.equal(sim.exports.length, 0)
  })

  it('prints in a plan how many exports a run would send', async () => {
    const result = await run({ plan: 'true' })
    assert.equal(result.code, 0, result.stdout)
    assert.match(result.stdout, /Plan: A run would send 3 export\(s\);/)
  })

  it('refuses a plan whose matrix would send more: its jobs each see only their shard', async () => {
    const requestsBefore = sim.requests.length
    const result = await run({ plan: 'true', 'max-videos': '2' })
    assert.equal(result.code, 1)
    assert.match(result.stdout, /::error::Input 'max-videos': the plan's matrix would send 3 exports, more than the 2 one run may/)
    assert.equal(result.outputs.matrix, undefined)
    assert.equal(sim.requests.length, requestsBefore)
  })

  it('does not count a resumed video', async () => {
    const first = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, wait: 'false' } })
    assert.equal(first.code, 0, first.stdout)
    const key = sim.exports.at(-1)?.key ?? ''
    assert.equal(first.outputs['project-id'], key)
    const exports = sim.exports.length
    const result = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, resume: key, 'upload-artifact': 'false', 'max-videos': '0' }
    })
    assert.equal(result.code, 0, result.stdout)
    assert.equal(sim.exports.length, exports)
  })
})

describe('cleanup', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 200 })
  })
  after(() => sim.close())
  const deletes = () => sim.requests.filter((r) => r.method === 'DELETE')

  it('deletes each delivered video once, in one DELETE after its download', async () => {
    const exports = sim.exports.length
    const result = await runAction({
      workspace: makeWorkspace({ 'videos.yml': manifest(['a', 'b']) }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'upload-artifact': 'false', cleanup: 'true' }
    })
    assert.equal(result.code, 0, result.stdout)
    const keys = sim.exports.slice(exports).map((e) => e.key)
    assert.equal(keys.length, 2)
    assert.equal(deletes().length, 1, 'batched: the API takes a list of ids')
    const [request] = deletes()
    assert.equal(request.path, '/api/odin/v3/editor/project')
    assert.deepEqual((JSON.parse(request.body) as { ids: string[] }).ids.sort(), [...keys].sort())
    assert.deepEqual([...sim.deleted].sort(), [...keys].sort())
    for (const key of keys) {
      const download = sim.requests.filter((r) => r.origin === 'cdn' && r.path.startsWith(`/videos/${key}/`)).at(-1)
      assert.ok(download && download.at <= request.at, `${key} was downloaded before it was deleted`)
    }
  })

  it('deletes nothing while any video of the run failed: a re-run attempt re-attaches to every export it made', async () => {
    const before = deletes().length
    const exports = sim.exports.length
    const result = await runAction({
      workspace: makeWorkspace({ 'videos.yml': `${manifest(['good'])}- name: gone\n  project-id: no-such-project\n` }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'upload-artifact': 'false', cleanup: 'true' }
    })
    assert.equal(result.code, 1)
    assert.equal(sim.exports.length, exports + 1, 'the good video was exported and delivered')
    assert.equal(deletes().length, before, 'its project is kept')
    assert.match(result.stdout, /cleanup: nothing deleted: 1 video\(s\) of this run were not delivered/)
  })

  it('deletes nothing when the video fails, so its key stays resumable', async () => {
    const before = deletes().length
    sim.options.faults.push({ route: 'progress', kind: 'status', status: 400 })
    const result = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false', cleanup: 'true' }
    })
    assert.equal(result.code, 1)
    assert.equal(sim.options.faults.length, 0, 'the fault fired')
    assert.match(result.stdout, /resume: \w+/)
    assert.equal(deletes().length, before)
  })

  it('keeps the project when the artifact upload it was asked for was skipped (no runtime token)', async () => {
    const before = deletes().length
    const result = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, cleanup: 'true' },
      env: { ACTIONS_RUNTIME_TOKEN: '' }
    })
    const key = sim.exports.at(-1)?.key as string
    assert.equal(result.code, 0, result.stdout)
    assert.equal(deletes().length, before, 'nothing deleted')
    assert.match(result.stdout, new RegExp(`cleanup: ${key} is kept in AI Studios: its artifact was not uploaded`))
  })

  it('warns, and still succeeds, when the API refuses the delete', async () => {
    sim.options.faults.push({ route: 'delete', kind: 'status', status: 400 })
    const result = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false', cleanup: 'true' }
    })
    assert.equal(result.code, 0, result.stdout)
    assert.equal(sim.options.faults.length, 0, 'the fault fired')
    assert.match(result.stdout, /::warning::cleanup: the exported project\(s\) \w+ could not be deleted/)
  })
})
