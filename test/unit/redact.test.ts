import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mask, redact, useSink, type Sink } from '../../src/log.ts'
import { terminalText } from '../../src/text.ts'
import { errorMessage } from '../../src/errors.ts'

const quiet: Sink = {
  info: () => undefined,
  warning: () => undefined,
  notice: () => undefined,
  error: () => undefined,
  mask: () => undefined,
  group: (_title, work) => work(),
  progress: () => undefined
}

describe('redact', () => {
  useSink(quiet)
  mask('app-id-7f3a')
  mask('user key/with "quotes"')

  it('hides a masked secret as written, URL-encoded and JSON-escaped', () => {
    assert.equal(redact('bad app app-id-7f3a key'), 'bad app *** key')
    assert.equal(redact(`?k=${encodeURIComponent('user key/with "quotes"')}`), '?k=***')
    assert.equal(redact(JSON.stringify({ msg: 'user key/with "quotes"' })), '{"msg":"***"}')
    assert.equal(redact('nothing secret'), 'nothing secret')
  })

  it('reaches every error message the action writes', () => {
    assert.equal(errorMessage(new Error('the API said: app-id-7f3a is unknown')), 'the API said: *** is unknown')
  })
})

describe('terminalText', () => {
  it('drops escape sequences, bells, carriage returns and direction overrides, keeping newlines and tabs', () => {
    // The whole sequence goes, not only its ESC: no '[2J' or ']0;title' left behind.
    assert.equal(terminalText('a\u001b[2Jb\u0007c\rd\u202ee\u2066f\n\tg'), 'abcdef\n\tg')
    assert.equal(terminalText('\u001b]0;title\u0007x'), 'x')
  })
})
