import assert from 'node:assert/strict'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { ProxyAgent } from 'undici'
import { createAgent, isNetworkError, normaliseNoProxy, provablyNotSent, send } from '../../src/aistudios/transport.ts'

async function failureOf(url: string, timeoutMs = 2000): Promise<unknown> {
  try {
    await send(createAgent(timeoutMs), new URL(url), 'POST', {}, '{}')
  } catch (error) {
    return error
  }
  assert.fail('the request should have failed')
}

describe('provablyNotSent', () => {
  it('is true for a refused connection', async () => {
    const server = http.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    await new Promise((resolve) => server.close(resolve))
    const error = await failureOf(`http://127.0.0.1:${port}/`)
    assert.ok(provablyNotSent(error), String(error))
    assert.ok(isNetworkError(error))
  })

  it('is true when the proxy refuses the tunnel, or cannot be reached', async () => {
    const proxy = http.createServer()
    proxy.on('connect', (_req, socket: import('node:net').Socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'))
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const viaProxy = async (): Promise<unknown> =>
      send(new ProxyAgent(proxyUrl), new URL('http://api.example.test/'), 'POST', {}, '{}').then(
        () => assert.fail('the request should have failed'),
        (error: unknown) => error
      )
    try {
      const refused = await viaProxy()
      assert.ok(provablyNotSent(refused), String(refused))
    } finally {
      await new Promise((resolve) => proxy.close(resolve))
    }
    const down = await viaProxy()
    assert.ok(provablyNotSent(down), String(down))
  })

  it('is false when the server took the request and closed without answering', async () => {
    const server = http.createServer((req) => req.socket.destroy())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const error = await failureOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      assert.equal(provablyNotSent(error), false)
      assert.ok(isNetworkError(error))
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('is false when the answer timed out', async () => {
    const server = http.createServer(() => undefined)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const error = await failureOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 300)
      assert.equal(provablyNotSent(error), false)
      assert.ok(isNetworkError(error))
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('normaliseNoProxy', () => {
  it('makes both names say the non-empty one, the lower-case one when both are set', () => {
    for (const [env, expected] of [
      [{ no_proxy: '', NO_PROXY: '127.0.0.1' }, '127.0.0.1'],
      [{ NO_PROXY: 'a.test' }, 'a.test'],
      [{ no_proxy: 'b.test', NO_PROXY: 'a.test' }, 'b.test']
    ] as const) {
      const copy: NodeJS.ProcessEnv = { ...env }
      normaliseNoProxy(copy)
      assert.deepEqual([copy.no_proxy, copy.NO_PROXY], [expected, expected])
    }
    const none: NodeJS.ProcessEnv = {}
    normaliseNoProxy(none)
    assert.deepEqual(none, {})
  })
})
