/** parseEnvelope at the edges: each status range, each failure shape, and what each error carries. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseEnvelope, parseRetryAfter } from '../../src/aistudios/envelope.ts'
import { ApiError, AuthError } from '../../src/errors.ts'

const json = (value: unknown): string => JSON.stringify(value)
/** The error parseEnvelope throws for one answer. */
function failure(status: number, body: string, headers: Record<string, string | string[]> = {}, flatAllowed = false): Error {
  try {
    parseEnvelope('Call', status, headers, body, { flatAllowed, now: 1_000_000 })
  } catch (error) {
    if (error instanceof Error) return error
  }
  throw new Error('parseEnvelope did not throw')
}
const apiError = (status: number, body: string, headers: Record<string, string | string[]> = {}): ApiError => {
  const error = failure(status, body, headers)
  assert.ok(error instanceof ApiError && !(error instanceof AuthError), error.message)
  return error
}

describe('parseEnvelope: success', () => {
  it('takes data only from a 2xx answer saying success', () => {
    assert.deepEqual(parseEnvelope('Call', 201, {}, json({ success: true, data: { a: 1 } })), { a: 1 })
    assert.deepEqual(parseEnvelope('Call', 299, {}, json({ success: true, data: {} })), {})
    assert.equal(
      apiError(400, json({ success: true, data: { a: 1 } })).message,
      'Call failed: HTTP 400 an unexpected answer: {"success":true,"data":{"a":1}}'
    )
    assert.equal(apiError(200, json({ success: 'true', data: { a: 1 } })).transient, false)
  })

  it('takes a flat legacy answer only where allowed, and never a list or null as data', () => {
    assert.deepEqual(parseEnvelope('Call', 200, {}, json({ success: true, key: 'k' }), { flatAllowed: true }), { success: true, key: 'k' })
    assert.equal(failure(200, json({ success: true, key: 'k' })).message, 'Call failed: HTTP 200 the answer has no data')
    assert.equal(failure(200, json({ success: true, data: [1] }), {}, true).message, 'Call failed: HTTP 200 the answer has no data')
    assert.equal(failure(200, json({ success: true, data: null }), {}, true).message, 'Call failed: HTTP 200 the answer has no data')
    assert.equal((failure(200, json({ success: true })) as ApiError).transient, false)
  })
})

describe('parseEnvelope: redirects', () => {
  it('refuses every 3xx, naming where it pointed (the first Location), never following it', () => {
    for (const status of [300, 302, 307, 399]) {
      const error = apiError(status, '', { location: ['https://a.example/x', 'https://b.example/y'] })
      assert.equal(
        error.message,
        `Call failed: HTTP ${status} the API redirected to https://a.example/x; redirects are not followed, so the key goes to no other host. Check 'api-url'`
      )
      assert.equal(error.transient, false)
    }
    assert.match(apiError(301, '').message, /redirected to nowhere;/)
    assert.doesNotMatch(apiError(400, '', { location: 'https://a.example' }).message, /redirected/)
  })
})

describe('parseEnvelope: failure envelopes', () => {
  it("reads v3's error object and the legacy top-level msg, or message, or says there was none", () => {
    assert.equal(apiError(200, json({ success: false, error: { code: 'E1', msg: 'v3 words' } })).message, 'Call failed: HTTP 200 code E1: v3 words')
    assert.equal(apiError(200, json({ success: false, msg: 'legacy words' })).message, 'Call failed: HTTP 200 legacy words')
    assert.equal(apiError(200, json({ success: false, error: { message: 'other words' } })).apiMessage, 'other words')
    const bare = apiError(200, json({ success: false, error: { code: 7 } }))
    assert.deepEqual([bare.code, bare.apiMessage], ['7', 'no message'])
    assert.equal(apiError(200, json({ success: false, error: { code: { nested: 1 }, msg: 3 } })).code, undefined)
    assert.equal(apiError(200, json({ success: false, error: null, msg: 'top' })).apiMessage, 'top')
  })

  it('is transient for 429 and 5xx, by status or by code, and for nothing else', () => {
    const transient = (status: number, code: unknown): boolean => apiError(status, json({ success: false, error: { code, msg: 'm' } })).transient
    assert.equal(transient(429, 'x'), true)
    assert.equal(transient(500, 'x'), true)
    assert.equal(transient(599, 'x'), true)
    assert.equal(transient(499, 'x'), false)
    assert.equal(transient(428, 'x'), false)
    assert.equal(transient(200, 429), true)
    assert.equal(transient(200, '500'), true)
    assert.equal(transient(200, 599), true)
    assert.equal(transient(200, 499), false)
    assert.equal(transient(200, 600), false)
    assert.equal(transient(200, 4290), false)
  })

  it('carries the Retry-After of any failure envelope', () => {
    assert.equal(apiError(503, json({ success: false, error: { code: 503 } }), { 'retry-after': ['4', '9'] }).retryAfterSeconds, 4)
    assert.equal(apiError(503, json({ success: false, error: { code: 503 } })).retryAfterSeconds, undefined)
  })
})

