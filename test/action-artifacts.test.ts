/**
 * The artifact a user names is named exactly so, and names that must collide or that the artifact
 * service refuses are refused when the inputs are read, before anything is exported.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

let sim: Simulator
let artifacts: ArtifactService
before(async () => {
  sim = await startSimulator({ renderMs: 200 })
  artifacts = await startArtifactService()
})
after(async () => {
  await sim.close()
  await artifacts.close()
})

const TWO = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n`
const valid = (): Record<string, string> => ({ 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID })

describe('artifact-name is the artifact’s exact name', () => {
  it("'my-video' makes an artifact named my-video (zipped, the video inside)", async () => {
    const run = await runAction({ inputs: { ...valid(), 'artifact-name': 'my-video' }, env: artifacts.env })
    assert.equal(run.code, 0, run.stdout)
    const stored = artifacts.artifacts.filter((a) => !a.name.startsWith('aistudios-ledger-'))
    assert.deepEqual(
      stored.map((a) => a.name),
      ['my-video']
    )
    assert.equal(stored[0].mimeType, 'application/zip')
    assert.ok(stored[0].bytes.includes(SAMPLE_VIDEO.subarray(0, 64)), 'the video is inside')
  })

  it("'clip.mp4' makes an artifact named clip.mp4 (the video itself, unzipped)", async () => {
    const run = await runAction({ inputs: { ...valid(), 'artifact-name': 'clip.mp4' }, env: artifacts.envFor('job-clip') })
    assert.equal(run.code, 0, run.stdout)
    const stored = artifacts.artifacts.find((a) => a.job === 'job-clip' && !a.name.startsWith('aistudios-ledger-'))
    assert.equal(stored?.name, 'clip.mp4')
    assert.equal(stored?.mimeType, 'video/mp4')
    assert.deepEqual(stored?.bytes, SAMPLE_VIDEO)
  })
})

describe('artifact names refused before any export', () => {
  it("refuses 'artifact-per-video' with one 'artifact-name' for several videos", async () => {
    const exports = sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': TWO }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'artifact-per-video': 'true', 'artifact-name': 'all' },
      env: artifacts.env
    })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::Input 'artifact-name': names one artifact, but 'artifact-per-video' makes 2, which would collide/)
    assert.equal(sim.exports.length, exports, 'nothing exported')
  })

  for (const bad of ['"', ':', '<', '>', '|', '*', '?', '\\', '/', '\r', '\n']) {
    it(`refuses a name with ${JSON.stringify(bad)}`, async () => {
      const exports = sim.exports.length
      const run = await runAction({ inputs: { ...valid(), 'artifact-name': `my${bad}video` }, env: artifacts.env })
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::Input 'artifact-name': .* contains a character artifacts cannot have/)
      assert.equal(sim.exports.length, exports, 'nothing exported')
    })
  }
})
