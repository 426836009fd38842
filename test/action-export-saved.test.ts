/**
 * A saved project the step does not change is exported as it is (`POST /editor/project/export`): one
 * call, nothing created, its options passed as the endpoint takes them, and the money contract of any
 * export (key out at once, ledger, re-run attempts, cleanup).
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { runAction, type ActionRun } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

const posts = (sim: Simulator, path: string): number => sim.requests.filter((r) => r.method === 'POST' && r.path === path).length
const CREATE = '/api/odin/v3/editor/project'
const EXPORT = '/api/odin/v3/editor/project/export'

describe('a saved project the step does not change', () => {
  let sim: Simulator
  let artifacts: ArtifactService
  let first: ActionRun
  let second: ActionRun
  const inputs = (): Record<string, string> => ({
    'api-key': sim.mintToken(),
    'api-url': sim.apiUrl,
    'project-id': SAMPLE_PROJECT_ID,
    resolution: '720',
    'workspace-id': 'ws-1',
    'webhook-url': 'https://hooks.example.com/aistudios',
    cleanup: 'true'
  })

  before(async () => {
    sim = await startSimulator({ renderMs: 600_000 })
    artifacts = await startArtifactService()
    // Attempt 1 times out while the render is still going; attempt 2 of the same job re-attaches.
    first = await runAction({ inputs: { ...inputs(), timeout: '0.1' }, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
    sim.options.renderMs = 500
    second = await runAction({ inputs: inputs(), env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
  })
  after(async () => {
    await sim.close()
    await artifacts.close()
  })

  it('is exported through the export endpoint once, with its options, and nothing is created', () => {
    assert.equal(first.code, 1, first.stdout)
    assert.equal(posts(sim, EXPORT), 1)
    assert.equal(posts(sim, CREATE), 0, 'no create-and-export')
    assert.equal(sim.drafts.length, 0)
    assert.deepEqual(sim.exports[0].body, {
      projectId: SAMPLE_PROJECT_ID,
      workspaceId: 'ws-1',
      resolution: '720',
      webhookUrl: 'https://hooks.example.com/aistudios'
    })
    assert.match(first.stdout, new RegExp(`Exporting: POST ${sim.apiUrl}${EXPORT}`))
  })

  it("owns the export's key at once: the outputs and the ledger of attempt 1 have it", () => {
    const key = sim.exports[0].key
    assert.notEqual(key, SAMPLE_PROJECT_ID)
    assert.equal(first.outputs['export-key'], key)
    assert.ok(artifacts.artifacts.some((a) => a.name.startsWith('aistudios-ledger-') && a.name.endsWith(`-v3-${key}`)))
  })

  it('re-attaches attempt 2 to that export instead of exporting again', () => {
    const key = sim.exports[0].key
    assert.equal(second.code, 0, second.stdout)
    assert.match(second.stdout, new RegExp(`::notice::Re-run attempt 2: an earlier attempt already exported this request as ${key}`))
    assert.equal(posts(sim, EXPORT), 1)
    assert.equal(second.outputs['export-key'], key)
    assert.deepEqual(fs.readFileSync(second.outputs['video-path']), SAMPLE_VIDEO)
  })

  it("with cleanup, deletes the export's project and never the saved one", () => {
    assert.deepEqual(sim.deleted, [sim.exports[0].key])
    assert.ok(sim.options.projects[SAMPLE_PROJECT_ID], 'the saved project is kept')
  })
})

describe('a saved project the step changes', () => {
  it('is re-created with the change, as before', async () => {
    const sim = await startSimulator({ renderMs: 100 })
    try {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, name: 'Renamed', 'upload-artifact': 'false' }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(posts(sim, CREATE), 1)
      assert.equal(posts(sim, EXPORT), 0)
      assert.equal(sim.exports[0].body.name, 'Renamed')
    } finally {
      await sim.close()
    }
  })

  it('an unknown project fails before anything is sent', async () => {
    const sim = await startSimulator({ renderMs: 100 })
    try {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': 'no-such-project', 'upload-artifact': 'false' }
      })
      assert.equal(run.code, 1)
      assert.equal(posts(sim, EXPORT) + posts(sim, CREATE), 0)
    } finally {
      await sim.close()
    }
  })
})

describe('an export of a saved project answered with the project’s own ID', () => {
  it('is downloaded, and cleanup keeps the saved project', async () => {
    const sim = await startSimulator({ renderMs: 100, exportKeepsId: true })
    try {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, cleanup: 'true', 'upload-artifact': 'false' }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(run.outputs['export-key'], SAMPLE_PROJECT_ID)
      assert.deepEqual(sim.deleted, [], 'the saved project is not deleted')
      assert.match(run.stdout, new RegExp(`cleanup: ${SAMPLE_PROJECT_ID} is kept in AI Studios: it is the saved project the video was exported from`))
    } finally {
      await sim.close()
    }
  })
})
