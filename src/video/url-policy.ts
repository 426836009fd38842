import * as dns from 'node:dns'
import { lookup } from 'node:dns/promises'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Where a download may go. The URL comes from the API, and each redirect from whoever answered: a
 * hostile server could point the runner at its own network (a cloud's metadata service, a private
 * host) or at plain http. Pure but for the name lookup.
 */

/** Redirects followed in a row; a CDN needs one or two. */
export const MAX_REDIRECTS = 3

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

/** Private, link-local and other non-public ranges, loopback aside. */
const internal = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3]
] as const)
  internal.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8]
] as const)
  internal.addSubnet(net, prefix, 'ipv6')

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included). */
function groupsOf(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address)
  const hex = dotted
    ? address.slice(0, dotted.index) + [(+dotted[1] << 8) | +dotted[2], (+dotted[3] << 8) | +dotted[4]].map((n) => n.toString(16)).join(':')
    : address
  const [head, tail] = hex.split('::') as [string, string | undefined]
  const part = (text: string | undefined): number[] => (text ? text.split(':').map((group) => parseInt(group, 16)) : [])
  const left = part(head)
  const right = part(tail)
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}

/**
 * Prefixes (the first six groups) under which IPv6 carries an IPv4 address in its last 32 bits: mapped
 * (::ffff:0:0/96), NAT64's well-known prefix (64:ff9b::/96) and the old compatible form (::/96).
 */
const IPV4_CARRIERS = ['0,0,0,0,0,65535', '100,65435,0,0,0,0', '0,0,0,0,0,0']

/** IPv4 written inside IPv6 (::ffff:10.0.0.1, 64:ff9b::a00:1) is judged as the IPv4 address it is. */
function plain(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  if (isIP(address) !== 6) return { address, family: 'ipv4' }
  const groups = groupsOf(address)
  const [high, low] = groups.slice(6)
  if (IPV4_CARRIERS.includes(groups.slice(0, 6).join(',')) && (high !== 0 || low > 1))
    return { address: [high >> 8, high & 255, low >> 8, low & 255].join('.'), family: 'ipv4' }
  return { address, family: 'ipv6' }
}

const isLoopbackAddress = (address: string): boolean => {
  const { address: a, family } = plain(address)
  return loopback.check(a, family)
}

/** Whether a URL's host is this machine by its name or address. */
export function isLoopbackHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return host.toLowerCase() === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host))
}

/** Why an address may not be fetched from, or undefined when it may. */
export function refusedAddress(address: string, allowLoopback: boolean): string | undefined {
  if (isLoopbackAddress(address)) return allowLoopback ? undefined : 'a loopback address'
  const { address: a, family } = plain(address)
  return internal.check(a, family) ? 'a private or link-local address' : undefined
}

/**
 * Why a download URL may not be fetched, or undefined when it may: https only (plain http only to
 * loopback, as for 'api-url'), no user or password in it, and no private, link-local or (unless
 * `allowLoopback`: the API itself is on loopback, as in tests) loopback address. A name is looked up
 * first; where the lookup fails (a proxy that resolves names itself) the proxy or the connection decides.
 */
export async function refusedUrl(url: URL, allowLoopback: boolean): Promise<string | undefined> {
  if (url.username || url.password) return 'it carries a user name or password'
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `its scheme is ${url.protocol}, not https`
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (url.protocol === 'http:' && !isLoopbackHost(url)) return 'it is plain http (https only, but for loopback)'
  if (host.toLowerCase() === 'localhost') return allowLoopback ? undefined : 'a loopback address'
  let addresses: string[]
  if (isIP(host)) addresses = [host]
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
    } catch {
      return undefined
    }
  }
  for (const address of addresses) {
    const refused = refusedAddress(address, allowLoopback)
    if (refused) return `${host} is ${refused}`
  }
  return undefined
}

/** A name that resolved, when connecting, to an address a download may not go to. */
export class RefusedAddressError extends Error {
  constructor(host: string, why: string) {
    super(`${host} resolved, when connecting, to ${why}`)
    this.name = 'RefusedAddressError'
  }
}

/**
 * A lookup for the download's connections that refuses what refusedUrl refuses, at the moment of
 * connecting: a name checked once and looked up again to connect could answer otherwise the second
 * time (DNS rebinding).
 */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family)
      const found = typeof address === 'string' ? [address] : address.map((entry) => entry.address)
      for (const each of found) {
        const refused = refusedAddress(each, allowLoopback)
        if (refused) return callback(new RefusedAddressError(hostname, refused), address, family)
      }
      callback(null, address, family)
    })
  }
}
