import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

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

/** IPv4 written inside IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is. */
function plain(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return { address: mapped[1], family: 'ipv4' }
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' }
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
function refusedAddress(address: string, allowLoopback: boolean): string | undefined {
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
