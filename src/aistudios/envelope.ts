import { ApiError, AuthError } from '../errors.js'
import { answerData, envelopeAnswer } from './answers.js'

const AUTH_STATUSES = new Set([401, 403])
/**
 * Envelope codes that mean refused credentials: the statuses themselves, and the documented auth codes
 * (4010, 4030; the API contract, section 6). Never words in a message: "forbidden word" is not a key.
 */
const AUTH_CODES = new Set(['401', '403', '4010', '4030'])
/** Codes that say the credential itself was not accepted (as opposed to not allowed): the request was not processed. */
const UNAUTHORIZED_CODES = new Set(['401', '4010'])

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Seconds from a Retry-After header (either delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000)
}

/**
 * A JSON reviver that keeps an integer too large for a double, written as plain digits, as those
 * digits: an export key sent as a number past 2^53 would otherwise become another key (V8 gives the
 * source text). Any other unsafe number (1E21) stays a number, which no key schema takes.
 */
function keepLargeIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  const source = context?.source
  return typeof value === 'number' && !Number.isSafeInteger(value) && source !== undefined && /^\d+$/.test(source) ? source : value
}

function textOf(body: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]
  const text = (title ?? body.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/**
 * Turns one HTTP answer into the envelope's `data`, or throws what went wrong. The API answers
 * failures three ways: a non-2xx status, HTTP 200 with `success: false`, or a gateway's HTML page.
 */
export function parseEnvelope(
  call: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  { flatAllowed = false, now = Date.now() }: { flatAllowed?: boolean; now?: number } = {}
): Record<string, unknown> {
  let json: unknown
  try {
    json = JSON.parse(body, keepLargeIntegers)
  } catch {
    json = undefined
  }
  // A bare value (null, a number) is no envelope; a JSON array is one with nothing in it.
  const envelope = typeof json === 'object' && json !== null ? (envelopeAnswer.safeParse(json).data ?? envelopeAnswer.parse({})) : undefined
  const retryAfter = parseRetryAfter(headerValue(headers['retry-after']), now)
  const transientStatus = status === 429 || status >= 500

  if (status >= 300 && status < 400) {
    const location = headerValue(headers.location) ?? 'nowhere'
    throw new ApiError(
      call,
      status,
      undefined,
      `the API redirected to ${location}; redirects are not followed, so the key goes to no other host. Check 'api-url'`,
      false
    )
  }

  if (envelope?.success === true && status >= 200 && status < 300) {
    const data = answerData.safeParse(envelope.data)
    if (data.success) return data.data
    // The legacy reference answers flat, beside `success`; its tutorials read the same fields under `data`.
    if (flatAllowed && envelope.data === undefined) return envelope
    throw new ApiError(call, status, undefined, 'the answer has no data', false)
  }

  if (envelope && envelope.success === false) {
    // v3 fails with `error: { code, msg }`; the legacy API with `msg` at the top level.
    const error = envelope.error ?? envelope
    const code = error.code
    const msg = error.msg ?? error.message ?? ''
    // A 5xx is the server failing, whatever code its body carries: it proves nothing was refused.
    if (AUTH_STATUSES.has(status) || (code !== undefined && AUTH_CODES.has(code) && status < 500)) {
      const unauthorized = status === 401 || (code !== undefined && UNAUTHORIZED_CODES.has(code))
      throw new AuthError(`HTTP ${status}${code === undefined ? '' : `, code ${code}`}: ${msg || 'no message'}`, undefined, unauthorized)
    }
    const transient = transientStatus || code === '429' || (Number(code) >= 500 && Number(code) < 600)
    throw new ApiError(call, status, code, msg || 'no message', transient, retryAfter, true)
  }

  if (AUTH_STATUSES.has(status)) {
    throw new AuthError(`HTTP ${status}: ${textOf(body) || 'no message'}`, undefined, status === 401)
  }
  if (envelope === undefined) {
    const what = body.trim() === '' ? 'an empty answer' : `a non-JSON answer (${textOf(body)})`
    // A gateway page in front of the API is usually passing trouble, whatever its status.
    throw new ApiError(call, status, undefined, what, true, retryAfter)
  }
  throw new ApiError(call, status, undefined, `an unexpected answer: ${textOf(body)}`, transientStatus, retryAfter)
}
