/** exportFromTemplate's refusals and what it fills, each named with its input and place. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, Template, Variable } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { exportFromTemplate } from '../../src/request/template.ts'
import { detectGeneration, templateGeneration } from '../../src/job/template-shape.ts'

const vars = (entries: Record<string, string>): Map<string, Variable> =>
  new Map(Object.entries(entries).map(([name, value]) => [name, { value, from: 'variables' }]))
const template = (data: Json, text = JSON.stringify(data, null, 2)): Template => ({ file: '/ws/t.json', name: 't.json', text, data })
const avatar = { type: 'aiModel', script: { org: 'a' }, model: { ai_name: 'M1', emotion: 'C1' } }
const v3 = (...clips: Json[]): Json => ({ scenes: [{ clips: [avatar, ...clips] }] })

/** Asserts an InputError naming `input`, with exactly `message` after "Input 'x': ", at `location` when given. */
function refuses(work: () => unknown, input: string, message: string, location?: object): void {
  assert.throws(work, (error: unknown) => {
    assert.ok(error instanceof InputError)
    assert.equal(error.input, input)
    assert.equal(error.message, `Input '${input}': ${message}`)
    if (location) assert.deepEqual(error.location, location)
    return true
  })
}

describe('exportFromTemplate refuses', () => {
  it('placeholders with no value, naming each with its line, the first one located', () => {
    const data = { scenes: [{ AIModel: { script: '##A## and ##B##' } }, { AIModel: { script: '##A## ##C##' } }] }
    refuses(
      () => exportFromTemplate(template(data), vars({ B: 'b' }), [], {}, undefined),
      'template',
      "t.json has 2 placeholder(s) with no value: ##A## (line 5), ##C## (line 10). Set them in 'variables' or 'variables-file'",
      { file: '/ws/t.json', line: 5, column: 20 }
    )
  })

  it('names fifty unresolved placeholders and counts the rest', () => {
    const names = Array.from({ length: 53 }, (_, i) => `P${i}`)
    const data = { scenes: [{ AIModel: { script: names.map((name) => `##${name}##`).join(' ') } }] }
    assert.throws(
      () => exportFromTemplate(template(data, JSON.stringify(data)), vars({}), [], {}, undefined),
      (error: unknown) =>
        error instanceof InputError &&
        /has 53 placeholder\(s\) with no value: ##P0## \(line 1\), .*##P49## \(line 1\) and 3 more\. Set/.test(error.message)
    )
    assert.throws(
      () => exportFromTemplate(template({ scenes: [{ AIModel: { script: '##X##' } }] }), vars({}), [], {}, undefined),
      (error: unknown) => error instanceof InputError && !/more/.test(error.message)
    )
  })

  it('a template of neither shape, with no scenes, or with both shapes', () => {
    refuses(
      () => exportFromTemplate(template([]), vars({}), [], {}, undefined),
      'template',
      't.json is neither template shape: it needs a top-level object with a "scenes" array',
      {
        file: '/ws/t.json'
      }
    )
    refuses(
      () => exportFromTemplate(template({ scenes: {} }), vars({}), [], {}, undefined),
      'template',
      't.json is neither template shape: it needs a top-level object with a "scenes" array'
    )
    refuses(() => exportFromTemplate(template({ scenes: [] }), vars({}), [], {}, undefined), 'template', 't.json has an empty "scenes" array', {
      file: '/ws/t.json'
    })
    refuses(
      () => exportFromTemplate(template({ scenes: [{ AIModel: {} }, { clips: [avatar] }] }), vars({}), [], {}, 'v3'),
      'template',
      't.json mixes the v3 shape (clips with "type") and the legacy shape ("AIModel", clips with "detail")',
      { file: '/ws/t.json' }
    )
    refuses(
      () => exportFromTemplate(template({ scenes: [{}] }), vars({}), [], {}, undefined),
      'template',
      "t.json is neither template shape: no scene has an avatar or a clip; set 'api-generation' to v3 or legacy",
      { file: '/ws/t.json' }
    )
  })

  it('a forced generation that the shape contradicts, naming api-generation', () => {
    refuses(
      () => exportFromTemplate(template(v3()), vars({}), [], {}, 'legacy'),
      'api-generation',
      "'legacy' was asked for, but t.json has the v3 shape"
    )
    assert.equal(exportFromTemplate(template(v3()), vars({}), [], {}, 'v3').request.generation, 'v3')
  })

  it('tags on a legacy template, and a tag value with a placeholder that has no value', () => {
    const tag = { tag: 'title', value: 'v', from: 'tags' }
    refuses(
      () => exportFromTemplate(template({ scenes: [{ AIModel: { script: 'x' } }] }), vars({}), [], {}, undefined, [tag]),
      'tags',
      'tags mark clips of v3 projects and templates; t.json has the legacy shape'
    )
    const title = { type: 'textImage', tag: 'title', text: '' }
    refuses(
      () => exportFromTemplate(template(v3(title)), vars({ A: 'a' }), [], {}, undefined, [{ ...tag, value: '##A## ##B## ##C##' }]),
      'tags',
      "the value of tag 'title' (from tags) has placeholder(s) with no value: ##B##, ##C##; set them in 'variables' or 'variables-file'"
    )
  })
})

