import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, Variable } from '../../src/domain.ts'
import { InputError, locate } from '../../src/errors.ts'
import { parseTemplate } from '../../src/job/video-spec.ts'
import { filledText, fillPlaceholders, resolveVariables } from '../../src/request/placeholders.ts'
import { exportFromProject } from '../../src/request/project.ts'
import { detectGeneration } from '../../src/job/template-shape.ts'
import { exportFromTemplate } from '../../src/request/template.ts'
import { parseScriptsInput } from '../../src/job/speech.ts'

/** A legacy avatar complete by the API reference (export-project.mdx), but its script. */
const LEGACY_MODEL = { model: 'M1', clothes: '1', locationX: 0, locationY: 0 }

const vars = (entries: Record<string, string>): Map<string, Variable> =>
  new Map(Object.entries(entries).map(([name, value]) => [name, { value, from: 'variables' }]))

describe('fillPlaceholders', () => {
  it('keeps quotes, backslashes, newlines and Korean text valid JSON', () => {
    const value = '따옴표 "quoted" \\ back\nslash'
    const filled = fillPlaceholders({ a: '##X##' }, vars({ X: value }))
    assert.deepEqual(JSON.parse(JSON.stringify(filled)), { a: value })
  })

  it('fills a placeholder used twice in one string, and several in one string', () => {
    assert.equal(fillPlaceholders('##A## and ##A## with ##B##', vars({ A: '1', B: '2' })), '1 and 1 with 2')
  })

  it('does not re-read a value that itself contains ## or another placeholder', () => {
    assert.equal(fillPlaceholders('##A##', vars({ A: '##B##', B: 'no' })), '##B##')
    assert.equal(fillPlaceholders('##A##', vars({ A: 'C# ## D' })), 'C# ## D')
  })

  it('fills values in nested arrays and objects, never keys, and leaves other types alone', () => {
    const input: Json = { '##K##': ['##V##', 3, true, null, { deep: '##V##' }] }
    assert.deepEqual(fillPlaceholders(input, vars({ K: 'key', V: 'value' })), { '##K##': ['value', 3, true, null, { deep: 'value' }] })
  })

  it('leaves an unknown placeholder as it is', () => {
    assert.equal(fillPlaceholders('##UNKNOWN##', vars({})), '##UNKNOWN##')
  })
})

describe('parseTemplate', () => {
  it('names the line and column of a syntax error', () => {
    assert.throws(
      () => parseTemplate('/ws/t.json', 't.json', '{\n  "a": 1,\n  "b" 2\n}'),
      (error: unknown) =>
        error instanceof InputError &&
        error.location?.line === 3 &&
        error.location.column === 7 &&
        /t\.json:3:7: not valid JSON: Expected ':' after property name$/.test(error.message)
    )
  })

  it('places an unexpected end at the end of the text', () => {
    assert.throws(() => parseTemplate('/ws/t.json', 't.json', '{\n "a": ['), /t\.json:2:8: not valid JSON: Unexpected end of JSON input/)
  })

  it('refuses a key written twice in one object at its second place, keys compared decoded', () => {
    assert.throws(
      () => parseTemplate('/ws/t.json', 't.json', '{\n  "scenes": [{"a": 1, "b": {"a": 2}}],\n  "\\u0073cenes": []\n}'),
      (error: unknown) =>
        error instanceof InputError &&
        error.location?.line === 3 &&
        error.location.column === 3 &&
        /t\.json:3:3: the key "scenes" is written twice in one object$/.test(error.message)
    )
  })

  it('keeps equal keys in different objects and equal strings as values', () => {
    const text = '{"a": "a", "b": [{"a": 1}, {"a": 2}, "a", "a"], "c": {"a": {"a": 0}}}'
    assert.deepEqual(parseTemplate('/t.json', 't.json', text).data, JSON.parse(text))
  })

  it('locates offsets', () => {
    assert.deepEqual(locate('ab\ncd', 4), { line: 2, column: 2 })
  })
})

