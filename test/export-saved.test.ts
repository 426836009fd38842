/** The export of a saved project as it is (export-project.md): the simulator's endpoint, through the action's client. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { AiStudiosClient } from '../src/aistudios/client.ts'
import type { ExportRequest, Log } from '../src/domain.ts'
import { ApiError } from '../src/errors.ts'
import { MINIMAL_V3_BODY, SAMPLE_PROJECT, SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'

const quiet: Log = { info() {}, warning() {}, notice() {}, progress() {}, group: (_title, work) => work() }
const saved = (body: ExportRequest['body']): ExportRequest => ({ generation: 'v3', kind: 'saved', body })

describe('POST /editor/project/export', () => {
  let sim: Simulator
  let client: AiStudiosClient
  before(async () => {
    sim = await startSimulator({ renderMs: 0 })
    const url = new URL(sim.apiUrl)
    client = new AiStudiosClient({ v3Url: url, legacyUrl: url, credentials: { apiKey: sim.mintToken() }, requestTimeoutMs: 5000 })
  })
  after(async () => {
    await client.close()
    await sim.close()
  })

  it('is where a saved request goes, and a create-and-export request still goes to /editor/project', () => {
    assert.equal(client.exportTarget(saved({ projectId: 'p' })).url, `${sim.apiUrl}/api/odin/v3/editor/project/export`)
    assert.equal(client.exportTarget({ generation: 'v3', body: {} }).url, `${sim.apiUrl}/api/odin/v3/editor/project`)
    assert.throws(() => client.exportTarget({ generation: 'legacy', kind: 'saved', body: {} }), /Only the v3 API/)
  })

  it("exports the saved project as it is under the export's own key, which is polled as usual", async () => {
    const { key } = await client.startExport(saved({ projectId: SAMPLE_PROJECT_ID, resolution: '720', workspaceId: 'ws-1' }), { log: quiet })
    assert.notEqual(key, SAMPLE_PROJECT_ID)
    assert.equal(sim.exports.length, 1)
    assert.equal(sim.exports[0].path, '/api/odin/v3/editor/project/export')
    assert.deepEqual(sim.exports[0].body, { projectId: SAMPLE_PROJECT_ID, resolution: '720', workspaceId: 'ws-1' })
    const progress = await client.getProgress(key, 'v3', { log: quiet })
    assert.equal(progress.progress, 100)
    assert.ok(progress.downloadUrl)
    const record = await client.getProject(key, { log: quiet })
    assert.equal(record.name, SAMPLE_PROJECT.name)
    assert.deepEqual(record.scenes, SAMPLE_PROJECT.scenes)
  })

  it('refuses an unknown projectId with NOT_FOUND in the envelope: a proven refusal, sent once', async () => {
    const before = sim.requests.length
    await assert.rejects(
      client.startExport(saved({ projectId: 'no-such-project' }), { log: quiet }),
      (error: unknown) => error instanceof ApiError && error.code === 'NOT_FOUND' && error.status === 404
    )
    assert.equal(sim.requests.length - before, 1)
    assert.equal(sim.exports.length, 1)
  })

  it('takes a draft (a project created with isExport: false, neither rendered nor billed) as a saved project', async () => {
    const headers = { Authorization: sim.mintToken(), 'Content-Type': 'application/json' }
    const created = (await (
      await fetch(`${sim.apiUrl}/api/odin/v3/editor/project`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...MINIMAL_V3_BODY, isExport: false })
      })
    ).json()) as { data: { projectId: string } }
    const draft = created.data.projectId
    assert.equal(sim.exports.length, 1, 'a draft is no export')
    assert.deepEqual(
      sim.drafts.map((d) => d.key),
      [draft]
    )
    const { key } = await client.startExport(saved({ projectId: draft }), { log: quiet })
    assert.equal(sim.exports.length, 2)
    assert.deepEqual((await client.getProject(key, { log: quiet })).scenes, MINIMAL_V3_BODY.scenes)
  })
})
