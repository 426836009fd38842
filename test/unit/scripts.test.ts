import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { completeScripts } from '../../src/request/scripts.ts'

const avatar = (id: string, ai_name: string, emotion: string, org?: string) => ({
  id,
  type: 'aiModel',
  model: { ai_name, emotion },
  ...(org === undefined ? {} : { script: { org, tts: null } })
})
const line = (org: string, modelId: string, clothId: string) => ({ org, isTTS: false, tts: null, modelId, clothId })
const refusal = (pattern: RegExp) => (error: unknown) => error instanceof InputError && pattern.test(error.message)

describe('completeScripts', () => {
  it("builds scripts[] from the avatar clips' speech where a scene has none, and sceneIdx where missing", () => {
    const scenes: Json[] = [{ clips: [avatar('a', 'M1', 'C1', 'Hello.'), avatar('b', 'M2', 'C2', 'Hi.'), avatar('mute', 'M3', 'C3')] }]
    completeScripts(scenes, 'template', 't.json')
    assert.deepEqual((scenes[0] as any).scripts, [line('Hello.', 'M1', 'C1'), line('Hi.', 'M2', 'C2')])
    assert.equal((scenes[0] as any).sceneIdx, 0)
  })

  it('leaves a scene without an avatar without scripts[]', () => {
    const scenes: Json[] = [{ sceneIdx: 0, clips: [{ id: 'i', type: 'image' }] }]
    completeScripts(scenes, 'template', 't.json')
    assert.deepEqual(scenes, [{ sceneIdx: 0, clips: [{ id: 'i', type: 'image' }] }])
  })

  it('keeps the lines there are, and the speaking clip in step with its one line', () => {
    const scenes: Json[] = [{ sceneIdx: 0, clips: [avatar('a', 'M1', 'C1', 'old')], scripts: [{ ...line('new', 'M1', 'C1'), extra: 1 }] }]
    completeScripts(scenes, 'template', 't.json')
    assert.deepEqual((scenes[0] as any).scripts, [{ ...line('new', 'M1', 'C1'), extra: 1 }])
    assert.equal((scenes[0] as any).clips[0].script.org, 'new')
  })

  it('refuses a line whose modelId or clothId matches no avatar clip of its scene, naming scene and line', () => {
    const scenes: Json[] = [{ clips: [] }, { clips: [avatar('a', 'M1', 'C1', 'x')], scripts: [line('x', 'M1', 'C1'), line('y', 'M1', 'OTHER')] }]
    assert.throws(
      () => completeScripts(scenes, 'template', 't.json'),
      refusal(
        /^Input 'template': t\.json, line 1 of scene 1: modelId\/clothId M1\/OTHER match no avatar clip of the scene \(model\.ai_name\/model\.emotion: M1\/C1\)/
      )
    )
  })

  it('refuses an avatar with no model, and one with neither speech nor scripts[]', () => {
    assert.throws(
      () => completeScripts([{ clips: [{ type: 'aiModel', script: { org: 'x' } }] }], 'project-id', 'project p'),
      refusal(/^Input 'project-id': project p, scene 0: avatar 0 has no model\.ai_name/)
    )
    assert.throws(() => completeScripts([{ clips: [avatar('a', 'M1', 'C1')] }], 'template', 't.json'), refusal(/scene 0 has an avatar but no speech/))
  })
})
