import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createDownloadDispatcher } from '../../src/video/download.ts'
import { transfer } from '../../src/video/transfer.ts'
import { RefusedAddressError, isLoopbackHost, refusedUrl } from '../../src/video/url-policy.ts'

const refused = (url: string, allowLoopback = false) => refusedUrl(new URL(url), allowLoopback)

describe('refusedUrl', () => {
  it('takes https to a public address', async () => {
    assert.equal(await refused('https://93.184.216.34/v.mp4'), undefined)
    assert.equal(await refused('https://[2606:2800:220:1::1]/v.mp4'), undefined)
  })

  it('refuses plain http but to loopback, and other schemes', async () => {
    assert.match((await refused('http://93.184.216.34/v.mp4')) ?? '', /plain http/)
    assert.equal(await refused('http://127.0.0.1:8080/v.mp4', true), undefined)
    assert.match((await refused('ftp://93.184.216.34/v.mp4')) ?? '', /scheme is ftp:/)
  })

  it('refuses private, link-local and mapped addresses, and loopback unless allowed', async () => {
    for (const host of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '[fe80::1]',
      '[fd00::1]',
      '[::ffff:10.0.0.1]',
      '[::ffff:a9fe:a9fe]',
      '[64:ff9b::169.254.169.254]',
      '[64:ff9b::c0a8:101]',
      '[::10.0.0.1]'
    ]) {
      assert.match((await refused(`https://${host}/v.mp4`, true)) ?? '', /private or link-local/, host)
    }
    assert.match((await refused('https://127.0.0.1/v.mp4')) ?? '', /loopback/)
    assert.match((await refused('https://localhost/v.mp4')) ?? '', /loopback/)
    assert.match((await refused('https://[::1]/v.mp4')) ?? '', /loopback/)
    assert.match((await refused('https://[::ffff:7f00:1]/v.mp4')) ?? '', /loopback/)
    assert.equal(await refused('https://[64:ff9b::5db8:d822]/v.mp4'), undefined, 'NAT64 of a public address')
    assert.equal(await refused('https://127.0.0.1/v.mp4', true), undefined)
  })

  it('refuses a user name or password', async () => {
    assert.match((await refused('https://u:p@93.184.216.34/v.mp4')) ?? '', /user name or password/)
  })

  it('tells loopback hosts', () => {
    assert.equal(isLoopbackHost(new URL('http://localhost:3000')), true)
    assert.equal(isLoopbackHost(new URL('http://127.1.2.3')), true)
    assert.equal(isLoopbackHost(new URL('https://app.aistudios.com')), false)
  })
})

describe('the download connection', () => {
  it('checks the address again as it connects: a name that now resolves to loopback is not connected to', async () => {
    let connections = 0
    const server = http.createServer((_req, res) => res.end('video'))
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    // `localhost` stands for a name that passed the first check and answers with loopback the second time.
    const url = `http://localhost:${(server.address() as AddressInfo).port}/v.mp4`
    const get = async (allowLoopback: boolean): Promise<unknown> => {
      const dispatcher = createDownloadDispatcher(5000, allowLoopback)
      try {
        return await transfer(dispatcher, url, { headers: {}, target: () => undefined, onWritten: () => {} })
      } catch (error) {
        return error
      } finally {
        await dispatcher.close()
      }
    }
    try {
      const refusal = await get(false)
      assert.ok(refusal instanceof RefusedAddressError, String(refusal))
      assert.match(refusal.message, /localhost resolved, when connecting, to a loopback address/)
      assert.equal(connections, 0, 'no connection was made')
      // Behind a proxy, a host NO_PROXY sends straight there is checked the same way.
      const proxy = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: 'localhost', no_proxy: 'localhost' }
      const saved = Object.fromEntries(Object.keys(proxy).map((name) => [name, process.env[name]]))
      Object.assign(process.env, proxy)
      try {
        assert.ok((await get(false)) instanceof RefusedAddressError, 'refused behind a proxy too')
      } finally {
        for (const [name, value] of Object.entries(saved))
          if (value === undefined) delete process.env[name]
          else process.env[name] = value
      }
      assert.equal(connections, 0, 'no connection was made')
      assert.equal(((await get(true)) as { statusCode: number }).statusCode, 200, 'allowed where the API is on loopback')
      assert.equal(connections, 1)
    } finally {
      server.close()
    }
  })
})
