/**
 * Hostile review (attack2): a saved project exported as it is, where the export endpoint answers the
 * project's own ID (export-project.md answers `projectId`, and nothing says it is a new one).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator } from './simulator/server.ts'

describe('attack2: the export key that is the saved project itself', () => {
  it('wait: false, then resume with cleanup, never deletes the saved project', async () => {
    const sim = await startSimulator({ renderMs: 100, exportKeepsId: true })
    try {
      const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'upload-artifact': 'false' }
      const started = await runAction({ inputs: { ...base, 'project-id': SAMPLE_PROJECT_ID, wait: 'false' } })
      assert.equal(started.code, 0, started.stdout)
      const key = started.outputs['export-key']
      assert.equal(key, SAMPLE_PROJECT_ID)
      // The README's "Don't pay runner minutes" job: resume the printed key, with cleanup.
      const resumed = await runAction({ inputs: { ...base, resume: key, cleanup: 'true' } })
      assert.equal(resumed.code, 0, resumed.stdout)
      assert.deepEqual(
        sim.deleted,
        [],
        `the user's saved project ${SAMPLE_PROJECT_ID} must not be deleted:\n${resumed.stdout
          .split('\n')
          .filter((l) => /cleanup/.test(l))
          .join('\n')}`
      )
    } finally {
      await sim.close()
    }
  })
})

describe('attack2: re-run attempt when the export key is the saved project itself', () => {
  it('attempt 2 re-attaches to attempt 1 export instead of paying again (the project, read back, now shows its export)', async () => {
    const { startArtifactService } = await import('./stand-ins/artifact-service.ts')
    const sim = await startSimulator({ renderMs: 600_000, exportKeepsId: true })
    const artifacts = await startArtifactService()
    try {
      // A project made in the editor, with its pronunciation dictionary (get-project.md, a server-owned field).
      const own = structuredClone(sim.options.projects[SAMPLE_PROJECT_ID]) as Record<string, unknown>
      own.dictionary = [{ word: 'AI', pronunciation: 'ay eye' }]
      sim.options.projects['proj-with-dictionary'] = own
      const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': 'proj-with-dictionary', 'upload-artifact': 'false' }
      const first = await runAction({ inputs: { ...base, timeout: '0.1' }, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
      assert.equal(first.code, 1, first.stdout)
      sim.options.renderMs = 200
      const second = await runAction({ inputs: base, env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
      assert.equal(second.code, 0, second.stdout)
      const exports = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/odin/v3/editor/project/export').length
      assert.equal(
        exports,
        1,
        `paid twice:\n${second.stdout
          .split('\n')
          .filter((l) => /Export|Re-run|notice/.test(l))
          .join('\n')}`
      )
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })
})

describe('attack2: a 5xx after the saved project export was processed, then a re-run attempt', () => {
  it('attempt 2 does not send a second export blindly ("never paid twice")', async () => {
    const { startArtifactService } = await import('./stand-ins/artifact-service.ts')
    const sim = await startSimulator({
      renderMs: 200,
      faults: [{ route: 'export', kind: 'rewrite', status: 502, body: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } }]
    })
    const artifacts = await startArtifactService()
    try {
      const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false' }
      const first = await runAction({ inputs: base, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
      assert.equal(first.code, 1, first.stdout)
      assert.equal(sim.exports.length, 1, 'the 502 came after the export was taken: attempt 1 paid')
      const second = await runAction({ inputs: base, env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
      assert.equal(
        sim.exports.length,
        1,
        `attempt 2 paid a second export after attempt 1's "may have been accepted":\n${second.stdout
          .split('\n')
          .filter((l) => /Export|Re-run|notice|warning|error/.test(l))
          .join('\n')}`
      )
      assert.match(second.stdout, /attempt 1 of this run sent this very request and no answer said whether it was taken/)
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })
})
