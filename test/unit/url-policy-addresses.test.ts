import assert from 'node:assert/strict'
import dns from 'node:dns'
import { syncBuiltinESMExports } from 'node:module'
import type { LookupAddress } from 'node:dns'
import { afterEach, describe, it } from 'node:test'
import { MAX_REDIRECTS, RefusedAddressError, guardedLookup, isLoopbackHost, refusedAddress, refusedUrl } from '../../src/video/url-policy.ts'

// Where a download may go (url-policy.ts): https only (plain http only to loopback), no credentials in
// the URL, no private, link-local or (unless allowed) loopback address, however the address is written,
// and checked again when connecting. Name lookups are replaced here: no test asks a resolver.

const PRIVATE = 'a private or link-local address'
const LOOPBACK = 'a loopback address'

type Answer = { error?: NodeJS.ErrnoException; addresses?: LookupAddress[] }
const original = { lookup: dns.lookup, promisesLookup: dns.promises.lookup }
/** Makes every name resolve to `answer` (both the callback and the promise API), until the test ends. */
function resolveTo(answer: Answer): void {
  dns.promises.lookup = ((_host: string, options: dns.LookupOptions = {}) => {
    if (answer.error) return Promise.reject(answer.error)
    return Promise.resolve(options.all ? answer.addresses : answer.addresses?.[0])
  }) as unknown as typeof dns.promises.lookup
  dns.lookup = ((_host: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const addresses = answer.addresses ?? []
    if (answer.error) callback(answer.error, undefined, undefined)
    else if (options.all) callback(null, addresses)
    else callback(null, addresses[0].address, addresses[0].family)
  }) as unknown as typeof dns.lookup
  syncBuiltinESMExports()
}
afterEach(() => {
  dns.lookup = original.lookup
  dns.promises.lookup = original.promisesLookup
  syncBuiltinESMExports()
})
const v4 = (address: string): LookupAddress => ({ address, family: 4 })
const v6 = (address: string): LookupAddress => ({ address, family: 6 })

describe('refusedAddress: an address as a resolver gives it', () => {
  it('judges IPv4 written inside IPv6 (dotted tail, mapped, NAT64, compatible) as the IPv4 address it is', () => {
    const cases: Array<[string, string | undefined]> = [
      ['::ffff:169.254.169.254', PRIVATE],
      ['64:ff9b::169.254.169.254', PRIVATE],
      ['64:ff9b::192.168.100.200', PRIVATE],
      ['64:ff9b::93.184.216.34', undefined],
      ['::ffff:93.184.216.34', undefined],
      ['::ffff:127.100.200.201', LOOPBACK],
      ['64:ff9b::127.0.0.1', LOOPBACK],
      ['64:ff9b::7f00:1', LOOPBACK],
      ['::10.200.100.1', PRIVATE],
      ['::5', PRIVATE],
      ['64:ff9b::5', PRIVATE],
      ['64:ff9b::a00:1', PRIVATE]
    ]
    for (const [address, why] of cases) assert.equal(refusedAddress(address, false), why, address)
  })

  it('takes a public IPv4 or IPv6 address, and refuses the unspecified, unique-local, link-local and multicast ones', () => {
    assert.equal(refusedAddress('93.184.216.34', false), undefined)
    assert.equal(refusedAddress('2606:2800:220:1::1', false), undefined)
    for (const address of ['::', 'fd12::1', 'fe80::1', 'ff02::1', '224.0.0.1', '198.18.0.1', '172.31.255.255'])
      assert.equal(refusedAddress(address, false), PRIVATE, address)
  })

  it('refuses loopback unless allowed, and a private address even then', () => {
    assert.equal(refusedAddress('127.0.0.1', false), LOOPBACK)
    assert.equal(refusedAddress('::1', false), LOOPBACK)
    assert.equal(refusedAddress('127.0.0.1', true), undefined)
    assert.equal(refusedAddress('::1', true), undefined)
    assert.equal(refusedAddress('10.0.0.1', true), PRIVATE)
  })
})

describe('isLoopbackHost', () => {
  it('tells loopback by name or address, IPv6 in brackets too', () => {
    assert.equal(isLoopbackHost(new URL('http://[::1]:8080/v.mp4')), true)
    assert.equal(isLoopbackHost(new URL('http://LocalHost:8080/v.mp4')), true)
    assert.equal(isLoopbackHost(new URL('http://[::ffff:7f00:1]/v.mp4')), true)
    assert.equal(isLoopbackHost(new URL('http://[2606:2800:220:1::1]/v.mp4')), false)
    assert.equal(isLoopbackHost(new URL('http://10.0.0.1/v.mp4')), false)
  })
})

