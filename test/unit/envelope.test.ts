import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseEnvelope, parseRetryAfter } from '../../src/aistudios/envelope.ts'
import { ApiError, AuthError } from '../../src/errors.ts'

const json = (value: unknown): string => JSON.stringify(value)

describe('parseEnvelope', () => {
  it('returns data of a success envelope', () => {
    assert.deepEqual(parseEnvelope('call', 200, {}, json({ success: true, data: { projectId: 'k' } })), { projectId: 'k' })
  })

  it('surfaces the code and message of HTTP 200 with success: false', () => {
    assert.throws(
      () => parseEnvelope('Starting the export', 200, {}, json({ success: false, error: { code: 4001, msg: 'Not enough credits' } })),
      (error: unknown) =>
        error instanceof ApiError &&
        !error.transient &&
        error.code === '4001' &&
        /Starting the export failed: HTTP 200 code 4001: Not enough credits/.test(error.message)
    )
  })

  it('treats a non-2xx envelope as the API error it carries, transient for 5xx', () => {
    assert.throws(
      () => parseEnvelope('c', 503, {}, json({ success: false, error: { code: 503, msg: 'busy' } })),
      (error: unknown) => error instanceof ApiError && error.transient && error.status === 503
    )
    assert.throws(
      () => parseEnvelope('c', 404, {}, json({ success: false, error: { code: 404, msg: 'Project not found' } })),
      (error: unknown) => error instanceof ApiError && !error.transient && error.status === 404
    )
  })

  it('recognises a rejected key in all three shapes', () => {
    assert.throws(() => parseEnvelope('c', 401, {}, json({ success: false, error: { code: 401, msg: 'Unauthorized' } })), AuthError)
    assert.throws(() => parseEnvelope('c', 200, {}, json({ success: false, error: { code: 401, msg: 'Invalid api key' } })), AuthError)
    assert.throws(() => parseEnvelope('c', 200, {}, json({ success: false, error: { code: 4030, msg: 'No access' } })), AuthError)
    assert.throws(
      () => parseEnvelope('c', 401, {}, '<html><head><title>401 Authorization Required</title></head></html>'),
      (error: unknown) => error instanceof AuthError && /HTTP 401: 401 Authorization Required/.test(error.message)
    )
  })

  it('takes no words of a message for a credentials refusal, only statuses and codes', () => {
    for (const msg of ['The script contains a forbidden word', 'Invalid token count', 'Unauthorized character in the script']) {
      assert.throws(
        () => parseEnvelope('c', 400, {}, json({ success: false, error: { code: 400, msg } })),
        (error: unknown) => error instanceof ApiError && !(error instanceof AuthError) && error.apiMessage === msg
      )
    }
    assert.throws(
      () => parseEnvelope('c', 200, {}, json({ success: false, msg: 'Invalid API key' })),
      (error: unknown) => error instanceof ApiError && error.apiMessage === 'Invalid API key'
    )
    assert.throws(
      () => parseEnvelope('c', 403, {}, json({ success: false, error: { code: 403, msg: 'Forbidden' } })),
      (error: unknown) => error instanceof AuthError && !error.unauthorized
    )
  })

  it('treats a gateway HTML page as transient and names its title', () => {
    assert.throws(
      () => parseEnvelope('c', 502, {}, '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>x</body></html>'),
      (error: unknown) => error instanceof ApiError && error.transient && /non-JSON answer \(502 Bad Gateway\)/.test(error.message)
    )
  })

  it('carries Retry-After of a 429', () => {
    assert.throws(
      () => parseEnvelope('c', 429, { 'retry-after': '7' }, json({ success: false, error: { code: 429, msg: 'Too many requests' } })),
      (error: unknown) => error instanceof ApiError && error.transient && error.retryAfterSeconds === 7
    )
  })

  it('refuses a redirect instead of following it with the key', () => {
    assert.throws(
      () => parseEnvelope('c', 301, { location: 'https://elsewhere.example.com/api' }, ''),
      (error: unknown) =>
        error instanceof ApiError &&
        !error.transient &&
        /redirected to https:\/\/elsewhere\.example\.com\/api; redirects are not followed/.test(error.message)
    )
  })

  it('refuses a success envelope without data', () => {
    assert.throws(() => parseEnvelope('c', 200, {}, json({ success: true })), /the answer has no data/)
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', 0), 3)
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000), 6)
    assert.equal(parseRetryAfter('soon', 0), undefined)
    assert.equal(parseRetryAfter(undefined, 0), undefined)
  })
})

describe('ApiError.notFound', () => {
  const refused = (status: number, body: unknown): ApiError => {
    try {
      parseEnvelope('Checking progress of k', status, {}, json(body))
    } catch (error) {
      if (error instanceof ApiError) return error
    }
    throw new Error('no ApiError')
  }

  it('is every shape the API says not found in: status 404, code 404 or NOT_FOUND, or the message', () => {
    assert.ok(refused(404, { success: false, error: { code: 404, msg: 'Gone' } }).notFound)
    assert.ok(refused(200, { success: false, error: { code: 404 } }).notFound)
    assert.ok(refused(200, { success: false, error: { code: 'NOT_FOUND' } }).notFound)
    assert.ok(refused(200, { success: false, error: { code: 'not-found' } }).notFound)
    assert.ok(refused(200, { success: false, msg: 'Project not found' }).notFound)
  })

  it('is not any other failure', () => {
    assert.ok(!refused(200, { success: false, error: { code: 4001, msg: 'Not enough credits' } }).notFound)
    assert.ok(!refused(400, { success: false, error: { code: 'BAD_REQUEST', msg: 'scenes is required' } }).notFound)
  })
})
