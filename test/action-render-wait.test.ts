/** The render wait end to end: a key not found right after its export, and a render queued at 0%. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, withSimulator } from './simulator/server.ts'
import { startArtifactService } from './stand-ins/artifact-service.ts'

const progressAnswers = (sim: { requests: Array<{ origin: string; path: string }> }): number =>
  sim.requests.filter((request) => request.origin === 'api' && request.path.includes('/editor/progress/')).length

describe('a key the API does not know yet', () => {
  it('is given the grace after the export when the envelope says NOT_FOUND with HTTP 200, then delivered', () =>
    withSimulator({ renderMs: 300, faults: [{ route: 'progress', kind: 'not-found', shape: 'envelope', times: 2 }] }, async (sim) => {
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID } })
      assert.equal(sim.options.faults.length, 0, 'both NOT_FOUND answers were given')
      assert.equal(run.code, 0, run.stdout)
      assert.ok(progressAnswers(sim) >= 3)
      assert.match(run.stdout, new RegExp(`The API does not know ${sim.exports[0].key} yet; trying again`))
      assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    }))
})

describe('a resumed key the API does not know', () => {
  it('ends the run at its first answer, naming the key and what to check: the grace is for an export this run made', () =>
    withSimulator({ renderMs: 300 }, async (sim) => {
      const key = '0123456789abcdef01234567'
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, resume: key } })
      assert.equal(run.code, 1, run.stdout)
      assert.equal(progressAnswers(sim), 1, 'asked once, not for a minute')
      assert.equal(sim.exports.length, 0)
      assert.match(
        run.stdout,
        new RegExp(`::error::The API does not know export ${key} \\(.*\\): check that 'resume' holds a key this account exported`)
      )
      assert.doesNotMatch(run.stdout, /trying again/)
    }))
})

describe('a render queued at 0%', () => {
  it('is not stalled: queued longer than stall-timeout, it then renders and is delivered', () =>
    // 'stall-timeout' is at its minimum (6 s); the queue holds the render at 0% for 7 s.
    withSimulator({ queueMs: 7000, renderMs: 500 }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'stall-timeout': '0.1', timeout: '2' }
      })
      assert.equal(run.code, 0, run.stdout)
      const key = sim.exports[0].key
      const polls = sim.requests.filter((request) => request.path.endsWith(`/editor/progress/${key}`))
      const exportedAt = sim.exports[0].finishesAt - 7500
      assert.ok(
        polls.some((poll) => poll.at - exportedAt > 6000 && poll.at < exportedAt + 7000),
        'polled at 0% past stall-timeout'
      )
      assert.match(run.stdout, /0\.0% after \d+ s, not started yet \(it may be queued\)/)
      assert.doesNotMatch(run.stdout, /stalled/)
      assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    }))

  it('ends at timeout saying it may still be queued, and is not marked dead', async () => {
    const artifacts = await startArtifactService()
    try {
      await withSimulator({ queueMs: 600_000, renderMs: 500 }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'stall-timeout': '0.1', timeout: '0.1' },
          env: artifacts.env
        })
        assert.equal(run.code, 1)
        const key = sim.exports[0].key
        assert.match(
          run.stdout,
          /::error::Timed out after [\d.]+ min waiting for the render of \w+ .*progress never moved above 0%25: the render may still be queued/
        )
        assert.equal(run.outputs['project-id'], key)
        assert.ok(
          artifacts.artifacts.some((a) => a.name.endsWith(`-v3-${key}`)),
          'the export is in the ledger'
        )
        assert.ok(!artifacts.artifacts.some((a) => /-(dead|lost)-/.test(a.name)), 'and not marked dead')
      })
    } finally {
      await artifacts.close()
    }
  })
})
