/** One poll budget per job: many videos at once share it, and each still gets its video. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

const VIDEOS = 8
const MANIFEST = `videos:\n${Array.from({ length: VIDEOS }, (_, i) => `  - name: v${i}\n    project-id: ${SAMPLE_PROJECT_ID}\n`).join('')}`

describe(`${VIDEOS} videos at once`, () => {
  it('share one budget of progress calls, and every one is saved', () =>
    withSimulator({ renderMs: 2500 }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'videos.yml': MANIFEST }),
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          manifest: 'videos.yml',
          'max-parallel': String(VIDEOS),
          'upload-artifact': 'false'
        }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(sim.exports.length, VIDEOS)
      const polls = sim.requests.filter((r) => r.path.startsWith('/api/odin/v3/editor/progress/')).map((r) => r.at)
      // The budget is 2 calls in any second, as the action's clock sees them; the simulator logs each
      // call a little later, by a varying delay, so its log is read with a quarter-second margin.
      const busiest = Math.max(...polls.map((at) => polls.filter((other) => other >= at && other < at + 750).length))
      assert.ok(busiest <= 2, `at most 2 progress calls within any 750 ms of the simulator's log, saw ${busiest}`)
      for (const key of sim.exports.map((e) => e.key)) {
        assert.ok(
          sim.requests.some((r) => r.origin === 'cdn' && r.path.startsWith(`/videos/${key}/`)),
          `${key} was downloaded`
        )
      }
    }))
})

describe('videos whose URL lags after 100%', () => {
  it('read the export record within the same budget as their progress checks', () =>
    withSimulator({ renderMs: 1500, urlLagMs: 5000 }, async (sim) => {
      const manifest = `videos:\n${Array.from({ length: 4 }, (_, i) => `  - name: v${i}\n    project-id: ${SAMPLE_PROJECT_ID}\n`).join('')}`
      const run = await runAction({
        workspace: makeWorkspace({ 'videos.yml': manifest }),
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          manifest: 'videos.yml',
          'max-parallel': '4',
          'upload-artifact': 'false'
        }
      })
      assert.equal(run.code, 0, run.stdout)
      const keys = new Set(sim.exports.map((e) => e.key))
      const recordReads = sim.requests.filter(
        (r) => r.method === 'GET' && keys.has(r.path.split('/').pop() ?? '') && r.path.includes('/editor/project/')
      )
      // The fault under test: the lag made the wait read records besides its polls.
      assert.ok(recordReads.length > 0, 'the URL lag made the wait read export records')
      const calls = sim.requests
        .filter((r) => r.at >= Math.min(...recordReads.map((read) => read.at)) - 5000)
        .filter((r) => r.method === 'GET' && (r.path.startsWith('/api/odin/v3/editor/progress/') || recordReads.includes(r)))
        .map((r) => r.at)
      const busiest = Math.max(...calls.map((at) => calls.filter((other) => other >= at && other < at + 750).length))
      assert.ok(busiest <= 2, `at most 2 API calls about the render within any 750 ms of the simulator's log, saw ${busiest}`)
    }))
})
