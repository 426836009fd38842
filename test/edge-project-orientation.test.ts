/**
 * Attack (brief item 3, what a saved project's re-created copy silently loses): v3ExportBody writes
 * `orientation: own.orientation === 'portrait' ? 'portrait' : 'landscape'`. A template's orientation is
 * checked (parseChoice: trimmed, any case, else refused at its line); a saved project's is not checked at
 * all: anything but exactly "portrait" is silently exported, and billed, as a landscape video. Only a
 * project the step changes is re-created (new speech here); one it does not change is exported as it is.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { MINIMAL_V3_BODY, SAMPLE_PROJECT, withSimulator } from './simulator/server.ts'

describe("a saved project's orientation", () => {
  it('"Portrait", which a template reads as portrait, is exported as portrait from a saved project too', async () => {
    await withSimulator({ renderMs: 50, projects: { tall: { ...structuredClone(SAMPLE_PROJECT), orientation: 'Portrait' } } }, async (sim) => {
      const token = sim.mintToken()
      const workspace = makeWorkspace({ 't.json': JSON.stringify({ orientation: 'Portrait', ...MINIMAL_V3_BODY }) })
      const viaTemplate = await runAction({ workspace, inputs: { 'api-key': token, 'api-url': sim.apiUrl, template: 't.json' } })
      assert.equal(viaTemplate.code, 0, viaTemplate.stdout)
      assert.equal(sim.exports[0].body.orientation, 'portrait', 'the template path reads it as portrait')
      const viaProject = await runAction({ inputs: { 'api-key': token, 'api-url': sim.apiUrl, 'project-id': 'tall', script: 'Hello.' } })
      assert.equal(viaProject.code, 0, viaProject.stdout)
      assert.equal(sim.exports[1].body.orientation, 'portrait', 'the saved project was re-created (and billed) as a landscape video, without a word')
    })
  })

  it('an orientation the action does not know ("square") is refused or named, not silently made landscape', async () => {
    await withSimulator({ renderMs: 50, projects: { sq: { ...structuredClone(SAMPLE_PROJECT), orientation: 'square' } } }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': 'sq', script: 'Hello.', 'dry-run': 'true' }
      })
      assert.ok(
        run.code !== 0 || /orientation/.test(run.stdout.replace(/"orientation": "landscape"/g, '')),
        `silently landscape:\n${run.stdout.slice(0, 400)}`
      )
    })
  })
})
