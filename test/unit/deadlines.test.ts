/** Deadlines and bounds below the pipeline: a whole request, a body's size, a wait on work that takes no signal. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Agent } from 'undici'
import { READ_RETRY, attemptsFor } from '../../src/aistudios/retry.ts'
import { untilCancelled } from '../../src/waits.ts'
import { RequestDeadlineError, createAgent, isNetworkError, provablyNotSent, send, unreached } from '../../src/aistudios/transport.ts'
import { TooLargeError, transfer } from '../../src/video/transfer.ts'
import { tempDir } from '../helpers/run-action.ts'

/** A server whose every answer is `{"ok":true}` one byte every 100 ms, or an endless body (no length), or a stated length of 1 GiB. */
let server: http.Server
let origin: string
before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/endless') {
      res.writeHead(200)
      const timer = setInterval(() => res.write(Buffer.alloc(64 << 10)), 1)
      return void res.on('close', () => clearInterval(timer))
    }
    if (req.url === '/huge') return void res.writeHead(200, { 'Content-Length': String(1 << 30) }).flushHeaders()
    const body = Buffer.from('{"ok":true}')
    res.writeHead(200, { 'Content-Length': body.length })
    let at = 0
    const timer = setInterval(() => (at < body.length ? res.write(body.subarray(at, ++at)) : (clearInterval(timer), res.end())), 100)
    res.on('close', () => clearInterval(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => {
  server.closeAllConnections()
  server.close()
})

describe('send', () => {
  it('ends a trickled answer at its deadline, though no chunk is ever late', async () => {
    const error = await send(createAgent(5000), new URL(`${origin}/trickle`), 'GET', {}, undefined, { deadlineMs: 300 }).then(
      () => assert.fail('the answer takes more than a second'),
      (e: unknown) => e
    )
    assert.ok(error instanceof RequestDeadlineError, String(error))
    assert.match(error.message, /no whole answer from 127\.0\.0\.1:\d+ within 0\.3 s/)
    assert.ok(isNetworkError(error), 'a read may try again')
    assert.ok(!provablyNotSent(error), 'it reached the server: an export is never sent again')
    assert.deepEqual(unreached(error)?.kind, 'no-answer')
  })

  it('says the cancel, not the deadline, when the cancel came first', async () => {
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(new Error('cancelled')), 100)
    const error = await send(createAgent(5000), new URL(`${origin}/trickle`), 'GET', {}, undefined, { signal: cancel.signal, deadlineMs: 5000 }).then(
      () => assert.fail('cancelled'),
      (e: unknown) => e
    )
    assert.ok(!(error instanceof RequestDeadlineError), String(error))
  })
})

describe('unreached and attemptsFor', () => {
  const withCode = (code: string): Error => Object.assign(new Error('x'), { code })
  it('tells a name that does not resolve, a refusal, an unreachable host and no answer apart', () => {
    assert.equal(unreached(withCode('ENOTFOUND'))?.kind, 'dns')
    assert.equal(unreached(new Error('wrapped', { cause: withCode('ECONNREFUSED') }))?.kind, 'refused')
    assert.equal(unreached(withCode('UND_ERR_CONNECT_TIMEOUT'))?.kind, 'unreachable')
    assert.equal(unreached(withCode('UND_ERR_HEADERS_TIMEOUT'))?.kind, 'no-answer')
    assert.equal(unreached(new Error('HTTP 500')), undefined)
  })
  it('asks a name that does not resolve twice, a refused host three times, anything else as the policy says', () => {
    assert.equal(attemptsFor(withCode('ENOTFOUND'), READ_RETRY), 2)
    assert.equal(attemptsFor(withCode('ECONNREFUSED'), READ_RETRY), 3)
    assert.equal(attemptsFor(withCode('ECONNRESET'), READ_RETRY), READ_RETRY.maxAttempts)
  })
})

describe('untilCancelled', () => {
  it('gives the work its result when no cancel comes', async () => {
    assert.equal(await untilCancelled(Promise.resolve(7), new AbortController().signal), 7)
  })
  it('rejects with the cancel at once, the work left behind', async () => {
    const cancel = new AbortController()
    const never = new Promise<number>(() => {})
    setTimeout(() => cancel.abort(new Error('The run was cancelled (SIGTERM)')), 20)
    await assert.rejects(untilCancelled(never, cancel.signal), /cancelled \(SIGTERM\)/)
  })
})

describe('transfer with maxBytes', () => {
  let dir: string
  let dispatcher: Agent
  before(() => {
    dir = tempDir('aistudios-bounds-')
    dispatcher = new Agent()
  })
  after(() => dispatcher.close())

  const into = (url: string, file: string) =>
    transfer(dispatcher, url, { headers: {}, target: () => ({ path: file, append: false }), onWritten: () => {}, maxBytes: 1 << 20 })

  it('stops a body without a length once it passes the bound', async () => {
    const file = path.join(dir, 'endless')
    await assert.rejects(into(`${origin}/endless`, file), TooLargeError)
    assert.ok(fs.statSync(file).size <= 1 << 20, 'no more than the bound reached the file')
  })

  it('refuses a stated length over the bound before writing anything', async () => {
    const file = path.join(dir, 'huge')
    await assert.rejects(into(`${origin}/huge`, file), TooLargeError)
    assert.ok(!fs.existsSync(file))
  })
})