describe('parseEnvelope: credentials', () => {
  it('refuses credentials by 401/403 status or the auth codes, telling a 401 (not processed) from a 403', () => {
    const auth = (status: number, code?: unknown): AuthError => {
      const error = failure(status, json({ success: false, error: { code, msg: 'm' } }))
      assert.ok(error instanceof AuthError, error.message)
      return error
    }
    assert.equal(auth(401).unauthorized, true)
    assert.equal(auth(403).unauthorized, false)
    assert.equal(auth(200, 401).unauthorized, true)
    assert.equal(auth(200, '4010').unauthorized, true)
    assert.equal(auth(200, 403).unauthorized, false)
    assert.equal(auth(200, 4030).unauthorized, false)
    assert.equal(auth(403, 401).unauthorized, true)
    assert.equal(auth(200, 4010).detail, 'HTTP 200, code 4010: m')
    assert.equal(auth(401).detail, 'HTTP 401: m')
    assert.ok(!(failure(200, json({ success: false, error: { code: 402, msg: 'm' } })) instanceof AuthError))
    assert.ok(!(failure(200, json({ success: false, error: { code: 4011, msg: 'm' } })) instanceof AuthError))
  })

  it('refuses credentials on a 401 or 403 that is not an envelope, naming what the page says', () => {
    const page = failure(401, '<html><body><h1>Denied</h1>   by   the gateway</body></html>')
    assert.ok(page instanceof AuthError && page.unauthorized)
    assert.equal(page.detail, 'HTTP 401: Denied by the gateway')
    const empty = failure(403, '')
    assert.ok(empty instanceof AuthError && !empty.unauthorized)
    assert.equal(empty.detail, 'HTTP 403: no message')
  })
})

describe('parseEnvelope: answers that are no envelope', () => {
  it('takes an empty or non-JSON answer as passing trouble, naming a page by its title or its words', () => {
    const empty = apiError(200, '  \n')
    assert.deepEqual([empty.message, empty.transient], ['Call failed: HTTP 200 an empty answer', true])
    const words = apiError(404, '<p>No\n such <b>thing</b></p>', { 'retry-after': '2' })
    assert.deepEqual([words.message, words.transient, words.retryAfterSeconds], ['Call failed: HTTP 404 a non-JSON answer (No such thing)', true, 2])
    assert.equal(apiError(502, '<TITLE>Bad  gateway</TITLE>').message, 'Call failed: HTTP 502 a non-JSON answer (Bad gateway)')
    assert.equal(apiError(200, 'null').message, 'Call failed: HTTP 200 a non-JSON answer (null)')
    assert.equal(apiError(200, '42').message, 'Call failed: HTTP 200 a non-JSON answer (42)')
  })

  it('cuts a long page to 200 characters', () => {
    assert.equal(apiError(500, 'x'.repeat(200)).apiMessage, `a non-JSON answer (${'x'.repeat(200)})`)
    assert.equal(apiError(500, 'x'.repeat(201)).apiMessage, `a non-JSON answer (${'x'.repeat(200)}…)`)
  })

  it('takes JSON of another shape as unexpected, transient only for 429 and 5xx', () => {
    const other = apiError(200, json({ status: 'ok' }))
    assert.deepEqual([other.message, other.transient], ['Call failed: HTTP 200 an unexpected answer: {"status":"ok"}', false])
    assert.equal(apiError(503, json({ status: 'busy' })).transient, true)
    assert.equal(apiError(429, json([1, 2])).transient, true)
    assert.equal(apiError(418, json([])).transient, false)
  })
})

describe('parseRetryAfter at the edges', () => {
  it('reads fractions and trims, and takes a past date as no wait', () => {
    assert.equal(parseRetryAfter(' 2.5 ', 0), 2.5)
    assert.equal(parseRetryAfter('0', 0), 0)
    assert.equal(parseRetryAfter('', 0), undefined)
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:01 GMT', 5000), 0)
    assert.equal(parseRetryAfter('1e3', 0), undefined)
  })
})
