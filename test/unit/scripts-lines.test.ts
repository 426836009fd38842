import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { completeScripts } from '../../src/request/scripts.ts'

// scene.scripts[] as create-project.md requires it (contract 5.3): org, isTTS, tts, and modelId/clothId
// equal to an avatar clip's model.ai_name/model.emotion. The 1.4 style keeps speech in the clip's script.org (5.6).

const avatar = (id: string | undefined, model: Json, script?: Json) => ({
  ...(id === undefined ? {} : { id }),
  type: 'aiModel',
  model,
  ...(script === undefined ? {} : { script })
})
const line = (org: string, modelId: Json, clothId: Json) => ({ org, isTTS: false, tts: null, modelId, clothId })

/** The refusal's whole message, or the test fails. */
function refusalOf(scenes: Json[], input = 'template', source = 't.json'): string {
  try {
    completeScripts(scenes, input, source)
  } catch (error) {
    assert.ok(error instanceof InputError, String(error))
    assert.equal(error.input, input)
    return error.detail
  }
  assert.fail('completeScripts refused nothing')
}

describe('completeScripts: lines built from the avatar clips', () => {
  it('builds a line in the avatar’s own voice for each speaking avatar, and leaves scenes without avatars alone', () => {
    const scenes: Json[] = [
      { clips: [{ id: 'bg', type: 'image' }] },
      { clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'Hello.' }), { id: 't', type: 'textImage' }] }
    ]
    completeScripts(scenes, 'template', 't.json')
    assert.deepEqual(scenes, [
      { clips: [{ id: 'bg', type: 'image' }], sceneIdx: 0 },
      {
        clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'Hello.' }), { id: 't', type: 'textImage' }],
        sceneIdx: 1,
        scripts: [line('Hello.', 'M1', 'C1')]
      }
    ])
  })

  it('keeps a sceneIdx that is there, and passes over what is no scene object', () => {
    const scenes: Json[] = [null, 'text', { sceneIdx: 7, clips: [] }]
    completeScripts(scenes, 'template', 't.json')
    assert.deepEqual(scenes, [null, 'text', { sceneIdx: 7, clips: [] }])
  })

  it('takes empty scripts[] (or null) as none, and builds the lines', () => {
    for (const scripts of [[], null]) {
      const scenes: Json[] = [{ clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'Hi.' })], scripts }]
      completeScripts(scenes, 'template', 't.json')
      assert.deepEqual((scenes[0] as { scripts: Json }).scripts, [line('Hi.', 'M1', 'C1')])
    }
  })

  it('finds avatars only among clips of type aiModel, in a clips array', () => {
    const scenes: Json[] = [{ clips: [{ id: 'x', type: 'image', model: { ai_name: 'M', emotion: 'C' }, script: { org: 'no' } }] }, { clips: 'none' }]
    completeScripts(scenes, 'template', 't.json')
    assert.deepEqual(scenes, [
      { clips: [{ id: 'x', type: 'image', model: { ai_name: 'M', emotion: 'C' }, script: { org: 'no' } }], sceneIdx: 0 },
      { clips: 'none', sceneIdx: 1 }
    ])
  })

  it('refuses a speaking avatar without both model.ai_name and model.emotion as text, naming scene and clip', () => {
    const models: Json[] = [
      { emotion: 'C1' },
      { ai_name: 'M1' },
      { ai_name: '', emotion: 'C1' },
      { ai_name: 'M1', emotion: '' },
      'M1',
      { ai_name: 1, emotion: 'C1' }
    ]
    for (const model of models)
      assert.equal(
        refusalOf([{ clips: [] }, { clips: [avatar('host', model, { org: 'Hi.' })] }]),
        "t.json, scene 1: avatar clip 'host' has no model.ai_name and model.emotion (the avatar and its clothes)",
        JSON.stringify(model)
      )
  })

  it('names an avatar without an id by its place among the speaking avatars', () => {
    const scenes: Json[] = [{ clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'Hi.' }), avatar(undefined, {}, { org: 'Hi.' })] }]
    assert.equal(
      refusalOf(scenes, 'project-id', 'project p'),
      'project p, scene 0: avatar 1 has no model.ai_name and model.emotion (the avatar and its clothes)'
    )
  })

  it('refuses a speaking avatar whose script has no org text', () => {
    assert.equal(
      refusalOf([{ clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { tts: 'x' })] }]),
      "t.json, scene 0: avatar clip 'a' has no speech (script.org) and the scene no scripts[]"
    )
  })

  it('refuses an avatar scene with no speech at all', () => {
    assert.equal(
      refusalOf([{ clips: [] }, { clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' })] }]),
      "t.json, scene 1 has an avatar but no speech: neither scripts[] nor an avatar clip's script.org"
    )
  })
})

describe('completeScripts: lines already there', () => {
  it('refuses scripts that is a single object, not a list: its voice would be lost', () => {
    const scenes: Json[] = [{ clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'Hi.' })], scripts: line('Hi.', 'M1', 'C1') }]
    assert.equal(refusalOf(scenes), 't.json, scene 0 has "scripts" that is not a list (one entry a line)')
  })

  it('refuses a line that is no object, naming line and scene', () => {
    const scenes: Json[] = [{ clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'Hi.' })], scripts: [line('Hi.', 'M1', 'C1'), 'Bye.'] }]
    assert.equal(refusalOf(scenes), 't.json, line 1 of scene 0 is not an object')
  })

  it('refuses a line whose modelId matches one avatar and clothId another, listing every avatar as JSON where not text', () => {
    const scenes: Json[] = [
      {
        clips: [
          avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'x' }),
          avatar('b', { ai_name: 'M2', emotion: 'C2' }, { org: 'y' }),
          avatar('c', {})
        ],
        scripts: [line('x', 'M1', 'C2')]
      }
    ]
    assert.equal(
      refusalOf(scenes),
      't.json, line 0 of scene 0: modelId/clothId M1/C2 match no avatar clip of the scene (model.ai_name/model.emotion: M1/C1, M2/C2, null/null); ' +
        'the API requires them to match'
    )
    const numbers: Json[] = [{ clips: [avatar('a', { ai_name: 7, emotion: 'C1' }, { org: 'x' })], scripts: [line('x', 7, { id: 1 })] }]
    assert.equal(
      refusalOf(numbers),
      't.json, line 0 of scene 0: modelId/clothId 7/{"id":1} match no avatar clip of the scene (model.ai_name/model.emotion: 7/C1); the API requires them to match'
    )
  })

  it('keeps the clip’s script.org and a text tts in step with the one line its avatar speaks', () => {
    const scenes: Json[] = [
      {
        clips: [
          avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'old', tts: 'old' }),
          avatar('b', { ai_name: 'M2', emotion: 'C2' }, { org: 'old', tts: null })
        ],
        scripts: [line('new a', 'M1', 'C1'), line('new b', 'M2', 'C2')]
      }
    ]
    completeScripts(scenes, 'template', 't.json')
    const clips = (scenes[0] as { clips: Array<{ script: Json }> }).clips
    assert.deepEqual(clips[0].script, { org: 'new a', tts: 'new a' })
    assert.deepEqual(clips[1].script, { org: 'new b', tts: null })
  })

  it('leaves the clip’s script as it is where its avatar speaks several lines', () => {
    const scenes: Json[] = [
      {
        clips: [
          avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'old', tts: 'old' }),
          avatar('b', { ai_name: 'M2', emotion: 'C2' }, { org: 'b old' })
        ],
        scripts: [line('one', 'M1', 'C1'), line('b new', 'M2', 'C2'), line('two', 'M1', 'C1')]
      }
    ]
    completeScripts(scenes, 'template', 't.json')
    const clips = (scenes[0] as { clips: Array<{ script: Json }> }).clips
    assert.deepEqual(clips[0].script, { org: 'old', tts: 'old' })
    assert.deepEqual(clips[1].script, { org: 'b new' })
  })

  it('counts as the same speaker only a line with both the modelId and the clothId', () => {
    const scenes: Json[] = [
      {
        clips: [
          avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'a old' }),
          avatar('b', { ai_name: 'M1', emotion: 'C2' }, { org: 'b old' }),
          avatar('c', { ai_name: 'M2', emotion: 'C1' }, { org: 'c old' })
        ],
        scripts: [line('a new', 'M1', 'C1'), line('b new', 'M1', 'C2'), line('c new', 'M2', 'C1')]
      }
    ]
    completeScripts(scenes, 'template', 't.json')
    const clips = (scenes[0] as { clips: Array<{ script: Json }> }).clips
    assert.deepEqual(
      clips.map((clip) => clip.script),
      [{ org: 'a new' }, { org: 'b new' }, { org: 'c new' }]
    )
  })

  it('leaves the clip alone where the line has no text org, or the clip no script object', () => {
    const scenes: Json[] = [
      {
        clips: [avatar('a', { ai_name: 'M1', emotion: 'C1' }, { org: 'a old' }), avatar('b', { ai_name: 'M2', emotion: 'C2' }, 'b old')],
        scripts: [{ ...line('', 'M1', 'C1'), org: 5 }, line('b new', 'M2', 'C2')]
      }
    ]
    completeScripts(scenes, 'template', 't.json')
    const clips = (scenes[0] as { clips: Array<{ script: Json }> }).clips
    assert.deepEqual(clips[0].script, { org: 'a old' })
    assert.equal(clips[1].script, 'b old')
  })
})
