import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, Variable } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import {
  filledText,
  fillPlaceholders,
  placeholderLeft,
  placeholdersIn,
  refuseLeftPlaceholders,
  refusePlaceholders,
  resolveVariables
} from '../../src/request/placeholders.ts'

// `##NAME##` placeholders (placeholders.ts): filled in string values from 'variables', one level deep,
// and nothing that reads as a placeholder is ever sent unfilled: each refusal names the input and why.

const vars = (entries: Record<string, string>, from = 'variables'): Map<string, Variable> =>
  new Map(Object.entries(entries).map(([name, value]) => [name, { value, from }]))

/** The refusal, or the test fails. */
function refusal(work: () => unknown): InputError {
  try {
    work()
  } catch (error) {
    assert.ok(error instanceof InputError, String(error))
    return error
  }
  assert.fail('nothing was refused')
}

describe('placeholdersIn and fillPlaceholders', () => {
  it('finds each placeholder once, in order, by the name rule (1 to 64 characters, no #, no space at either end)', () => {
    assert.deepEqual(placeholdersIn('##b## ##a## ##b## ##제품## ##x y## ## a## ##a ## ##'), ['##b##', '##a##', '##제품##', '##x y##'])
    assert.deepEqual(placeholdersIn(`##${'n'.repeat(64)}## ##${'n'.repeat(65)}##`), [`##${'n'.repeat(64)}##`])
  })

  it('fills string values at any depth, never keys, and leaves other values and unknown placeholders as they are', () => {
    const body: Json = { '##A##': '##A## and ##B##', list: ['##A##', 3, null, true, { deep: '##A##' }] }
    assert.deepEqual(fillPlaceholders(body, vars({ A: 'x"\n' })), { '##A##': 'x"\n and ##B##', list: ['x"\n', 3, null, true, { deep: 'x"\n' }] })
  })
})

