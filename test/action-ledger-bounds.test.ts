/** The ledger upload after an accepted export is bounded by the run's own deadline: a stuck one cannot hold the run. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'
import { startArtifactService } from './stand-ins/artifact-service.ts'

describe('a stuck ledger upload', () => {
  it('publishes the key, and gives up on the ledger at timeout', async () => {
    const artifacts = await startArtifactService({ holdUploads: /ledger/ })
    try {
      await withSimulator({ renderMs: 600_000 }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, timeout: '0.1' },
          env: artifacts.env,
          timeoutMs: 20_000
        })
        const [exported] = sim.exports
        assert.ok(exported, 'the server took the export')
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.equal(run.code, 1)
        assert.equal(run.outputs['export-key'], exported.key)
        assert.match(run.stdout, new RegExp(`::warning::Could not record export ${exported.key} in the ledger`))
        const ledger = artifacts.artifacts.filter((a) => /ledger/.test(a.name))
        assert.ok(ledger.length > 0 && ledger.every((a) => !a.finalized), 'the ledger upload was started and held')
      })
    } finally {
      await artifacts.close()
    }
  })
})
