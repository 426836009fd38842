/** GitHub's limits: a 2,000-video job keeps its summary and its `videos` output under 1 MiB each. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { TEMPLATE } from './helpers/template-export.ts'
import { withSimulator } from './simulator/server.ts'

const MIB = 1024 * 1024
const VIDEOS = 2000

/** A manifest of 2,000 videos of one template, each with its own values. */
function manifest(): string {
  const lines = ['videos:']
  for (let i = 0; i < VIDEOS; i++) {
    lines.push(
      `  - name: video-${String(i).padStart(4, '0')}-${'x'.repeat(60)}`,
      '    template: t.json',
      `    variables: {PRODUCT: "P${i}", VERSION: "1.${i}"}`
    )
  }
  return lines.join('\n')
}

describe("GitHub's limits with 2,000 videos", () => {
  it('a dry run writes a summary under 1 MiB, the rows and requests beyond its bounds counted', () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'm.yml': manifest(), 't.json': TEMPLATE }),
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml', 'dry-run': 'true' },
        timeoutMs: 120_000
      })
      assert.equal(run.code, 0, run.stdout.slice(-2000))
      assert.equal(sim.exports.length, 0)
      assert.ok(Buffer.byteLength(run.summary) < MIB, `${Buffer.byteLength(run.summary)} bytes of summary`)
      assert.match(run.summary, /… and \d+ more videos, not listed \(the summary has a size limit\)/)
      assert.match(run.summary, /… and \d+ more request\(s\), not shown: each is saved in full in its file/)
      const videos = JSON.parse(run.outputs.videos) as Array<{ name: string; status: string }>
      assert.equal(videos.length, VIDEOS)
      assert.ok(Buffer.byteLength(run.outputs.videos) < MIB)
    }))

  it('the videos output stays under 1 MiB, long fields dropped first and the log saying so; the summary too', () =>
    // Every export is refused with a long message: 2,000 errors of 400 characters would make 1.3 MiB of output.
    withSimulator({ faults: [{ route: 'export', kind: 'status', status: 400, msg: `Refused: ${'r'.repeat(400)}`, times: VIDEOS }] }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'm.yml': manifest(), 't.json': TEMPLATE }),
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml', 'max-parallel': '20', 'upload-artifact': 'false' },
        timeoutMs: 240_000
      })
      assert.equal(run.code, 1)
      const refused = sim.requests.filter((request) => request.method === 'POST' && request.path === '/api/odin/v3/editor/project')
      assert.equal(refused.length, VIDEOS, 'every export was refused')
      assert.ok(Buffer.byteLength(run.outputs.videos) < MIB, `${Buffer.byteLength(run.outputs.videos)} bytes of videos`)
      assert.match(run.stdout, /::warning::The 'videos' output would pass GitHub's 1 MiB limit for an output: error is left empty in every entry/)
      const videos = JSON.parse(run.outputs.videos) as Array<{ name: string; status: string; error: string | null }>
      assert.equal(videos.length, VIDEOS)
      assert.ok(videos.every((video) => video.status === 'failed' && video.error === null))
      assert.ok(Buffer.byteLength(run.summary) < MIB, `${Buffer.byteLength(run.summary)} bytes of summary`)
      assert.match(run.summary, /… and \d+ more failed videos, not listed/)
    }))
})
