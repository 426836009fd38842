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
/** Complete by the API reference: a clip's id, layer and geometry, a scene's background. */
const box = { layer: 1, top: 0, left: 0, width: 10, height: 10 }
const background = { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' }
const avatar = { id: 'a', type: 'aiModel', ...box, script: { org: 'a' }, model: { ai_name: 'M1', emotion: 'C1' } }
/** A legacy avatar complete by the reference (export-project.mdx), but its script. */
const legacyModel = { model: 'M1', clothes: '1', locationX: 0, locationY: 0 }
const v3 = (...clips: Json[]): Json => ({ scenes: [{ background, clips: [avatar, ...clips] }] })

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
    const title = { id: 't', type: 'textImage', ...box, tag: 'title', text: '', fill: '#fff', fontSize: 40 }
    refuses(
      () => exportFromTemplate(template(v3(title)), vars({ A: 'a' }), [], {}, undefined, [{ ...tag, value: '##A## ##B## ##C##' }]),
      'tags',
      "the value of tag 'title' (from tags) has placeholder(s) with no value: ##B##, ##C##; set them in 'variables' or 'variables-file'"
    )
  })
})

describe('exportFromTemplate fills', () => {
  it("a tag's placeholders from the variables, counting those names as used", () => {
    const title = { id: 't', type: 'textImage', ...box, tag: 'title', text: '', fill: '#fff', fontSize: 40 }
    const result = exportFromTemplate(template(v3(title)), vars({ V: '2.0', OTHER: 'x' }), [], {}, undefined, [
      { tag: 'title', value: 'Version ##V##', from: 'tags' }
    ])
    const clips = (result.request.body.scenes as Array<{ clips: Array<{ text?: string }> }>)[0].clips
    assert.equal(clips[1].text, 'Version 2.0')
    assert.deepEqual(result.unusedVariables, ['OTHER'])
  })

  it('placeholders deep in arrays and objects, found wherever they stand', () => {
    const data = { scenes: [{ AIModel: { ...legacyModel, script: 'x' }, extra: [[{ deep: '##D##' }], null, 3] }] }
    const result = exportFromTemplate(template(data), vars({ D: 'filled' }), [], {}, undefined)
    assert.deepEqual(result.request.body, { scenes: [{ AIModel: { ...legacyModel, script: 'x' }, extra: [[{ deep: 'filled' }], null, 3] }] })
    assert.deepEqual(result.unusedVariables, [])
  })
})

describe('exportFromTemplate refuses what the API reference calls required, naming scene, clip or line', () => {
  const incomplete = (data: Json, message: string): void =>
    refuses(() => exportFromTemplate(template(data), vars({}), [], {}, undefined), 'template', `t.json: ${message}; the API reference requires it`, {
      file: '/ws/t.json'
    })
  const line = { org: 'a', isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }
  it('v3: a scene without background, a bad sceneIdx, a scene that is not an object', () => {
    incomplete({ scenes: [{ clips: [avatar] }] }, 'scene 0 has no "background"')
    incomplete({ scenes: [{ background, sceneIdx: '0', clips: [avatar] }] }, 'scene 0 has "sceneIdx" "0", not an integer')
    incomplete({ scenes: [{ background, clips: [avatar] }, 'scene'] }, 'scene 1 is not an object')
  })
  it('v3: takes a repeated sceneIdx and a fractional fontSize, as the tutorials send them', () => {
    const repeated = {
      scenes: [
        { background, sceneIdx: 0, clips: [avatar] },
        { background, sceneIdx: 0, clips: [avatar] }
      ]
    }
    const sent = exportFromTemplate(template(repeated), vars({}), [], {}, undefined).request.body.scenes as Array<{ sceneIdx: number }>
    assert.deepEqual(
      sent.map((scene) => scene.sceneIdx),
      [0, 0]
    )
    assert.ok(
      exportFromTemplate(template(v3({ id: 't', type: 'textImage', ...box, text: '', fill: '#fff', fontSize: 7.5 })), vars({}), [], {}, undefined)
    )
  })
  it("v3: a clip without its type's required fields", () => {
    incomplete(v3({ id: 'i', type: 'image', ...box }), 'clip 1 of scene 0 (image) has no source_url (or resource_url)')
    incomplete(v3({ id: 't', type: 'textImage', ...box, text: 'x', fill: '#fff' }), 'clip 1 of scene 0 (textImage) has no number fontSize')
    incomplete(v3({ id: 'i', type: 'image', source_url: 'https://x/i.png', layer: 1 }), 'clip 1 of scene 0 (image) has no number "top"')
    // `resource_url` (the tutorial's code) is taken for `source_url` (clips.md).
    assert.ok(exportFromTemplate(template(v3({ id: 'i', type: 'image', ...box, resource_url: 'https://x/i.png' })), vars({}), [], {}, undefined))
  })
  it('v3: a line of scripts[] without org, isTTS, tts, modelId or clothId', () => {
    const scene = (scripts: Json[]): Json => ({ scenes: [{ background, clips: [avatar], scripts }] })
    incomplete(scene([{ ...line, isTTS: 'no' }]), 'line 0 of scene 0 has no true/false "isTTS"')
    incomplete(scene([line, { ...line, tts: 5 }]), 'line 1 of scene 0 has no "tts" (null, or the voice\'s data)')
    incomplete(scene([{ isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }]), 'line 0 of scene 0 has no text "org"')
  })
  it('legacy: an AIModel without model, clothes or location, a clip without detail or its url', () => {
    incomplete({ scenes: [{ AIModel: { script: 'hi' } }] }, 'scene 0: AIModel has no "model"')
    incomplete({ scenes: [{ AIModel: { model: 'M1', clothes: '1', locationX: 0, script: 'hi' } }] }, 'scene 0: AIModel has no number "locationY"')
    incomplete(
      { scenes: [{ AIModel: { ...legacyModel, script: 'hi' }, clips: [{ type: 'image', detail: {} }] }] },
      'clip 0 of scene 0 (image) has no "detail.url"'
    )
    // `language` (required by the reference, omitted by its samples) and `AIModel` itself (absent in the tutorial) may be left out.
    assert.ok(exportFromTemplate(template({ scenes: [{ AIModel: { ...legacyModel, script: 'hi' } }, { clips: [] }] }), vars({}), [], {}, undefined))
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
    const data = { name: 'T', ...fields, scenes: [{ background, clips: [avatar] }] }
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
