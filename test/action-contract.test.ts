/**
 * One contract for every body, nothing of the user's dropped silently, through dist/index.js: a saved
 * project is checked as a template is, a template's own `isExport: false` is never billed, a saved
 * project's dictionary is named when the copy loses it, and tag values are what their clips take.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { JsonObject } from '../src/domain.ts'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT, LEGACY_PROJECT, TEST_API_KEY, startSimulator, type Simulator } from './simulator/server.ts'

describe('every body passes one contract, and what the user wrote is kept or named', () => {
  let sim: Simulator
  const broken = structuredClone(DIALOGUE_PROJECT) as { scenes: Array<{ clips: JsonObject[] }> }
  // A clip the reference calls incomplete: an image with no picture.
  broken.scenes[0].clips.push({ id: 'hole', type: 'image', layer: 1, top: 0, left: 0, width: 10, height: 10 })
  const brokenLegacy = structuredClone(LEGACY_PROJECT) as { scenes: Array<{ AIModel?: JsonObject }> }
  const withAvatar = brokenLegacy.scenes.find((scene) => scene.AIModel)
  if (withAvatar?.AIModel) delete withAvatar.AIModel.locationX
  const dictionary = { ...structuredClone(DIALOGUE_PROJECT), dictionary: { SQL: 'sequel' } }
  before(async () => {
    sim = await startSimulator({
      renderMs: 200,
      projects: { broken: broken as unknown as JsonObject, spoken: dictionary as unknown as JsonObject, plain: DIALOGUE_PROJECT },
      legacyProjects: { 'broken-legacy': brokenLegacy as unknown as JsonObject }
    })
  })
  after(() => sim.close())
  const v3 = (): Record<string, string> => ({ 'api-key': sim.mintToken(), 'api-url': sim.apiUrl })
  const exportsSent = (): number => sim.requests.filter((request) => request.method === 'POST' && /\/editor\/project$/.test(request.path)).length

  it('refuses a saved v3 project the reference calls incomplete before exporting it, naming project and clip', async () => {
    const sent = exportsSent()
    const run = await runAction({ inputs: { ...v3(), 'project-id': 'broken', script: 'Hello.' } })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::Input 'project-id': project broken: clip \d+ of scene 0 \(image\) has no source_url \(or resource_url\)/)
    assert.equal(exportsSent(), sent, 'nothing exported')
  })

  it('refuses a saved legacy project without an avatar location before exporting it', async () => {
    const sent = sim.exports.length
    const run = await runAction({
      inputs: { 'api-key': TEST_API_KEY, 'api-url': sim.apiUrl, 'project-id': 'broken-legacy', 'api-generation': 'legacy', script: 'Hi.' }
    })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::Input 'project-id': legacy project broken-legacy: scene \d+: AIModel has no number "locationX"/)
    assert.equal(sim.exports.length, sent)
  })

  it('never bills a template that says "isExport": false: it is saved as a draft, nothing rendered', async () => {
    const template = { ...structuredClone(DIALOGUE_PROJECT), isExport: false }
    const text = JSON.stringify(template, null, 2)
    const exports = sim.exports.length
    const run = await runAction({ workspace: makeWorkspace({ 'draft.json': text }), inputs: { ...v3(), template: 'draft.json' } })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, exports, 'nothing rendered or billed')
    assert.equal(sim.drafts.at(-1)?.body.isExport, false)
    assert.equal(run.outputs['draft-project-id'], sim.drafts.at(-1)?.key)
  })

  it("names a saved project's dictionary that the exported copy loses", async () => {
    const run = await runAction({ inputs: { ...v3(), 'project-id': 'spoken', script: 'Hello.' } })
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /::warning::Project spoken has a dictionary \(its pronunciation list\), which the create-and-export body does not take/)
    const plain = await runAction({ inputs: { ...v3(), 'project-id': 'plain', script: 'Hello.' } })
    assert.doesNotMatch(plain.stdout, /dictionary/)
  })

  it('refuses a tag value an image cannot take, naming the tag, before exporting; a URL is set where the clip keeps its picture', async () => {
    const sent = exportsSent()
    const bad = await runAction({ inputs: { ...v3(), 'project-id': 'plain', tags: 'logo: file:///etc/passwd' } })
    assert.equal(bad.code, 1)
    assert.match(bad.stdout, /::error::Input 'tags': tag 'logo' sets a picture of project plain, which takes an https URL/)
    assert.equal(exportsSent(), sent)
    const good = await runAction({ inputs: { ...v3(), 'project-id': 'plain', tags: 'logo: https://example.com/new.png' } })
    assert.equal(good.code, 0, good.stdout)
    const clips = (sim.exports.at(-1)?.body.scenes as Array<{ clips: JsonObject[] }>).flatMap((scene) => scene.clips)
    const logos = clips.filter((clip) => clip.tag === 'logo')
    assert.ok(logos.length > 0)
    for (const logo of logos) {
      assert.equal(logo.source_url ?? logo.resource_url, 'https://example.com/new.png')
      if ('resource_url' in logo) assert.equal(logo.resource_url, 'https://example.com/new.png', 'no old picture left beside the new one')
    }
  })
})
