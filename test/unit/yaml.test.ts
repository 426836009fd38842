import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import { MAX_YAML_DEPTH, parseYaml, parseYamlDocument, parseYamlLeniently, yamlDepth, yamlValue } from '../../src/job/yaml.ts'

const file = { path: '/ws/videos.yml', name: 'videos.yml' }
const refusedAt = (line: number, detail: RegExp) => (error: unknown) =>
  error instanceof InputError && error.location?.line === line && new RegExp(`videos\\.yml:${line}:\\d+: ${detail.source}`).test(error.message)

describe('YAML aliases, anchors and merge keys', () => {
  it('resolve an alias to the value its anchor stands for, as text', () => {
    assert.deepEqual(parseYaml('manifest', 'a: &s 2.0\nb: *s\nc: &m {x: 1}\nd: *m\n'), { a: '2.0', b: '2.0', c: { x: '1' }, d: { x: '1' } })
  })

  it('merge keys into a mapping, its own keys winning', () => {
    assert.deepEqual(parseYaml('variables', 'base: &b {A: one, B: two}\nuse:\n  <<: *b\n  B: mine\n'), {
      base: { A: 'one', B: 'two' },
      use: { A: 'one', B: 'mine' }
    })
    assert.deepEqual(parseYaml('variables', '<<: [{A: one}, {B: two}]\n'), { A: 'one', B: 'two' })
  })

  it('resolve inside a node read on its own (one manifest entry)', () => {
    const document = parseYamlDocument('manifest', 'speech: &s Hello\nvideos:\n  - script: *s\n', file)
    const entry = (document.get('videos') as { items: unknown[] }).items[0]
    assert.deepEqual(yamlValue(entry as never, document, 'manifest', '', file), { script: 'Hello' })
  })

  it('refuse an alias with no anchor before it, naming the file and line', () => {
    assert.throws(() => parseYaml('manifest', 'a: 1\nb: *nope\n', file), refusedAt(2, /the alias \*nope has no anchor &nope before it/))
    assert.throws(() => parseYaml('manifest', 'b: *later\na: &later 1\n', file), refusedAt(1, /the alias \*later has no anchor/))
  })

  it('refuse a merge key given anything but mappings, naming the file and line', () => {
    assert.throws(() => parseYaml('manifest', 's: &s text\nm:\n  <<: *s\n', file), refusedAt(3, /a merge key \(<<\) takes a mapping/))
    assert.throws(() => parseYaml('manifest', 'm:\n  x: 1\n  <<: [a, b]\n', file), refusedAt(3, /a merge key/))
  })

  it('refuse a document whose aliases expand past the bound', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 12; i++)
      laughs.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`
      )
    assert.throws(() => parseYaml('manifest', laughs.join('\n'), file), /videos\.yml:1:1: cannot be read: Excessive alias count/)
  })
})

describe('YAML nested past MAX_YAML_DEPTH', () => {
  const deepFlow = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`
  const deepBlock = (levels: number): string => `${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} x\n`

  it(`is ${MAX_YAML_DEPTH} levels at most, and that many are read`, () => {
    assert.equal(MAX_YAML_DEPTH, 64)
    assert.equal(yamlDepth(deepFlow(MAX_YAML_DEPTH)).depth, MAX_YAML_DEPTH)
    assert.doesNotThrow(() => parseYaml('manifest', deepFlow(MAX_YAML_DEPTH), file))
    assert.doesNotThrow(() => parseYaml('manifest', deepBlock(MAX_YAML_DEPTH), file))
  })

  for (const [shape, text, depth, line] of [
    ['a flow sequence 100,000 deep', deepFlow(100_000), 100_000, 1],
    ['a block mapping 5,000 deep', deepBlock(5_000), 5_000, MAX_YAML_DEPTH + 1],
    ['a flow sequence one level too deep', deepFlow(MAX_YAML_DEPTH + 1), MAX_YAML_DEPTH + 1, 1]
  ] as const) {
    it(`refuses ${shape} by its depth, naming the file and where it passes the bound, not with a stack overflow`, () => {
      assert.throws(
        () => parseYaml('manifest', text, file),
        refusedAt(line, new RegExp(`nested ${depth} levels deep, more than the ${MAX_YAML_DEPTH} a YAML input may have`))
      )
      assert.equal(parseYamlLeniently(text), undefined)
    })
  }
})
