import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { describeMp4, escapeCell, formatBytes, formatMinutes, quotedValue, terminalText } from '../../src/text.ts'

// Text for people (text.ts): sizes, durations and a video's facts as the summary writes them; a value
// from outside quoted on one line; a table cell and a terminal line that show text as written.

describe('formatBytes', () => {
  it('writes bytes under 1 KiB as bytes, then KiB, MiB and GiB to one decimal', () => {
    assert.equal(formatBytes(0), '0 B')
    assert.equal(formatBytes(1023), '1023 B')
    assert.equal(formatBytes(1024), '1.0 KiB')
    assert.equal(formatBytes(1536), '1.5 KiB')
    assert.equal(formatBytes(1024 * 1024 - 1), '1024.0 KiB')
    assert.equal(formatBytes(1024 * 1024), '1.0 MiB')
    assert.equal(formatBytes(5.5 * 1024 * 1024), '5.5 MiB')
    assert.equal(formatBytes(1024 ** 3), '1.0 GiB')
    assert.equal(formatBytes(3 * 1024 ** 4), '3072.0 GiB', 'GiB is the largest unit')
  })
})

describe('formatMinutes', () => {
  it('writes minutes to one decimal under ten, whole from ten on', () => {
    assert.equal(formatMinutes(90_000), '1.5 min')
    assert.equal(formatMinutes(599_999), '10.0 min')
    assert.equal(formatMinutes(600_000), '10 min')
    assert.equal(formatMinutes(1_830_000), '31 min')
  })
})

describe('describeMp4', () => {
  it('says the duration, the picture size where known and the codecs where any', () => {
    assert.equal(describeMp4({ durationSeconds: 3.46, width: 320, height: 180, codecs: ['avc1', 'mp4a'] }), '3.5 s, 320×180, avc1 + mp4a')
    assert.equal(describeMp4({ durationSeconds: 2, width: 320, height: undefined, codecs: [] }), '2.0 s')
    assert.equal(describeMp4({ durationSeconds: 2, width: undefined, height: 180, codecs: ['avc1'] }), '2.0 s, avc1')
  })
})

describe('quotedValue', () => {
  it('quotes a value on one line, cut to the maximum with an ellipsis', () => {
    assert.equal(quotedValue('a\nb "c"'), '"a\\nb \\"c\\""')
    assert.equal(quotedValue('x'.repeat(100)), JSON.stringify('x'.repeat(100)))
    assert.equal(quotedValue('x'.repeat(101)), JSON.stringify(`${'x'.repeat(100)}…`))
    assert.equal(quotedValue('abcdef', 3), '"abc…"')
  })
})

describe('escapeCell', () => {
  it('puts a text on one line, each run of line breaks and controls one space, trimmed', () => {
    assert.equal(escapeCell('\n a\r\n\tb\u2028c \n'), 'a b c')
  })

  it('keeps a text of exactly the maximum whole', () => {
    assert.equal(escapeCell('abcd', 4), 'abcd')
    assert.equal(escapeCell('abcde', 4), 'abc&#8230;')
  })
})

describe('terminalText: unterminated and one-byte escape sequences', () => {
  it('removes an OSC sequence with no terminator, and the one-byte OSC form with or without one', () => {
    assert.equal(terminalText('a\u001b]0;title'), 'a')
    assert.equal(terminalText('a\u009d0;title\u009cb'), 'ab')
    assert.equal(terminalText('a\u009d0;title\u0007b'), 'ab')
    assert.equal(terminalText('a\u009d0;title'), 'a')
    assert.equal(terminalText('a\u009db'), 'a')
  })

  it('removes a CSI sequence cut short, and two-byte escapes with intermediates or none', () => {
    assert.equal(terminalText('a\u001b[31'), 'a')
    assert.equal(terminalText('a\u001b(Bb'), 'ab')
    assert.equal(terminalText('a\u001b  (Bb'), 'ab')
    assert.equal(terminalText('a\u001b'), 'a')
    assert.equal(terminalText('a\u001bMb'), 'ab')
  })
})