describe('resolveVariables', () => {
  it("fills a value's placeholders from the other values as given, one level deep", () => {
    const resolved = resolveVariables(vars({ FIRST: 'Ada', FULL: '##FIRST## Lovelace' }, 'variables'))
    assert.equal(resolved.get('FULL')?.value, 'Ada Lovelace')
    assert.equal(resolved.get('FIRST')?.from, 'variables')
  })

  it('refuses a value that uses another that itself uses one, naming the input (not its file) and why', () => {
    const error = refusal(() => resolveVariables(vars({ A: 'a', B: '##A##', C: '##B##' }, 'variables-file vars.yml')))
    assert.equal(error.input, 'variables-file')
    // C = ##B## → '##A##', which one level does not fill.
    assert.equal(
      error.detail,
      "the value of C still has ##A## after its placeholders were filled: a value may use other variables' values, one level deep: " +
        'the values it uses are not filled in turn, nor may a value use itself'
    )
  })

  it('refuses a value that uses itself, and one that names no variable', () => {
    const self = refusal(() => resolveVariables(vars({ LOOP: 'again ##LOOP##' })))
    assert.equal(self.input, 'variables')
    assert.match(self.detail, /^the value of LOOP still has ##LOOP## after its placeholders were filled: a value may use other variables' values/)
    const unknown = refusal(() => resolveVariables(vars({ A: '##NOPE## and ##ALSO##' })))
    assert.equal(unknown.detail, 'the value of A still has ##NOPE##, ##ALSO## after its placeholders were filled: no variable has that name')
  })
})

describe('filledText and refusePlaceholders', () => {
  it('fills a text sent to the API, and refuses one left without a value, naming what it is and where it came from', () => {
    assert.equal(filledText('Hello ##WHO##', vars({ WHO: 'you' }), 'the speech of scene 0', 'script'), 'Hello you')
    const error = refusal(() => filledText('##A## ##B##', vars({ C: 'c' }), 'the speech of scene 0', 'script-file s.txt'))
    assert.equal(error.input, 'script-file')
    assert.equal(
      error.detail,
      "the speech of scene 0 (from script-file s.txt) has placeholder(s) with no value: ##A##, ##B##; set them in 'variables' or 'variables-file'"
    )
  })

  it("says placeholders are filled only in a template where there are no variables (a saved project's speech, tags, name)", () => {
    const speech = refusal(() => refusePlaceholders([{ scene: 1, line: 0, text: 'Hi ##X##', from: 'speech' }], []))
    assert.equal(speech.input, 'speech')
    assert.equal(
      speech.detail,
      "the speech of line 0 of scene 1 (from speech) has placeholder(s) with no value: ##X##; placeholders are filled only in a 'template', from 'variables'"
    )
    const tag = refusal(() => refusePlaceholders([], [{ tag: 'title', value: '##T##', from: 'tags' }]))
    assert.equal(
      tag.detail,
      "the value of tag 'title' (from tags) has placeholder(s) with no value: ##T##; placeholders are filled only in a 'template', from 'variables'"
    )
    const name = refusal(() => refusePlaceholders([], [], 'Launch ##DATE##'))
    assert.equal(name.input, 'name')
    assert.match(name.detail, /^the video's name \(from name\) has placeholder\(s\) with no value: ##DATE##;/)
    assert.doesNotThrow(() => refusePlaceholders([{ scene: 0, text: 'plain', from: 'script' }], [{ tag: 't', value: 'v', from: 'tags' }], 'name'))
  })
})

describe('placeholderLeft', () => {
  it('finds the first ##…## in a value, in keys too, with where it stands', () => {
    assert.deepEqual(placeholderLeft('say ##X##'), { at: '(the value)', found: '##X##', inKey: false })
    assert.deepEqual(placeholderLeft({ scenes: [{ a: 1 }, { clips: [null, { text: 'a ##X ## b', more: '##Y##' }] }] }), {
      at: 'scenes[1].clips[1].text',
      found: '##X ##',
      inKey: false
    })
    assert.deepEqual(placeholderLeft({ meta: { '##K##': 'v' } }), { at: 'meta.##K##', found: '##K##', inKey: true })
    assert.deepEqual(placeholderLeft(['ok', ['##Z##']]), { at: '[1][0]', found: '##Z##', inKey: false })
    assert.deepEqual(placeholderLeft({ a: 'plain', b: { c: 1, d: '##D##' } }), { at: 'b.d', found: '##D##', inKey: false })
  })

  it('finds nothing where no string holds one: numbers, null, ## alone, or ## across a line break', () => {
    assert.equal(placeholderLeft({ a: [1, null, true, '#x#', '##a\nb##', '####'], b: { c: 'plain' } }), undefined)
    assert.equal(placeholderLeft(42), undefined)
    assert.equal(placeholderLeft(null), undefined)
  })
})

describe('refuseLeftPlaceholders', () => {
  const refused = (body: Json, input = 'template', text?: { file: string; text: string }): InputError =>
    refusal(() => refuseLeftPlaceholders(body, 't.json', input, text))

  it('passes a body with nothing left', () => {
    assert.doesNotThrow(() => refuseLeftPlaceholders({ name: 'x', scenes: [{ text: 'a # b' }] }, 't.json', 'template'))
  })

  it('refuses a valid placeholder left in a template without a value', () => {
    const error = refused({ scenes: [{ text: '##NAME##' }] })
    assert.equal(error.input, 'template')
    assert.equal(error.detail, 't.json: ##NAME## would be sent as it is (at scenes[0].text): it has no value')
    assert.equal(error.location, undefined)
  })

  it('counts a name in characters, not UTF-16 units: 40 emoji are a valid name', () => {
    const name = '😀'.repeat(40)
    assert.equal(refused({ text: `##${name}##` }).detail, `t.json: ##${name}## would be sent as it is (at text): it has no value`)
  })

  it("says placeholders are filled only in a template where the body is a saved project's", () => {
    assert.equal(
      refused({ name: '##N##' }, 'project-id').detail,
      "t.json: ##N## would be sent as it is (at name): placeholders are filled only in a 'template', from 'variables'"
    )
  })

  it('refuses a placeholder in a key', () => {
    assert.equal(
      refused({ '##K##': 1 }).detail,
      't.json: ##K## would be sent as it is (at ##K##, a key): placeholders are filled in values, never in keys'
    )
  })

  it('refuses what reads as a placeholder but is no valid name, saying the rule', () => {
    assert.equal(
      refused({ text: 'x ##A ##' }).detail,
      "t.json: ##A ## would be sent as it is (at text): 'A ' is not a placeholder name (1 to 64 characters, no '#', not starting or ending with a space)"
    )
  })

  it("gives the line and column in the template's text where it is found there", () => {
    const text = '{\n  "scenes": [\n    { "text": "##NAME##" }\n  ]\n}'
    const error = refused(JSON.parse(text) as Json, 'template', { file: 'videos/t.json', text })
    assert.equal(error.detail, 't.json:3:16: ##NAME## would be sent as it is (at scenes[0].text): it has no value')
    assert.deepEqual(error.location, { file: 'videos/t.json', line: 3, column: 16 })
    const first = refused({ text: '##A##' }, 'template', { file: 'f.json', text: '##A## at the very start' })
    assert.deepEqual(first.location, { file: 'f.json', line: 1, column: 1 })
    const elsewhere = refused({ text: '##A##' }, 'template', { file: 'f.json', text: 'written otherwise' })
    assert.equal(elsewhere.location, undefined)
    assert.match(elsewhere.detail, /^t\.json: ##A##/)
  })
})
