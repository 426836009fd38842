/** A cancelled workflow: the runner signals the action while it waits for the render. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runAction, signalWhen, NO_POSIX_SIGNALS } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator } from './simulator/server.ts'

describe('cancellation', { skip: NO_POSIX_SIGNALS }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} while polling, exits promptly with the export key and how to resume`, async () => {
      const sim = await startSimulator({ renderMs: 600_000 })
      try {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
          timeoutMs: 20_000,
          onStart: signalWhen((stdout) => stdout.includes('% after'), signal)
        })
        const key = sim.exports[0].key
        assert.equal(run.signal, null, 'exited by itself, not killed by the test timeout')
        assert.equal(run.code, 1)
        assert.match(run.stdout, new RegExp(`::error::The run was cancelled \\(${signal}\\)`))
        assert.match(run.stdout, new RegExp(`::error::Export ${key} was accepted .*resume: ${key}`))
        assert.equal(run.outputs['project-id'], key)
        assert.match(run.summary, new RegExp(`Resume:.*resume: ${key}`))
        assert.equal(sim.exports.length, 1)
      } finally {
        await sim.close()
      }
    })
  }
})

describe('a cancel while the export request is in flight', { skip: NO_POSIX_SIGNALS }, () => {
  it('says the export may have been accepted and how to find it, and records it in the videos output', async () => {
    const sim = await startSimulator({ faults: [{ route: 'export', kind: 'hold-answer' }] })
    try {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
        timeoutMs: 20_000,
        onStart: signalWhen(() => sim.exports.length > 0)
      })
      assert.equal(sim.exports.length, 1, 'the server accepted the export')
      assert.equal(run.signal, null, 'exited by itself')
      assert.equal(run.code, 1)
      assert.match(
        run.stdout,
        /::error::The run was cancelled while the export request was in flight \(.*\)\. The export may have been accepted and spent credits, so it was not sent again\. Look for the new project in AI Studios \(My Studio\), or list your projects with GET \/api\/odin\/v3\/editor\/project/
      )
      const [video] = JSON.parse(run.outputs.videos) as Array<{ status: string; error: string }>
      assert.equal(video.status, 'failed')
      assert.match(video.error, /may have been accepted/)
      assert.match(run.summary, /may have been accepted/)
    } finally {
      await sim.close()
    }
  })
})
