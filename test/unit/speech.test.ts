import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, SceneSpeech } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { applySpeech } from '../../src/request/speech.ts'

const say = (scene: number, text: string, line?: number, from = 'scripts'): SceneSpeech =>
  line === undefined ? { scene, text, from } : { scene, line, text, from }
const avatar = (ai_name: string, emotion: string, org?: string): Json => ({
  type: 'aiModel',
  model: { ai_name, emotion },
  ...(org === undefined ? {} : { script: { org, tts: org } })
})
const refuses = (work: () => void, input: string, pattern: RegExp): void => {
  assert.throws(work, (error: unknown) => error instanceof InputError && error.input === input && pattern.test(error.message))
}

describe('applySpeech on v3 scenes', () => {
  it('sets a dialogue line in scripts[] and the clip of the avatar that speaks only that line', () => {
    const scenes: Json[] = [
      {
        clips: [avatar('A', 'a1', 'old A'), avatar('B', 'b1', 'old B')],
        scripts: [
          { org: 'old A', tts: 'old A', modelId: 'A', clothId: 'a1' },
          { org: 'old B', tts: null, modelId: 'B', clothId: 'b1' }
        ]
      }
    ]
    applySpeech(scenes, [say(0, 'new B', 1)], 'v3', 'p')
    assert.deepEqual(scenes, [
      {
        clips: [avatar('A', 'a1', 'old A'), avatar('B', 'b1', 'new B')],
        scripts: [
          { org: 'old A', tts: 'old A', modelId: 'A', clothId: 'a1' },
          { org: 'new B', tts: null, modelId: 'B', clothId: 'b1' }
        ]
      }
    ])
  })

  it('leaves the clip alone when its avatar speaks more than one line', () => {
    const scenes: Json[] = [
      {
        clips: [avatar('A', 'a1', 'first')],
        scripts: [
          { org: 'first', modelId: 'A', clothId: 'a1' },
          { org: 'second', modelId: 'A', clothId: 'a1' }
        ]
      }
    ]
    applySpeech(scenes, [say(0, 'new first')], 'v3', 'p')
    assert.deepEqual(scenes[0], {
      clips: [avatar('A', 'a1', 'first')],
      scripts: [
        { org: 'new first', modelId: 'A', clothId: 'a1' },
        { org: 'second', modelId: 'A', clothId: 'a1' }
      ]
    })
  })

  it('refuses a line past the last of scripts[], counting the lines', () => {
    const scenes: Json[] = [{ clips: [avatar('A', 'a1', 'x')], scripts: [{ org: 'x', modelId: 'A', clothId: 'a1' }] }]
    refuses(
      () => applySpeech(scenes, [say(0, 'y', 1)], 'v3', 'p.json'),
      'scripts',
      /^Input 'scripts': line 1 of scene 0 of p.json does not exist: the scene has 1 line\(s\) of dialogue, numbered from 0$/
    )
  })

  it('sets the Mth speaking avatar of a 1.4 scene that has no scripts[]', () => {
    const scenes: Json[] = [{ clips: [avatar('A', 'a1', 'one'), avatar('S', 's1'), avatar('B', 'b1', 'two')] }]
    applySpeech(scenes, [say(0, 'TWO', 1)], 'v3', 'p')
    assert.deepEqual(scenes[0], { clips: [avatar('A', 'a1', 'one'), avatar('S', 's1'), avatar('B', 'b1', 'TWO')] })
  })

  it('refuses a 1.4 line past the speaking avatars, and a scene with none', () => {
    refuses(
      () => applySpeech([{ clips: [avatar('A', 'a1', 'one')] }], [say(0, 'x', 1)], 'v3', 'p'),
      'scripts',
      /line 1 of scene 0 of p does not exist: the scene has 1 speaking avatar\(s\)/
    )
    refuses(
      () => applySpeech([{ clips: [{ type: 'textImage' }] }], [say(0, 'x', undefined, 'script')], 'v3', 'p'),
      'script',
      /^Input 'script': scene 0 of p has no avatar to speak it$/
    )
  })

  it('refuses a scene that does not exist, counting the scenes', () => {
    refuses(
      () => applySpeech([{ clips: [] }], [say(3, 'x', undefined, 'scripts-file s.yml')], 'v3', 'p'),
      'scripts-file',
      /scene 3 does not exist: p has 1 scene\(s\), numbered from 0/
    )
  })
})

describe('applySpeech on legacy scenes', () => {
  it("sets the avatar's script, a plain string", () => {
    const scenes: Json[] = [{ AIModel: { script: 'old' } }, { AIModel: { script: 'keep' } }]
    applySpeech(scenes, [say(0, 'new', 0)], 'legacy', 't')
    assert.deepEqual(scenes, [{ AIModel: { script: 'new' } }, { AIModel: { script: 'keep' } }])
  })

  it('refuses any line but the first (a legacy scene has one), leaving the scene as it was', () => {
    const scenes: Json[] = [{ AIModel: { script: 'only' } }]
    refuses(
      () => applySpeech(scenes, [say(0, 'x', 1)], 'legacy', 't'),
      'scripts',
      /line 1 of scene 0 of t does not exist: a legacy scene has one line/
    )
    assert.deepEqual(scenes, [{ AIModel: { script: 'only' } }])
  })

  it('refuses a scene without an avatar', () => {
    refuses(() => applySpeech([{}], [say(0, 'x')], 'legacy', 't'), 'scripts', /scene 0 of t has no avatar to speak it/)
  })
})
