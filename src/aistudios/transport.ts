import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

/**
 * An agent with a bound on every phase of a request. Behind HTTPS_PROXY (self-hosted runners) it is
 * undici's EnvHttpProxyAgent, which also honours NO_PROXY; otherwise a plain agent (undici 6 warns
 * on stderr whenever an EnvHttpProxyAgent is made, which would only puzzle everyone else).
 */
export function createAgent(timeoutMs: number): Dispatcher {
  const options = { connectTimeout: Math.min(10_000, timeoutMs), headersTimeout: timeoutMs, bodyTimeout: timeoutMs }
  return PROXY_VARIABLES.some((name) => process.env[name]) ? new EnvHttpProxyAgent(options) : new Agent(options)
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

/** Sends one request and reads its (small, JSON or HTML) answer, at most MAX_ANSWER_BYTES. Never follows redirects. */
export async function send(
  dispatcher: Dispatcher,
  url: URL,
  method: 'GET' | 'POST' | 'DELETE',
  headers: Record<string, string>,
  body: string | undefined,
  signal?: AbortSignal
): Promise<RawResponse> {
  const response = await request(url, { dispatcher, method, headers, body, signal })
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
 * True only when the error proves no byte of the request reached the server (no connection was
 * made). The one case where a credit-spending POST may be sent again.
 */
export function provablyNotSent(error: unknown): boolean {
  return codesOf(error).some((code) => NEVER_SENT_CODES.has(code))
}

/** A network-level failure (as opposed to an HTTP answer) that a read may retry. */
export function isNetworkError(error: unknown): boolean {
  const codes = codesOf(error)
  return codes.some((code) => NEVER_SENT_CODES.has(code) || code.startsWith('UND_ERR_') || code.startsWith('ECONN') || code === 'EPIPE')
}
