import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { duplicateKey } from '../../src/job/json-keys.ts'

// JSON.parse keeps the last of a key written twice, silently; the YAML inputs refuse duplicates, so a
// JSON text is checked too: the first key written twice in one object, with its opening quote's offset.

describe('duplicateKey', () => {
  it('finds a key written twice in one object, at the second one’s opening quote', () => {
    const text = '{"a": 1, "b": 2, "a": 3}'
    assert.deepEqual(duplicateKey(text), { key: 'a', offset: text.lastIndexOf('"a"') })
  })

  it('compares keys decoded, and finds one in a nested object', () => {
    const text = '{"outer": {"a": 1,\n  "\\u0061": 2}}'
    assert.deepEqual(duplicateKey(text), { key: 'a', offset: text.indexOf('"\\u0061"') })
  })

  it('takes the same key in different objects, and strings that are values, not keys', () => {
    assert.equal(duplicateKey('{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}], "c": "a"}'), undefined)
    assert.equal(duplicateKey('{"a": "x", "b": "x", "list": ["a", "a"]}'), undefined)
    assert.equal(duplicateKey('[{"a": 1}, {"a": 2}]'), undefined)
  })

  it('reads past escaped quotes and backslashes inside strings', () => {
    const text = '{"q\\"": "a\\\\", "r": "\\"a\\"", "q\\"": 1}'
    assert.deepEqual(duplicateKey(text), { key: 'q"', offset: text.lastIndexOf('"q\\""') })
  })

  it('reads a key after a value of any kind, and after whitespace of each kind', () => {
    const text = '{"a":true,\t"b":null,\r\n"c":-1.5e3 , "d":[1,2],"e":{},"a":0}'
    assert.deepEqual(duplicateKey(text), { key: 'a', offset: text.lastIndexOf('"a"') })
  })

  it('finds nothing in an empty object, a scalar or a text without duplicates', () => {
    for (const text of ['{}', '[]', '"a"', '1', '{"a": 1, "b": {"c": [true, false]}}']) assert.equal(duplicateKey(text), undefined, text)
  })
})
