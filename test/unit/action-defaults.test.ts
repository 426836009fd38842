import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { parse } from 'yaml'
import { ACTION_DEFAULTS, asGiven } from '../../src/job/action-defaults.ts'

// The runner sets every input action.yml declares a default for, on every run: a value equal to its
// default reads as not given, so no "applies only with X" check ever refuses a default (action-defaults.ts).

const reader = (values: Record<string, string>) => asGiven((name) => values[name] ?? '')

describe('asGiven', () => {
  it('reads a value equal to its default as not given, and any other value as given', () => {
    const get = reader({ 'max-jobs': '256', 'max-parallel': '4', 'output-dir': 'videos', timeout: ' 30 ' })
    assert.equal(get('max-jobs'), '')
    assert.equal(get('max-parallel'), '4')
    assert.equal(get('output-dir'), '')
    assert.equal(get('timeout'), '', 'the default with spaces around it')
  })

  it('reads a keyword default in any case, a folder or URL only as written', () => {
    const get = reader({
      wait: ' TRUE ',
      'resume-mismatch': 'Refuse',
      'reuse-from': 'Branch-Or-Default',
      'api-generation': 'AUTO',
      'output-dir': 'Videos'
    })
    assert.equal(get('wait'), '')
    assert.equal(get('resume-mismatch'), '')
    assert.equal(get('reuse-from'), '')
    assert.equal(get('api-generation'), '')
    assert.equal(get('output-dir'), 'Videos')
    assert.equal(reader({ 'api-url': 'https://APP.aistudios.com' })('api-url'), 'https://APP.aistudios.com')
  })

  it('passes an input without a default through as it is, spaces and case kept', () => {
    const get = reader({ script: ' false ', 'api-key': 'Key' })
    assert.equal(get('script'), ' false ')
    assert.equal(get('api-key'), 'Key')
  })

  it('keeps a given value, untrimmed, that differs from its default', () => {
    assert.equal(reader({ wait: ' false ' })('wait'), ' false ')
  })

  it('lists the defaults action.yml declares, those the runner evaluates (${{ … }}) aside', () => {
    const action = parse(fs.readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: string | number | boolean }>
    }
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, input]) => input.default !== undefined && !String(input.default).includes('${{'))
        .map(([name, input]) => [name, String(input.default)])
    )
    assert.deepEqual(ACTION_DEFAULTS, declared)
  })
})
