/**
 * Attack (attack1): the split of main.ts into src/modes/. A matrix job (manifest-entry set) whose `plan`
 * input does not read as a boolean used to be refused by readJob and still leave its result record, so the
 * collect job named the job's own error; now main.ts refuses it before any mode and leaves none, and collect
 * can only say "no result". Expected to FAIL while the bug is there.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 300 })

describe('a matrix job refused for its plan input', () => {
  it('leaves its result record, naming the refusal, as a job refused for any other input does', async () => {
    const runId = 9400
    const workspace = makeWorkspace({ 'videos.yml': `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n` })
    const inputs = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, manifest: 'videos.yml', 'manifest-entry': 'a' }
    // Control: a refused `fail-fast` leaves the record.
    const control = await runAction({ workspace, inputs: { ...inputs, 'fail-fast': 'maybe' }, env: world.artifacts.envForRun(runId + 1) })
    assert.equal(control.code, 1)
    const records = (run: number) => world.artifacts.artifacts.filter((a) => a.runId === run && a.name.startsWith('aistudios-result-')).length
    assert.equal(records(runId + 1), 1, control.stdout)
    const bad = await runAction({ workspace, inputs: { ...inputs, plan: 'maybe' }, env: world.artifacts.envForRun(runId, 'job-2') })
    assert.equal(bad.code, 1)
    assert.equal(records(runId), 1, `observed: no result record for the job refused for 'plan':\n${bad.stdout}`)
  })
})