describe('exportFromTemplate fills', () => {
  it("a tag's placeholders from the variables, counting those names as used", () => {
    const title = { type: 'textImage', tag: 'title', text: '' }
    const result = exportFromTemplate(template(v3(title)), vars({ V: '2.0', OTHER: 'x' }), [], {}, undefined, [
      { tag: 'title', value: 'Version ##V##', from: 'tags' }
    ])
    const clips = (result.request.body.scenes as Array<{ clips: Array<{ text?: string }> }>)[0].clips
    assert.equal(clips[1].text, 'Version 2.0')
    assert.deepEqual(result.unusedVariables, ['OTHER'])
  })

  it('placeholders deep in arrays and objects, found wherever they stand', () => {
    const data = { scenes: [{ AIModel: { script: 'x' }, extra: [[{ deep: '##D##' }], null, 3] }] }
    const result = exportFromTemplate(template(data), vars({ D: 'filled' }), [], {}, undefined)
    assert.deepEqual(result.request.body, { scenes: [{ AIModel: { script: 'x' }, extra: [[{ deep: 'filled' }], null, 3] }] })
    assert.deepEqual(result.unusedVariables, [])
  })
})

describe('templateGeneration', () => {
  it("is the template's shape, and none for a mixed or shapeless one", () => {
    assert.equal(templateGeneration(template(v3())), 'v3')
    assert.equal(templateGeneration(template({ scenes: [{ AIModel: {} }] })), 'legacy')
    assert.equal(templateGeneration(template({ scenes: [{ AIModel: {} }, { clips: [avatar] }] })), undefined)
    assert.equal(templateGeneration(template({ scenes: 'no' })), undefined)
    assert.equal(templateGeneration(template(['no'])), undefined)
  })
})

describe('detectGeneration', () => {
  it('reads background as v3, and skips what is not an object', () => {
    assert.equal(detectGeneration([{ background: {} }]), 'v3')
    assert.equal(detectGeneration(['text', null, { clips: ['text', null, { type: 'aiModel' }] }]), 'v3')
    assert.equal(detectGeneration([{ clips: [{ detail: 'not an object', type: 'image' }] }]), 'v3')
    assert.equal(detectGeneration([{ clips: [{ detail: 'not an object' }] }]), undefined)
    assert.equal(detectGeneration([{ clips: 'none' }]), undefined)
  })
})

describe("a template's own export options", () => {
  const own = (fields: Record<string, Json>): Template => {
    const data = { name: 'T', ...fields, scenes: [{ clips: [avatar] }] }
    return template(data, JSON.stringify(data, null, 2))
  }
  const cases: Array<[string, Record<string, Json>, string, number]> = [
    ['a resolution the API does not render', { resolution: '8k' }, `"resolution" '8k' is not one of 4k, 1080, 720, 480`, 3],
    [
      'a webhook over http with credentials',
      { webhookUrl: 'http://user:pw@evil.example/hook' },
      '"webhookUrl" must not carry a user name or password; give credentials in their own inputs, from secrets',
      3
    ],
    [
      'a webhook over plain http',
      { webhookUrl: 'http://evil.example/hook' },
      `"webhookUrl" 'http://evil.example/hook' must use https:// (plain http is allowed only for localhost)`,
      3
    ],
    [
      'a workspace that is not text',
      { workspaceId: { $ne: 1 } },
      `"workspaceId" must be non-empty text (as the 'workspace-id' input), got {"$ne":1}`,
      3
    ],
    ['an orientation the API does not know', { orientation: 'square' }, `"orientation" 'square' is not one of landscape, portrait`, 3],
    ['a name that is not text', { name: 7 }, `"name" must be non-empty text (as the 'name' input), got 7`, 2]
  ]
  for (const [what, fields, message, line] of cases) {
    it(`refuses ${what} at its line`, () => {
      refuses(() => exportFromTemplate(own(fields), vars({}), [], {}, 'v3'), 'template', `t.json:${line}:3: ${message}`, {
        file: '/ws/t.json',
        line,
        column: 3
      })
    })
  }

  it('keeps checked values (normalised), the inputs winning over them', () => {
    const data = own({ resolution: '1080p', webhookUrl: 'https://hooks.example/a', workspaceId: 'W1', orientation: 'portrait' })
    const kept = exportFromTemplate(data, vars({}), [], {}, 'v3').request.body
    assert.deepEqual([kept.resolution, kept.webhookUrl, kept.workspaceId, kept.orientation], ['1080', 'https://hooks.example/a', 'W1', 'portrait'])
    const set = exportFromTemplate(data, vars({}), [], { resolution: '720', workspaceId: 'W2' }, 'v3').request.body
    assert.deepEqual([set.resolution, set.workspaceId], ['720', 'W2'])
  })

  it('finds the top-level key, not a nested one of the same name', () => {
    const text =
      '{"scenes": [{"resolution": "x", "clips": [{"type": "aiModel", "script": {"org": "a"}, "model": {"ai_name": "M1", "emotion": "C1"}}]}],\n "resolution": "8k"}'
    refuses(
      () => exportFromTemplate(template(JSON.parse(text) as Json, text), vars({}), [], {}, 'v3'),
      'template',
      `t.json:2:2: "resolution" '8k' is not one of 4k, 1080, 720, 480`
    )
  })
})
