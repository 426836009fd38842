/**
 * Attack (brief item 3): what a saved project or a template holds that the exported copy silently loses.
 *
 * The team reads the English 1.5/1.6 create-project.md (no `dictionary`) as the current body: the field is
 * not sent, and is named in a warning (a saved project's in test/action-contract.test.ts, a template's here).
 * The attack read it otherwise:
 * DeepBrain's docs list `dictionary` ("User additional speech learning data", Json, optional) as a field of
 * the very create-and-export body the action posts: versioned_docs/version-1.4.x/aistudioV3/reference/export-project.md
 * (line 25; 1.4's name for POST /api/odin/v3/editor/project), its Korean page, and the Chinese 1.5/1.6
 * create-project.md (localization/i18n/zh/.../version-1.6.x/aistudioV3/reference/create-project.md, line 21).
 * So the pronunciation list could go along; dropping it renders (and bills) a video the avatar mispronounces.
 *
 * Worse, a template's own top-level `dictionary` (written as the 1.4 reference documents it) is dropped with
 * no warning at all: fieldsLost is called only for saved projects.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { MINIMAL_V3_BODY, withSimulator } from './simulator/server.ts'

const DICTIONARY = { SQL: 'sequel', GIF: 'jif' }

describe('a pronunciation dictionary is lost', () => {
  it("a template's own top-level dictionary (a create-body field in the 1.4 reference) is sent, or at least named", async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const template = { name: 'With words', dictionary: DICTIONARY, ...MINIMAL_V3_BODY }
      const workspace = makeWorkspace({ 'video/t.json': JSON.stringify(template, null, 2) })
      const run = await runAction({ workspace, inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 'video/t.json' } })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(sim.exports.length, 1)
      const sent = sim.exports[0].body
      const named = /dictionary/.test(run.stdout)
      assert.ok(
        JSON.stringify(sent.dictionary) === JSON.stringify(DICTIONARY) || named,
        `the template's dictionary was dropped without a word (sent keys: ${Object.keys(sent).join(', ')})`
      )
    })
  })
})
