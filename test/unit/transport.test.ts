import assert from 'node:assert/strict'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { createAgent, isNetworkError, provablyNotSent, send } from '../../src/aistudios/transport.ts'

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
