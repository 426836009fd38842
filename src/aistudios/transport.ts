import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import type { LookupFunction } from 'node:net'
import type { Unreached } from '../domain.js'
import { untilCancelled } from '../waits.js'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

/**
 * An agent with a bound on every phase of a request, and `lookup` (when given) for its connections'
 * names. Behind HTTPS_PROXY (self-hosted runners) it is undici's EnvHttpProxyAgent, which also honours
 * NO_PROXY; otherwise a plain agent (undici 6 warns on stderr whenever an EnvHttpProxyAgent is made,
 * which would only puzzle everyone else).
 */
export function createAgent(timeoutMs: number, lookup?: LookupFunction): Dispatcher {
  const options = { connectTimeout: Math.min(10_000, timeoutMs), headersTimeout: timeoutMs, bodyTimeout: timeoutMs }
  const agentOptions = lookup ? { ...options, connect: { lookup } } : options
  // Behind a proxy, `lookup` judges the hosts reached directly (NO_PROXY): undici's proxy agent builds
  // its own connections, and the proxy resolves the names it is given.
  return PROXY_VARIABLES.some((name) => process.env[name]) ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions)
}

/** The most of an answer that is read: the API's are small JSON (or a gateway's HTML page). */
const MAX_ANSWER_BYTES = 4 << 20

/** An answer larger than anything the API sends: read no further, and not worth asking again. */
class AnswerTooLargeError extends Error {
  constructor(url: URL) {
    super(`the answer from ${url.origin} is larger than ${MAX_ANSWER_BYTES >> 20} MiB; it is not the API's`)
    this.name = 'AnswerTooLargeError'
  }
}

/** No whole answer (headers and body) came within the request's own deadline: it may have reached the server. */
export class RequestDeadlineError extends Error {
  constructor(
    readonly url: URL,
    readonly deadlineMs: number
  ) {
    super(`no whole answer from ${url.host} within ${(deadlineMs / 1000).toFixed(1)} s`)
    this.name = 'RequestDeadlineError'
  }
}

export interface SendOptions {
  /** The run's cancel: aborts the request at once. */
  signal?: AbortSignal
  /** The whole request's bound, body included: an answer trickled a byte at a time cannot outlast it. */
  deadlineMs?: number
}

/**
 * Sends one request and reads its (small, JSON or HTML) answer, at most MAX_ANSWER_BYTES, within its
 * deadline. Never follows redirects.
 */
export async function send(
  dispatcher: Dispatcher,
  url: URL,
  method: 'GET' | 'POST' | 'DELETE',
  headers: Record<string, string>,
  body: string | undefined,
  { signal, deadlineMs }: SendOptions = {}
): Promise<RawResponse> {
  const deadline = deadlineMs === undefined ? undefined : AbortSignal.timeout(Math.max(1, deadlineMs))
  const bounded = signal && deadline ? AbortSignal.any([signal, deadline]) : (signal ?? deadline)
  try {
    // undici applies an abort only once connected: a connect that hangs is left behind, not waited for.
    const response = await untilCancelled(request(url, { dispatcher, method, headers, body, signal: bounded }), bounded)
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length
      if (size > MAX_ANSWER_BYTES) {
        response.body.destroy()
        throw new AnswerTooLargeError(url)
      }
      chunks.push(chunk as Buffer)
    }
    return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }
  } catch (error) {
    if (deadline?.aborted && !signal?.aborted) throw new RequestDeadlineError(url, deadlineMs as number)
    throw error
  }
}

const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

function codesOf(error: unknown): string[] {
  const codes: string[] = []
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string') codes.push(e.code)
    if (codes.length > 5) break
  }
  return codes
}

/**
 * The proxy answered CONNECT with something other than 200: no tunnel, so nothing reached the API.
 * undici says so only in its own error's message (a RequestAbortedError, the code an abort has too).
 */
function proxyRefusedTunnel(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 6;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === 'UND_ERR_ABORTED' && typeof e.message === 'string' && /^Proxy response \(\d+\) !== 200 when HTTP Tunneling$/.test(e.message))
      return true
  }
  return false
}

/**
 * True only when the error proves no byte of the request reached the server: no connection was made
 * (to the API, or to the proxy in front of it), or the proxy refused to open the tunnel. The one case
 * where a credit-spending POST may be sent again.
 */
export function provablyNotSent(error: unknown): boolean {
  return codesOf(error).some((code) => NEVER_SENT_CODES.has(code)) || proxyRefusedTunnel(error)
}

/**
 * Makes NO_PROXY and no_proxy say the same, once, before any client is made: undici reads the
 * lower-case name first even when it is empty, @actions/http-client (the artifact client, Octokit)
 * the first non-empty one. The non-empty one wins, the lower-case one when both are set.
 */
export function normaliseNoProxy(env: NodeJS.ProcessEnv = process.env): void {
  const value = env.no_proxy || env.NO_PROXY
  if (value === undefined) return
  env.no_proxy = value
  env.NO_PROXY = value
}

/** A network-level failure (as opposed to an HTTP answer) that a read may retry. */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof RequestDeadlineError) return true
  const codes = codesOf(error)
  return codes.some((code) => NEVER_SENT_CODES.has(code) || code.startsWith('UND_ERR_') || code.startsWith('ECONN') || code === 'EPIPE')
}

/** What each network failure says about reaching the server, in words for a message. */
const UNREACHED: Record<string, { kind: Unreached; what: string }> = {
  ENOTFOUND: { kind: 'dns', what: 'its host name does not resolve (ENOTFOUND)' },
  EAI_AGAIN: { kind: 'dns', what: 'its host name could not be resolved (EAI_AGAIN, a DNS failure)' },
  ECONNREFUSED: { kind: 'refused', what: 'the connection was refused (ECONNREFUSED): nothing listens at that address' },
  EHOSTUNREACH: { kind: 'unreachable', what: 'the host is unreachable (EHOSTUNREACH)' },
  ENETUNREACH: { kind: 'unreachable', what: 'the network is unreachable (ENETUNREACH)' },
  UND_ERR_CONNECT_TIMEOUT: { kind: 'unreachable', what: 'no connection was made within the connect timeout' },
  UND_ERR_HEADERS_TIMEOUT: { kind: 'no-answer', what: "no answer within 'request-timeout'" },
  UND_ERR_BODY_TIMEOUT: { kind: 'no-answer', what: "the answer stopped coming ('request-timeout')" },
  ECONNRESET: { kind: 'no-answer', what: 'the connection was closed without an answer (ECONNRESET)' },
  UND_ERR_SOCKET: { kind: 'no-answer', what: 'the connection was closed without an answer' }
}

/** How a network failure kept the request from the server or its answer from us; undefined for anything else. */
export function unreached(error: unknown): { kind: Unreached; what: string } | undefined {
  if (error instanceof RequestDeadlineError) return { kind: 'no-answer', what: `${error.message} ('request-timeout')` }
  for (const code of codesOf(error)) if (UNREACHED[code]) return UNREACHED[code]
  return undefined
}