describe('refusedUrl', () => {
  const refused = (url: string, allowLoopback = false) => refusedUrl(new URL(url), allowLoopback)

  it('refuses a URL with a user name, or a password, alone', async () => {
    assert.equal(await refused('https://u@93.184.216.34/v.mp4'), 'it carries a user name or password')
    assert.equal(await refused('https://:p@93.184.216.34/v.mp4'), 'it carries a user name or password')
  })

  it('says which scheme it refuses, and refuses plain http to anything but loopback', async () => {
    assert.equal(await refused('file:///etc/passwd'), 'its scheme is file:, not https')
    assert.equal(await refused('http://[2606:2800:220:1::1]/v.mp4'), 'it is plain http (https only, but for loopback)')
    assert.equal(await refused('http://[::1]:3000/v.mp4', true), undefined)
  })

  it('refuses localhost by name, without asking a resolver, unless loopback is allowed', async () => {
    resolveTo({ addresses: [v4('93.184.216.34')] })
    assert.equal(await refused('https://localhost/v.mp4'), LOOPBACK)
    assert.equal(await refused('https://LOCALHOST:8443/v.mp4'), LOOPBACK)
    assert.equal(await refused('http://localhost:3000/v.mp4', true), undefined)
  })

  it('names the host and what it is when an address in the URL is refused, judging the address as written', async () => {
    resolveTo({ addresses: [v4('93.184.216.34')] })
    assert.equal(await refused('https://[fe80::1]/v.mp4'), `fe80::1 is ${PRIVATE}`)
    assert.equal(await refused('https://10.1.2.3/v.mp4'), `10.1.2.3 is ${PRIVATE}`)
  })

  it('looks a name up and refuses it when any of its addresses is refused', async () => {
    resolveTo({ addresses: [v4('93.184.216.34'), v6('fd00::7')] })
    assert.equal(await refused('https://cdn.example.com/v.mp4'), `cdn.example.com is ${PRIVATE}`)
    resolveTo({ addresses: [v4('127.0.0.1')] })
    assert.equal(await refused('https://cdn.example.com/v.mp4'), `cdn.example.com is ${LOOPBACK}`)
    assert.equal(await refused('https://cdn.example.com/v.mp4', true), undefined)
  })

  it('takes a name whose addresses are all public', async () => {
    resolveTo({ addresses: [v4('93.184.216.34'), v6('2606:2800:220:1::1')] })
    assert.equal(await refused('https://cdn.example.com/v.mp4'), undefined)
  })

  it('leaves a name the runner cannot look up to the proxy or the connection', async () => {
    resolveTo({ error: Object.assign(new Error('getaddrinfo ENOTFOUND cdn.example.com'), { code: 'ENOTFOUND' }) })
    assert.equal(await refused('https://cdn.example.com/v.mp4'), undefined)
  })
})

describe('guardedLookup: the check again at connecting', () => {
  const connect = (allowLoopback: boolean, all: boolean): Promise<{ error: Error | null; address: unknown }> =>
    new Promise((resolve) => guardedLookup(allowLoopback)('cdn.example.com', { all }, (error, address) => resolve({ error, address: address })))

  it('passes on an address it may connect to, one or all', async () => {
    resolveTo({ addresses: [v4('93.184.216.34'), v6('2606:2800:220:1::1')] })
    assert.deepEqual(await connect(false, false), { error: null, address: '93.184.216.34' })
    assert.deepEqual(await connect(false, true), { error: null, address: [v4('93.184.216.34'), v6('2606:2800:220:1::1')] })
  })

  it('refuses, naming the host, where the name now resolves to a refused address, one or all', async () => {
    resolveTo({ addresses: [v4('169.254.169.254')] })
    const one = await connect(false, false)
    assert.ok(one.error instanceof RefusedAddressError)
    assert.equal(one.error.name, 'RefusedAddressError')
    assert.equal(one.error.message, `cdn.example.com resolved, when connecting, to ${PRIVATE}`)
    resolveTo({ addresses: [v4('93.184.216.34'), v4('127.0.0.1')] })
    const all = await connect(false, true)
    assert.ok(all.error instanceof RefusedAddressError)
    assert.equal(all.error.message, `cdn.example.com resolved, when connecting, to ${LOOPBACK}`)
    assert.equal((await connect(true, true)).error, null)
  })

  it('passes a lookup error on as it is', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND cdn.example.com'), { code: 'ENOTFOUND' })
    resolveTo({ error: failure })
    assert.equal((await connect(false, false)).error, failure)
  })
})

describe('MAX_REDIRECTS', () => {
  it('follows a CDN’s one or two redirects, and not many more', () => {
    assert.ok(MAX_REDIRECTS >= 2 && MAX_REDIRECTS <= 5)
  })
})
