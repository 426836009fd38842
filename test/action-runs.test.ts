/** End to end: credentials, dry run, timeouts and resume through dist/index.js. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { CURVES, SAMPLE_PROJECT_ID, SAMPLE_VIDEO, withSimulator } from './simulator/server.ts'

describe('a rejected key', () => {
  for (const authFailure of ['status', 'envelope', 'html'] as const) {
    it(`fails at once, without printing it, when refused as ${authFailure}`, () =>
      withSimulator({ authFailure }, async (sim) => {
        const wrongKey = 'wrong-key-5b1e0d'
        const run = await runAction({ inputs: { 'api-key': wrongKey, 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID } })
        assert.equal(run.code, 1)
        assert.match(run.stdout, /::error::The AI Studios API rejected the credentials/)
        assert.match(run.stdout, /v3 access token: tokens expire 24 hours after they are issued.*Give 'app-id' and 'user-key'/)
        assert.equal(sim.requests.length, 1, 'no retry loop')
        assert.equal(sim.exports.length, 0)
        const shown = run.stdout.replace(`::add-mask::${wrongKey}\n`, '') + run.stderr + run.summary
        assert.ok(!shown.includes(wrongKey))
      }))
  }
})

describe('app-id and user-key', () => {
  it('exchanges them for a token, masks it and renders with it', () =>
    withSimulator({ apiKeys: [], apps: { 'app-123': 'user-key-9d8c7b' } }, async (sim) => {
      const run = await runAction({
        inputs: { 'app-id': 'app-123', 'user-key': 'user-key-9d8c7b', 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID }
      })
      assert.equal(run.code, 0, run.stdout)
      const tokenCall = sim.requests.find((r) => r.path === '/api/odin/v3/auth/token')
      assert.deepEqual(JSON.parse(tokenCall?.body ?? '{}'), { appId: 'app-123', userKey: 'user-key-9d8c7b' })
      const token = sim.requests.find((r) => r.path.includes('/editor/project'))?.headers.authorization
      assert.match(String(token), /^tok-/)
      assert.ok(run.stdout.includes(`::add-mask::${token}`))
      assert.ok(run.stdout.includes('::add-mask::user-key-9d8c7b'))
      const shown = run.stdout.replace(/^::add-mask::.*\n/gm, '') + run.summary + JSON.stringify(run.outputs)
      assert.ok(!shown.includes(String(token)) && !shown.includes('user-key-9d8c7b'))
      assert.equal(sim.exports.length, 1)
      assert.match(run.stdout, /::notice::Not running inside GitHub Actions \(no ACTIONS_RUNTIME_TOKEN\): the artifact upload was skipped/)
      assert.equal(run.outputs['artifact-id'], undefined)
    }))
})

describe('dry run', () => {
  it('prints and saves the exact request and sends nothing that spends credits', () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          'project-id': SAMPLE_PROJECT_ID,
          script: 'Dry speech',
          resolution: '720',
          'dry-run': 'true'
        }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(sim.exports.length, 0)
      assert.deepEqual(
        sim.requests.map((r) => `${r.method} ${r.path}`),
        [`GET /api/odin/v3/editor/project/${SAMPLE_PROJECT_ID}`, 'GET /api/odin/v3/auth']
      )
      assert.match(run.stdout, /Dry run: the API accepts the credentials \(GET \/api\/odin\/v3\/auth\)/)
      assert.match(run.stdout, new RegExp(`POST ${sim.apiUrl}/api/odin/v3/editor/project\\n`))
      assert.match(run.stdout, /Authorization: \*\*\*/)
      const saved = JSON.parse(fs.readFileSync(run.outputs['request-path'], 'utf8'))
      assert.equal(run.outputs['request-path'], path.join(run.workspace, 'videos', 'aistudios-request.json'))
      assert.equal(saved.scenes[0].clips[0].script.org, 'Dry speech')
      assert.equal(saved.resolution, '720')
      assert.match(run.summary, /dry run: nothing was exported/)
    }))
})

describe('a render that does not finish', () => {
  it('times out with the export key, the output set and how to resume', () =>
    withSimulator({ renderMs: 600_000 }, async (sim) => {
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, timeout: '0.1' } })
      const key = sim.exports[0].key
      assert.equal(run.code, 1)
      assert.match(run.stdout, new RegExp(`::error::Timed out after 0\\.1 min waiting for the render of ${key}`))
      assert.match(run.stdout, new RegExp(`::error::Export ${key} was accepted .* resume: ${key}`))
      assert.equal(run.outputs['project-id'], key)
      assert.match(run.summary, new RegExp(`Resume:.*resume: ${key}`))
      assert.equal(sim.exports.length, 1)
    }))

  it('declares a stalled render dead, distinct from the timeout', () =>
    withSimulator({ renderMs: 1000, curve: CURVES.dead }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'stall-timeout': '0.1' }
      })
      const key = sim.exports[0].key
      assert.equal(run.code, 1)
      assert.match(run.stdout, new RegExp(`::error::The render of ${key} stalled: progress stayed at 42\\.5%25 for 0\\.1 min`))
      assert.doesNotMatch(run.stdout, /Timed out/)
      assert.equal(run.outputs['project-id'], key)
    }))
})

describe('resume', () => {
  it('waits for and downloads an export already started, without exporting again', () =>
    withSimulator({ renderMs: 1000 }, async (sim) => {
      const first = await runAction({
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          'project-id': SAMPLE_PROJECT_ID,
          'dry-run': 'false',
          timeout: '0.1',
          'stall-timeout': '0.1'
        }
      })
      assert.equal(first.code, 0, first.stdout)
      const key = sim.exports[0].key
      assert.equal(first.outputs['project-id'], key)
      const again = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, resume: key } })
      assert.equal(again.code, 0, again.stdout)
      assert.equal(sim.exports.length, 1, 'resume sends no export')
      assert.equal(again.outputs['project-id'], key)
      assert.deepEqual(fs.readFileSync(again.outputs['video-path']), SAMPLE_VIDEO)
      assert.match(again.stdout, new RegExp(`::notice::'resume' is set: project ${SAMPLE_PROJECT_ID} is not exported again`))
    }))
})

describe('wait: false, then resume in a later job', () => {
  it('sends the export, reports its key without polling, and a later run downloads it', () =>
    withSimulator({ renderMs: 1000 }, async (sim) => {
      const started = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, wait: 'false' }
      })
      const key = sim.exports[0]?.key
      assert.equal(started.code, 0, started.stdout)
      assert.equal(started.outputs['project-id'], key)
      assert.equal(started.outputs['video-path'], undefined)
      assert.equal(sim.requests.filter((r) => r.path.includes('/editor/progress/')).length, 0, 'no polling')
      assert.match(started.summary, new RegExp(`AI Studios export started.*resume: ${key}`, 's'))
      const finished = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, resume: key } })
      assert.equal(finished.code, 0, finished.stdout)
      assert.equal(sim.exports.length, 1)
      assert.deepEqual(fs.readFileSync(finished.outputs['video-path']), SAMPLE_VIDEO)
    }))
})
