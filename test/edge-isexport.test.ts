/**
 * Attack (brief item 2): "A template's own "isExport": false ... is never overridden and billed" (README): a
 * legacy template, which the legacy API cannot save unrendered, is refused at its line (a v3 one is a draft).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { MINIMAL_V3_BODY, TEST_API_KEY, withSimulator } from './simulator/server.ts'

const LEGACY = {
  scenes: [{ AIModel: { script: 'Hi', model: 'M000004017', clothes: 'BG00006160', locationX: -0.28, locationY: 0.19, scale: 1 } }]
}

describe('isExport', () => {
  it('a legacy-shaped template saying "isExport": false is refused, not exported and billed', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace({ 't.json': JSON.stringify({ isExport: false, ...LEGACY }, null, 2) })
      const run = await runAction({ workspace, inputs: { 'api-key': TEST_API_KEY, 'api-url': sim.apiUrl, template: 't.json' } })
      // The legacy export answers with cube_used: the user paid for what the template says not to render.
      assert.equal(sim.exports.length, 0, `exported (and billed) although the template says "isExport": false:\n${run.stdout}`)
      assert.notEqual(run.code, 0)
    })
  })

  it('"isExport": "true" (text, as a placeholder fills it) is not refused as a request to save without rendering', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace({ 't.json': JSON.stringify({ isExport: 'true', ...MINIMAL_V3_BODY }, null, 2) })
      const run = await runAction({
        workspace,
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 't.json', 'dry-run': 'true' }
      })
      assert.doesNotMatch(
        run.stdout,
        /"isExport": "true" asks AI Studios to save the project without rendering it/,
        'a wrong reason: "true" asks to render'
      )
    })
  })
})
