/**
 * The export's answer is not a read's: only a proven refusal means "not exported". Any other answer
 * (a 2xx without data, a 2xx without `success`, a redirect) came after the server processed the POST,
 * so the run says the export may have been accepted and how to find it, and never sends it again.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { TEMPLATE, appTemplateInputs } from './helpers/template-export.ts'
import { SAMPLE_PROJECT_ID, withSimulator, type Fault } from './simulator/server.ts'

const rewrites: { name: string; fault: Fault }[] = [
  { name: '200 {"success":true} without data', fault: { route: 'export', kind: 'rewrite', status: 200, body: '{"success":true}' } },
  {
    name: '200 with data but no success',
    fault: { route: 'export', kind: 'rewrite', status: 200, body: '{"data":{"projectId":"from-the-proxy"}}' }
  },
  { name: 'a 302 redirect', fault: { route: 'export', kind: 'rewrite', status: 302, headers: { Location: 'https://elsewhere.example/' } } },
  // A 5xx is the server failing, whatever code its body carries: neither "too many requests" nor "unauthorized" proves a refusal.
  {
    name: 'a 503 whose envelope says 429',
    fault: { route: 'export', kind: 'rewrite', status: 503, body: '{"success":false,"error":{"code":429,"msg":"upstream busy"}}' }
  },
  {
    name: 'a 500 whose envelope says 4010',
    fault: { route: 'export', kind: 'rewrite', status: 500, body: '{"success":false,"error":{"code":4010,"msg":"session store down"}}' }
  }
]

describe('an export answer that is not a refusal', () => {
  for (const { name, fault } of rewrites) {
    it(`says the export may have been accepted when a proxy rewrites the answer to ${name}`, async () => {
      await withSimulator({ renderMs: 200, faults: [fault] }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
          timeoutMs: 60_000
        })
        assert.equal(sim.options.faults.length, 0, 'the answer was rewritten')
        assert.equal(sim.exports.length, 1, 'the server took the export')
        assert.equal(run.code, 1)
        assert.match(run.stdout, /::error::The export request was sent but no usable answer came back .*The export may have been accepted/)
        assert.doesNotMatch(run.summary, /\(not exported\)/)
        const posts = sim.requests.filter((r) => r.method === 'POST' && /\/editor\/project(\/export)?$/.test(r.path))
        assert.equal(posts.length, 1, 'not sent again')
      })
    })
  }

  it("still reports the API's own refusal as not exported", async () => {
    await withSimulator({ faults: [{ route: 'export', kind: 'envelope', code: 4002, msg: 'Not enough credits' }] }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
        timeoutMs: 60_000
      })
      assert.equal(sim.options.faults.length, 0, 'the refusal was sent')
      assert.equal(run.code, 1)
      assert.match(run.stdout, /Not enough credits/)
      assert.doesNotMatch(run.stdout, /may have been accepted/)
    })
  })
})

describe('a deadline reached before the export is sent', () => {
  it('says the export was not sent when the token exchange outlasts timeout, and bounds the exchange by it', async () => {
    await withSimulator({ apiKeys: [], apps: { app: 'key-1f2e' }, faults: [{ route: 'token', kind: 'delay', ms: 7000 }] }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 't.json': TEMPLATE }),
        inputs: appTemplateInputs(sim.apiUrl, { timeout: '0.1' }),
        timeoutMs: 60_000
      })
      assert.equal(sim.options.faults.length, 0, 'the token answer was delayed')
      assert.equal(sim.requests.filter((r) => r.method === 'POST' && /\/editor\/project(\/export)?$/.test(r.path)).length, 0, 'no export was sent')
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::The export request was not sent \(the render's 'timeout' ran out before it could be sent/)
      assert.doesNotMatch(run.stdout, /may have been accepted/)
      assert.match(run.summary, /\(not exported\)/)
    })
  })
})
