/** The live checks (test/live) against the simulator as their target: the code path `npm run test:live` takes. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { registerFreeChecks, registerSpendCheck, type LiveTarget } from './live/checks.ts'
import { DIALOGUE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'

const APP = { appId: 'live-app', userKey: 'live-user-key-5c1d' }

describe('the live checks, against the simulator', () => {
  let sim: Simulator
  let target: LiveTarget
  before(async () => {
    sim = await startSimulator({ renderMs: 200, apps: { [APP.appId]: APP.userKey } })
    target = { apiUrl: sim.apiUrl, ...APP, projectId: DIALOGUE_PROJECT_ID }
  })
  after(() => sim.close())

  registerFreeChecks(() => target)

  it('spent nothing in the free checks: no export, no request that could start one', () => {
    assert.equal(sim.exports.length, 0)
    // Reads, token exchanges, and the draft: created with isExport: false, then deleted.
    const draftCall = (r: Simulator['requests'][number]): boolean =>
      (r.method === 'POST' && r.path === '/api/odin/v3/editor/project' && (JSON.parse(r.body) as { isExport?: unknown }).isExport === false) ||
      (r.method === 'DELETE' && r.path === '/api/odin/v3/editor/project')
    assert.ok(
      !sim.requests.some((r) => r.method !== 'GET' && r.path !== '/api/odin/v3/auth/token' && !draftCall(r)),
      'only reads, token exchanges and the draft'
    )
    assert.equal(sim.drafts.length, 1)
    assert.deepEqual(sim.deleted, [sim.drafts[0].key], 'the draft was deleted')
    assert.ok(
      sim.requests.some((r) => r.path === `/api/odin/v3/editor/project/${DIALOGUE_PROJECT_ID}`),
      'the project was fetched'
    )
  })

  registerSpendCheck(() => target)

  it('spent one 480p export, and deleted its project', () => {
    assert.equal(sim.exports.length, 1)
    assert.equal(sim.exports[0].body.resolution, '480')
    assert.deepEqual(sim.deleted.slice(1), [sim.exports[0].key])
  })
})

describe('npm run test:live without credentials', () => {
  it('skips every check', async () => {
    const file = fileURLToPath(new URL('./live/service.test.ts', import.meta.url))
    // Without NODE_TEST_CONTEXT the child reports as `npm run test:live` does, not to this runner.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('AISTUDIOS_') && name !== 'SPEND' && name !== 'NODE_TEST_CONTEXT')
    )
    const output = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { env, stdio: ['ignore', 'pipe', 'inherit'] })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout }))
    })
    assert.equal(output.code, 0, output.stdout)
    assert.match(output.stdout, /# SKIP AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY are not set/)
    assert.match(output.stdout, /^# pass 0$/m)
    assert.match(output.stdout, /^# skipped 1$/m)
  })
})
