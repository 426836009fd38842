/** Self-hosted runners behind a proxy: HTTP(S)_PROXY carries the API's and the CDN's traffic, NO_PROXY is honoured. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createProxy, type ProxyServer } from 'proxy'
import { runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'

let sim: Simulator
let proxy: ProxyServer
let proxyUrl: string
/** Every tunnel the proxy opened (undici tunnels plain http too), as the host:port asked for. */
const forwarded: string[] = []
const hostOf = (url: string): string => new URL(url).host

before(async () => {
  sim = await startSimulator({ renderMs: 300 })
  proxy = createProxy(http.createServer())
  proxy.on('connect', (req: http.IncomingMessage) => forwarded.push(req.url ?? ''))
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
after(async () => {
  await sim.close()
  await new Promise((resolve) => proxy.close(resolve))
})

describe('behind a forward proxy', () => {
  it('sends the API calls and the download through HTTP_PROXY', async () => {
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
      env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '' }
    })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    assert.ok(forwarded.includes(hostOf(sim.apiUrl)), 'the API calls went through the proxy')
    assert.ok(forwarded.includes(hostOf(sim.cdnUrl)), 'the download went through the proxy')
  })

  it('goes direct to the hosts NO_PROXY names', async () => {
    const before = forwarded.length
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
      env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }
    })
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(forwarded.length, before)
  })
})
