import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { JsonObject } from '../../src/domain.ts'
import { resumeMismatches } from '../../src/video/resume-check.ts'

const avatar = (org: string): JsonObject => ({ type: 'aiModel', script: { org } })
const body = (name: string, ...speech: string[]): JsonObject => ({ name, scenes: speech.map((org) => ({ clips: [avatar(org)] })) })

describe('resumeMismatches', () => {
  it('finds nothing when the record is what the step would export', () => {
    assert.deepEqual(resumeMismatches({ ...body('Promo', 'Hello', 'Bye'), state: 'exported' }, body('Promo', 'Hello', 'Bye')), [])
  })

  it('names a different name and the first scene whose speech differs', () => {
    assert.deepEqual(resumeMismatches(body('Promo KO', 'Hello', '안녕하세요'), body('Promo EN', 'Hello', 'Hi there')), [
      `it is named "Promo KO", the step's video "Promo EN"`,
      `the speech of scene 1 is "안녕하세요", the step's "Hi there"`
    ])
  })

  it('reads dialogue lines from scripts[] before the clips, and counts scenes', () => {
    const dialogue = (lines: string[]): JsonObject => ({ name: 'D', scenes: [{ scripts: lines.map((org) => ({ org })), clips: [avatar('old')] }] })
    assert.deepEqual(resumeMismatches(dialogue(['a', 'b']), dialogue(['a', 'b'])), [])
    assert.equal(resumeMismatches(dialogue(['a', 'b']), dialogue(['a', 'c'])).length, 1)
    assert.deepEqual(resumeMismatches(body('P', 'x'), body('P', 'x', 'y')), [`it has 1 scene(s), the step's video 2`])
  })

  it('compares only what the record carries, and quotes its text safely', () => {
    assert.deepEqual(resumeMismatches({ state: 'exported' }, body('P', 'x')), [])
    const [line] = resumeMismatches({ name: '\u001b[31mred::x' }, { name: 'P' })
    assert.ok(!line.includes('\u001b'))
  })
})