describe('detectGeneration', () => {
  it('tells the shapes apart', () => {
    assert.equal(detectGeneration([{ AIModel: {}, clips: [] }]), 'legacy')
    assert.equal(detectGeneration([{ clips: [{ type: 'image', detail: { url: 'x' } }] }]), 'legacy')
    assert.equal(detectGeneration([{ clips: [{ type: 'aiModel', script: { org: 'x' } }] }]), 'v3')
    assert.equal(detectGeneration([{ scripts: [] }]), 'v3')
    assert.equal(detectGeneration([{ AIModel: {} }, { clips: [{ type: 'aiModel' }] }]), 'mixed')
    assert.equal(detectGeneration([{}]), undefined)
  })
})

describe('exportFromTemplate', () => {
  const template = (data: Json) => ({ file: '/ws/t.json', name: 't.json', text: JSON.stringify(data, null, 2), data })

  it('keeps only the fields a create-and-export body holds', () => {
    const avatar = {
      id: 'a',
      type: 'aiModel',
      layer: 1,
      top: 0,
      left: 0,
      width: 9,
      height: 9,
      script: { org: 'a' },
      model: { ai_name: 'M1', emotion: 'C1' }
    }
    const background = { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' }
    const data = { _id: 'x', createdAt: 'y', name: 'N', scenes: [{ background, clips: [avatar] }], resolution: '480' }
    const { request } = exportFromTemplate(template(data), vars({}), [], { workspaceId: 'ws' }, undefined)
    const scenes = [{ background, clips: [avatar], sceneIdx: 0, scripts: [{ org: 'a', isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }] }]
    assert.deepEqual(request, {
      generation: 'v3',
      body: { name: 'N', orientation: 'landscape', scenes, isExport: true, resolution: '480', workspaceId: 'ws' }
    })
  })

  it('reports variables that match no placeholder', () => {
    const data = { scenes: [{ AIModel: { ...LEGACY_MODEL, script: '##S##' } }] }
    const result = exportFromTemplate(template(data), vars({ S: 'hi', TYPO: 'x' }), [], {}, undefined)
    assert.deepEqual(result.unusedVariables, ['TYPO'])
    assert.deepEqual(result.request.body, { scenes: [{ AIModel: { ...LEGACY_MODEL, script: 'hi' } }] })
  })

  it('sets per-scene speech after filling, its own placeholders filled like the template strings', () => {
    const data = { scenes: [{ AIModel: { ...LEGACY_MODEL, script: '##S##' } }] }
    const { request } = exportFromTemplate(template(data), vars({ S: 'x' }), [{ scene: 0, text: '##S## literal', from: 'scripts' }], {}, undefined)
    assert.deepEqual(request.body, { scenes: [{ AIModel: { ...LEGACY_MODEL, script: 'x literal' } }] })
  })

  it('lets an input force the generation of an ambiguous template', () => {
    const { request } = exportFromTemplate(template({ scenes: [{}] }), vars({}), [], {}, 'legacy')
    assert.equal(request.generation, 'legacy')
  })
})

describe('parseScriptsInput', () => {
  it('reads INDEX: text lines, skipping blanks and comments, with YAML quoting', () => {
    assert.deepEqual(parseScriptsInput('0: Hello: world\n\n# note\n 2 : "Two\\nlines"\n'), [
      { scene: 0, text: 'Hello: world', from: 'scripts', at: { where: 'line 1' } },
      { scene: 2, text: 'Two\nlines', from: 'scripts', at: { where: 'line 4' } }
    ])
  })

  it('names the line that is not INDEX: text', () => {
    assert.throws(() => parseScriptsInput('0: a\nintro: b'), /Input 'scripts': line 2: expected 'INDEX: text'/)
  })
})

describe('a template with thousands of unresolved placeholders', () => {
  it('names the first fifty and counts the rest', () => {
    const scenes = Array.from({ length: 3000 }, (_, i) => ({ clips: [{ type: 'textImage', text: `##NAME_${i}##` }] }))
    const template = parseTemplate('/t.json', 't.json', JSON.stringify({ scenes }))
    assert.throws(
      () => exportFromTemplate(template, new Map(), [], {}, undefined),
      (error: unknown) =>
        error instanceof InputError &&
        /has 3000 placeholder\(s\) with no value: ##NAME_0## \(line 1\), .*##NAME_49## \(line 1\) and 2950 more\./.test(error.message) &&
        !error.message.includes('##NAME_50##')
    )
  })
})

describe('placeholders in values, speech and tags', () => {
  it('fill a variable value from the others, one level deep', () => {
    const resolved = resolveVariables(vars({ TITLE: 'Release ##VERSION## of ##PRODUCT##', VERSION: '2.0', PRODUCT: 'Widget' }))
    assert.equal(resolved.get('TITLE')?.value, 'Release 2.0 of Widget')
    assert.equal(resolved.get('VERSION')?.value, '2.0')
  })

  it('refuse a value whose placeholder has no variable, or needs a second level, or itself', () => {
    assert.throws(
      () => resolveVariables(vars({ TITLE: 'Release ##VERSION##' })),
      /Input 'variables': the value of TITLE still has ##VERSION## .*no variable has that name/
    )
    assert.throws(() => resolveVariables(vars({ A: '##B##', B: '##C##', C: 'c' })), /the value of A still has ##C## .*one level deep/)
    assert.throws(() => resolveVariables(vars({ A: 'x ##A##' })), /the value of A still has ##A##/)
  })

  it('fill speech and tag values, and refuse one left unfilled naming its source', () => {
    assert.equal(filledText('Version ##V## is out', vars({ V: '2' }), 'the speech of scene 0', 'script-file a.txt'), 'Version 2 is out')
    assert.throws(
      () => filledText('Version ##V## is out', vars({}), 'the speech of scene 0', 'script-file a.txt'),
      (error: unknown) =>
        error instanceof InputError &&
        error.input === 'script-file' &&
        /the speech of scene 0 \(from script-file a\.txt\) has placeholder\(s\) with no value: ##V##; placeholders are filled only in a 'template'/.test(
          error.message
        )
    )
  })

  it('are filled in a template export: values in values, speech, tag values', () => {
    const text = JSON.stringify({ name: '##TITLE##', scenes: [{ AIModel: { ...LEGACY_MODEL, script: 'old' } }] })
    const template = parseTemplate('/t.json', 't.json', text)
    const { request } = exportFromTemplate(
      template,
      vars({ TITLE: 'Release ##VERSION##', VERSION: '2.0' }),
      [{ scene: 0, text: 'Now in ##VERSION##', from: 'script' }],
      {},
      undefined
    )
    assert.deepEqual(request.body, { scenes: [{ AIModel: { ...LEGACY_MODEL, script: 'Now in 2.0' } }] })
    assert.throws(
      () => exportFromTemplate(template, vars({ TITLE: 'x' }), [{ scene: 0, text: '##MISSING##', from: 'scripts-dir s/0.txt' }], {}, undefined),
      /Input 'scripts-dir': the speech of scene 0 \(from scripts-dir s\/0\.txt\) has placeholder\(s\) with no value: ##MISSING##/
    )
  })

  it('are refused in speech and tag values for a saved project, which has no variables', () => {
    const project = { name: 'p', scenes: [{ clips: [{ type: 'aiModel', script: { org: 'old' } }] }] }
    assert.throws(
      () => exportFromProject('p1', project, [{ scene: 0, text: 'Hi ##NAME##', from: 'script' }], {}),
      /Input 'script': the speech of scene 0/
    )
    assert.throws(() => exportFromProject('p1', project, [], {}, [{ tag: 't', value: '##X##', from: 'tags' }]), /Input 'tags': the value of tag 't'/)
  })
})
