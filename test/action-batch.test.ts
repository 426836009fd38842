/**
 * A batch fanned out over a matrix and gathered again, through dist/index.js against the simulator and
 * the GitHub and artifact-service stand-ins: the plan's shards, each render job's result record, and
 * the collect job's one summary, `videos` output and pull request comment.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'

const manifestOf = (names: string[]): string =>
  `videos:\n${names.map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n`).join('')}`
const namesOf = (count: number, prefix = 'clip'): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`)

let sim: Simulator
before(async () => {
  sim = await startSimulator({ renderMs: 300 })
})
after(() => sim.close())

describe('plan', () => {
  it('groups a 600-video manifest into at most 256 shards covering every video once, sending nothing', async () => {
    const names = namesOf(600)
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(names) })
    const plan = () => runAction({ workspace, inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', plan: 'true' } })
    const run = await plan()
    assert.equal(run.code, 0, run.stdout)
    const { include } = JSON.parse(run.outputs.matrix) as { include: Array<{ shard: string; video: string }> }
    assert.ok(include.length <= 256 && include.length > 1, `${include.length} shards`)
    assert.deepEqual(
      include.flatMap((entry) => entry.video.split(',')),
      names
    )
    assert.ok(include.every((entry, index) => entry.shard === `${index + 1}/${include.length}`))
    assert.equal(sim.requests.length, 0)
    const again = await plan()
    assert.equal(again.outputs.matrix, run.outputs.matrix, 'the same manifest gives the same shards')
  })

  it('honours max-jobs, and a render job renders the videos its shard names', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(['a', 'b', 'c']) })
    const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml' }
    const plan = await runAction({ workspace, inputs: { ...base, plan: 'true', 'max-jobs': '2' } })
    assert.deepEqual(JSON.parse(plan.outputs.matrix), {
      include: [
        { shard: '1/2', video: 'a' },
        { shard: '2/2', video: 'b,c' }
      ]
    })
    const exports = sim.exports.length
    const render = await runAction({ workspace, inputs: { ...base, 'manifest-entry': 'b,c' } })
    assert.equal(render.code, 0, render.stdout)
    assert.equal(sim.exports.length, exports + 2)
    assert.deepEqual(
      (JSON.parse(render.outputs.videos) as Array<{ name: string }>).map((video) => video.name),
      ['b', 'c']
    )
  })
})
