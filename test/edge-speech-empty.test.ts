/**
 * Attack (brief item 1, "speech inputs that produce an empty or odd line"): `script-file`, `scripts-file`
 * and `scripts-dir` refuse empty speech ("file … is empty", "must be non-empty text"), but the inline
 * `scripts` input takes `0:` (or `0: ""`, `0: "   "`) and sends org "" (or blanks): the avatar scene is
 * rendered silent and billed. A typical cause: `scripts: "0: ${{ inputs.text }}"` with the input left empty.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

describe('empty speech from the scripts input', () => {
  for (const [what, scripts] of [
    ['"0:" (an expression that expanded to nothing)', '0:'],
    ['0: ""', '0: ""'],
    ['0: "   " (blanks, quoted)', '0: "   "']
  ] as const) {
    it(`refuses ${what} as script-file refuses an empty file`, async () => {
      await withSimulator({ renderMs: 50 }, async (sim) => {
        const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID }
        // The file input refuses it ...
        const viaFile = await runAction({
          workspace: makeWorkspace({ 's.txt': '   \n' }),
          inputs: { ...base, 'script-file': 's.txt', 'dry-run': 'true' }
        })
        assert.notEqual(viaFile.code, 0, 'script-file refuses an empty file')
        // ... the inline input sends it and pays for a silent scene.
        const run = await runAction({ inputs: { ...base, scripts } })
        const org = (sim.exports[0]?.body.scenes as Array<{ scripts?: Array<{ org: string }> }> | undefined)?.[0].scripts?.[0].org
        assert.equal(sim.exports.length, 0, `exported and billed with scene 0's speech ${JSON.stringify(org)} (exit ${run.code})`)
      })
    })
  }
})
