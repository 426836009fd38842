import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import {
  isPlainObject,
  parseYaml,
  parseYamlDocument,
  parseYamlLeniently,
  refusal,
  scalarText,
  topLevelOffsets,
  writtenAt
} from '../../src/job/yaml.ts'

// How the YAML (and JSON) inputs are read (yaml.ts): every scalar as the text written, and every
// refusal naming the input, where (file:line:column, or line and column of an input) and what is wrong.

const file = { path: '/ws/videos.yml', name: 'videos.yml' }
const refused = (work: () => unknown): InputError => {
  try {
    work()
  } catch (error) {
    assert.ok(error instanceof InputError, String(error))
    return error
  }
  assert.fail('nothing was refused')
}

describe('writtenAt and refusal', () => {
  it("names a file's line and column, or an input's", () => {
    const text = 'a: 1\nbb: 2\n'
    assert.deepEqual(writtenAt(text, 8, file), { where: 'videos.yml:2:4', location: { file: '/ws/videos.yml', line: 2, column: 4 } })
    assert.deepEqual(writtenAt(text, 8), { where: 'line 2, column 4' })
    const error = refusal('variables', text, 5, 'is wrong')
    assert.equal(error.input, 'variables')
    assert.equal(error.detail, 'line 2, column 1: is wrong')
    assert.equal(error.location, undefined)
    assert.deepEqual(refusal('manifest', text, 5, 'is wrong', file).location, { file: '/ws/videos.yml', line: 2, column: 1 })
  })
})

describe('parseYaml', () => {
  it('reads every scalar as the text written, JSON too', () => {
    assert.deepEqual(parseYaml('variables', 'VERSION: 2.0\nON: yes\nEMPTY: ~\nN: 007\n'), { VERSION: '2.0', ON: 'yes', EMPTY: '~', N: '007' })
    assert.deepEqual(parseYaml('tags', '{"title": "Hi", "n": 1}'), { title: 'Hi', n: '1' })
    assert.equal(parseYaml('tags', ''), null)
  })

  it('refuses invalid YAML, naming the input and the line and column, in an input', () => {
    const error = refused(() => parseYaml('variables', 'a: 1\nb: [1, 2\n'))
    assert.equal(error.input, 'variables')
    assert.match(error.detail, /^line \d+, column \d+: not valid YAML\/JSON: \S/)
    assert.doesNotMatch(error.detail, / at line \d+, column \d+:?$/)
    assert.equal(error.location, undefined)
  })

  it("refuses invalid YAML in a file at the file's line and column", () => {
    const error = refused(() => parseYaml('manifest', 'a: 1\na: 2\n', file))
    assert.equal(error.input, 'manifest')
    const [, line, column] = /^videos\.yml:(\d+):(\d+): not valid YAML\/JSON: Map keys must be unique/.exec(error.detail) ?? assert.fail(error.detail)
    assert.deepEqual(error.location, { file: '/ws/videos.yml', line: Number(line), column: Number(column) })
  })

  it('refuses an alias with no anchor, at the alias, in an input too', () => {
    const error = refused(() => parseYaml('variables', 'a: 1\nb: *nope\n'))
    assert.equal(error.detail, 'line 2, column 4: the alias *nope has no anchor &nope before it')
  })

  it('refuses a merge key given a list holding anything but mappings, or a nested list', () => {
    assert.match(refused(() => parseYaml('manifest', 'a: &a {x: 1}\nb:\n  <<: [*a, 3]\n', file)).detail, /^videos\.yml:3:7: a merge key \(<<\) takes/)
    assert.match(refused(() => parseYaml('manifest', 'a: &a {x: 1}\nb:\n  <<: [[*a]]\n', file)).detail, /^videos\.yml:3:7: a merge key/)
    assert.match(refused(() => parseYaml('manifest', 'b:\n  <<: text\n', file)).detail, /^videos\.yml:2:7: a merge key/)
  })

  it('merges a list of mappings and aliases, and takes a plain key that is not <<', () => {
    assert.deepEqual(parseYaml('manifest', 'a: &a {x: 1}\nb:\n  <<: [*a, {y: 2}]\n  z: 3\n'), { a: { x: '1' }, b: { x: '1', y: '2', z: '3' } })
    assert.deepEqual(parseYaml('manifest', "a: &a {x: 1}\nb:\n  '<<x': *a\n"), { a: { x: '1' }, b: { '<<x': { x: '1' } } })
  })

  it('gives the parsed document, with where each node is written', () => {
    const document = parseYamlDocument('manifest', 'x: 1\n', file)
    assert.deepEqual(document.toJS(), { x: '1' })
  })
})

describe('topLevelOffsets', () => {
  it("gives a mapping's keys, as written, at their offsets; the first of a key written twice", () => {
    const document = parseYamlDocument('manifest', 'a: 1\nbb: 2\n')
    assert.deepEqual(
      [...topLevelOffsets(document)],
      [
        ['a', 0],
        ['bb', 5]
      ]
    )
  })

  it("gives a list's items by index", () => {
    const document = parseYamlDocument('manifest', '- a\n- b\n')
    assert.deepEqual(
      [...topLevelOffsets(document)],
      [
        ['0', 2],
        ['1', 6]
      ]
    )
  })

  it('gives nothing for a scalar document', () => {
    assert.equal(topLevelOffsets(parseYamlDocument('manifest', 'text')).size, 0)
  })
})

describe('parseYamlLeniently', () => {
  it('reads what it can as text, and gives undefined for what it cannot', () => {
    assert.deepEqual(parseYamlLeniently('a: 2.0\nb: &x [1]\nc: *x\nd:\n  <<: {e: 1}\n'), { a: '2.0', b: ['1'], c: ['1'], d: { e: '1' } })
    assert.equal(parseYamlLeniently('a: *missing\n'), undefined)
  })
})

describe('scalarText and isPlainObject', () => {
  it('writes a parsed value as text: text as it is, numbers and booleans as written, the rest as JSON', () => {
    assert.equal(scalarText('a b'), 'a b')
    assert.equal(scalarText(2.5), '2.5')
    assert.equal(scalarText(false), 'false')
    assert.equal(scalarText(true), 'true')
    assert.equal(scalarText(Infinity), 'Infinity')
    assert.equal(scalarText(NaN), 'NaN')
    assert.equal(scalarText(null), 'null')
    assert.equal(scalarText(['a', { b: 1 }]), '["a",{"b":1}]')
  })

  it('tells a mapping from a list, null and a scalar', () => {
    assert.deepEqual(
      [{}, { a: 1 }, [], null, 'x', 1].map((value) => isPlainObject(value)),
      [true, true, false, false, false, false]
    )
  })
})
