/**
 * Every wait has a deadline: `timeout` cuts a progress or export answer, or a download, trickled a
 * byte at a time, whatever `request-timeout` says; a download without a length ends at `max-video-size`.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

/** The smallest `timeout` (0.1 min = 6 s): a run held by a trickled answer would go on for a minute or more. */
const SHORT = { timeout: '0.1', 'request-timeout': '5' }

describe('timeout is a deadline', () => {
  it('ends the render wait at timeout while every progress answer trickles in a byte a second', async () => {
    await withSimulator({ renderMs: 600_000, faults: [{ route: 'progress', kind: 'trickle', everyMs: 1000, times: 100 }] }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, ...SHORT },
        timeoutMs: 30_000
      })
      const [exported] = sim.exports
      assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
      assert.equal(run.code, 1)
      assert.ok(
        sim.requests.some((r) => r.path.includes('/editor/progress/')),
        'a progress answer was trickled'
      )
      assert.match(run.stdout, new RegExp(`::error::Timed out after .* waiting for the render of ${exported.key} \\('timeout' is 0.1 min\\)`))
      assert.equal(run.outputs['project-id'], exported.key)
      assert.match(run.summary, new RegExp(`Resume:.*resume: ${exported.key}`))
    })
  })

  it('ends the export at timeout while its answer trickles in, saying it may have been accepted', async () => {
    await withSimulator({ faults: [{ route: 'export', kind: 'trickle', everyMs: 1000 }] }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, timeout: '0.1' },
        timeoutMs: 30_000
      })
      assert.equal(sim.options.faults.length, 0, 'the export answer was trickled')
      assert.equal(sim.exports.length, 1, 'the server accepted the export')
      assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
      assert.equal(run.code, 1)
      assert.match(
        run.stdout,
        /::error::The export request was sent but no usable answer came back \(no whole answer from .* within \d+\.\d s \(from 'api-url'\), the render's 'timeout' ends there\)\. The export may have been accepted/
      )
      assert.match(run.summary, /may have been accepted/)
      assert.doesNotMatch(run.summary, /not exported|nothing was exported/)
    })
  })
})

describe('a download is bounded', () => {
  it('stops a CDN body that never ends at max-video-size, keeping nothing', async () => {
    await withSimulator({ renderMs: 0, faults: [{ route: 'cdn', kind: 'endless' }] }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'max-video-size': '8' },
        timeoutMs: 30_000
      })
      const [exported] = sim.exports
      assert.equal(sim.options.faults.length, 0, 'the CDN sent its endless body')
      assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::Download stopped: the video is larger than 'max-video-size' \(8\.0 MiB\); nothing was kept/)
      const dir = path.join(run.workspace, 'videos')
      assert.deepEqual(fs.existsSync(dir) ? fs.readdirSync(dir) : [], [], 'no file, not even a partial one')
      assert.equal(run.outputs['project-id'], exported.key)
      assert.match(run.summary, new RegExp(`Resume:.*resume: ${exported.key}`))
    })
  })

  it('ends a download trickled in a byte at a time at timeout, keeping nothing', async () => {
    await withSimulator({ renderMs: 0, faults: [{ route: 'cdn', kind: 'trickle', everyMs: 200 }] }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, ...SHORT },
        timeoutMs: 30_000
      })
      const [exported] = sim.exports
      assert.equal(sim.options.faults.length, 0, 'the CDN trickled its answer')
      assert.ok(
        sim.requests.some((r) => r.origin === 'cdn' && r.path.startsWith('/videos/')),
        'the video was being downloaded'
      )
      assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
      assert.equal(run.code, 1)
      assert.match(
        run.stdout,
        new RegExp(
          `::error::Timed out after .* downloading the video of ${exported.key} \\('timeout' is 0.1 min, and bounds the render and its download together\\).*nothing was kept`
        )
      )
      const dir = path.join(run.workspace, 'videos')
      assert.deepEqual(fs.existsSync(dir) ? fs.readdirSync(dir) : [], [], 'no file, not even a partial one')
      assert.equal(run.outputs['project-id'], exported.key)
      assert.match(run.summary, new RegExp(`Resume:.*resume: ${exported.key}`))
    })
  })
})
