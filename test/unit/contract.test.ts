import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ExportRequest, Json, JsonObject } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { legacyScenesProblem, refuseIncomplete, requestProblem, v3ScenesProblem } from '../../src/request/contract.ts'

// What the API reference requires of a body (aistudios-api.md, sections 4, 5.2–5.5), never stricter than
// DeepBrain's own examples (section 8): the first problem, naming the scene, clip or line.

const geometry = { layer: 1, top: 0, left: 0, width: 1920, height: 1080 }
const clips: Record<string, JsonObject> = {
  aiModel: { id: 'm', type: 'aiModel', ...geometry, model: { ai_name: 'M1', emotion: 'C1' } },
  shape: { id: 's', type: 'shape', ...geometry, shapeName: 'Circle', fill: '#fff' },
  image: { id: 'i', type: 'image', ...geometry, source_url: 'https://example.com/i.png' },
  textImage: { id: 't', type: 'textImage', ...geometry, text: '', fill: '#000', fontSize: 7.5 },
  videoImage: { id: 'v', type: 'videoImage', ...geometry, video_url: 'https://example.com/v.mp4' },
  audio: { id: 'a', type: 'audio', ...geometry, source_url: 'https://example.com/a.mp3', label: '' }
}
const line = { org: 'Hello.', isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }
const scene = (extra: JsonObject = {}): JsonObject => ({
  sceneIdx: 0,
  background: { id: 'background', type: 'background' },
  clips: Object.values(clips),
  scripts: [line],
  ...extra
})
const without = (object: JsonObject, field: string): JsonObject => Object.fromEntries(Object.entries(object).filter(([key]) => key !== field))

describe('v3ScenesProblem: scenes (contract 5.2)', () => {
  it('passes a complete scene of every clip type, and what the tutorials send (two scenes with sceneIdx 0, fontSize 7.5, no scripts)', () => {
    assert.equal(v3ScenesProblem([scene(), scene({ scripts: undefined as unknown as Json }), scene({ scripts: null })]), undefined)
    assert.equal(v3ScenesProblem([]), undefined)
  })

  it('refuses a scene that is no object, or lacks an integer sceneIdx, a background or a clips array', () => {
    const cases: Array<[Json, string]> = [
      [[], 'scene 1 is not an object'],
      [scene({ sceneIdx: 1.5 }), 'scene 1 has "sceneIdx" 1.5, not an integer'],
      [without(scene(), 'sceneIdx'), 'scene 1 has "sceneIdx" undefined, not an integer'],
      [scene({ sceneIdx: '0' }), 'scene 1 has "sceneIdx" "0", not an integer'],
      [scene({ background: 'blue' }), 'scene 1 has no "background"'],
      [scene({ clips: {} }), 'scene 1 has no "clips" array'],
      [scene({ scripts: line }), 'scene 1 has "scripts" that is not a list (one entry a line)']
    ]
    for (const [bad, problem] of cases) assert.equal(v3ScenesProblem([scene(), bad]), problem)
  })
})

describe('v3ScenesProblem: clips (contract 5.4, 5.5)', () => {
  const problemOf = (clip: Json): string | undefined => v3ScenesProblem([scene({ clips: [clips.image, clip] })])

  it('refuses a clip that is no object, or lacks an id or a type', () => {
    assert.equal(problemOf('clip'), 'clip 1 of scene 0 is not an object')
    assert.equal(problemOf(without(clips.shape, 'id')), 'clip 1 of scene 0 has no "id"')
    assert.equal(problemOf({ ...clips.shape, id: '' }), 'clip 1 of scene 0 has no "id"')
    assert.equal(problemOf(without(clips.shape, 'type')), 'clip 1 of scene 0 has no "type"')
  })

  it('refuses a clip without a number layer, top, left, width or height, and a layer with halves', () => {
    for (const field of ['layer', 'top', 'left', 'width', 'height']) {
      assert.equal(problemOf(without(clips.shape, field)), `clip 1 of scene 0 (shape) has no number "${field}"`)
      assert.equal(problemOf({ ...clips.shape, [field]: '10' }), `clip 1 of scene 0 (shape) has no number "${field}"`)
    }
    assert.equal(problemOf({ ...clips.shape, width: Infinity as unknown as Json }), 'clip 1 of scene 0 (shape) has no number "width"')
    assert.equal(problemOf({ ...clips.shape, layer: 2.5 }), 'clip 1 of scene 0 (shape) has "layer" 2.5, not a whole number')
    assert.equal(problemOf({ ...clips.shape, top: 10.5 }), undefined, 'geometry is a Float')
  })

  it("refuses each type's required fields, by the reference's names", () => {
    const cases: Array<[JsonObject, string]> = [
      [without(clips.aiModel, 'model'), 'aiModel) has no model.ai_name and model.emotion'],
      [{ ...clips.aiModel, model: { ai_name: 'M1' } }, 'aiModel) has no model.ai_name and model.emotion'],
      [{ ...clips.aiModel, model: { emotion: 'C1' } }, 'aiModel) has no model.ai_name and model.emotion'],
      [{ ...clips.aiModel, model: 'M1' }, 'aiModel) has no model.ai_name and model.emotion'],
      [without(clips.shape, 'shapeName'), 'shape) has no shapeName'],
      [{ ...clips.shape, fill: '' }, 'shape) has no fill'],
      [without(clips.image, 'source_url'), 'image) has no source_url (or resource_url)'],
      [without(clips.textImage, 'text'), 'textImage) has no text'],
      [without(clips.textImage, 'fill'), 'textImage) has no fill'],
      [{ ...clips.textImage, fontSize: '10' }, 'textImage) has no number fontSize'],
      [without(clips.videoImage, 'video_url'), 'videoImage) has no video_url'],
      [without(clips.audio, 'source_url'), 'audio) has no source_url'],
      [without(clips.audio, 'label'), 'audio) has no label']
    ]
    for (const [clip, problem] of cases) assert.equal(problemOf(clip), `clip 1 of scene 0 (${problem}`)
  })

  it("takes the tutorial's resource_url for an image, and a type the reference does not list as it is", () => {
    assert.equal(problemOf({ ...without(clips.image, 'source_url'), resource_url: 'https://example.com/i.png' }), undefined)
    assert.equal(problemOf({ id: 'x', type: 'sticker', ...geometry }), undefined)
    assert.equal(problemOf({ id: 'x', type: 'toString', ...geometry }), undefined, 'no inherited name is a clip type')
  })
})

describe('v3ScenesProblem: lines of scripts[] (contract 5.3)', () => {
  const problemOf = (bad: Json): string | undefined => v3ScenesProblem([scene({ scripts: [line, bad] })])

  it('refuses a line without each required field, naming line and scene', () => {
    const cases: Array<[Json, string]> = [
      ['Hello.', 'is not an object'],
      [without(line, 'org'), 'has no text "org"'],
      [{ ...line, isTTS: 'false' }, 'has no true/false "isTTS"'],
      [without(line, 'tts'), 'has no "tts" (null, or the voice\'s data)'],
      [{ ...line, tts: 'voice' }, 'has no "tts" (null, or the voice\'s data)'],
      [{ ...line, modelId: '' }, 'has no text "modelId" and "clothId"'],
      [without(line, 'clothId'), 'has no text "modelId" and "clothId"']
    ]
    for (const [bad, problem] of cases) assert.equal(problemOf(bad), `line 1 of scene 0 ${problem}`)
  })

  it('takes an empty org, and the data of another voice', () => {
    assert.equal(problemOf({ ...line, org: '', isTTS: true, tts: { voice: 'v1' } }), undefined)
  })
})

describe('legacyScenesProblem (contract 4)', () => {
  const model = { model: 'ysy', clothes: '2', language: 'ko', script: 'Hi.', locationX: 0, locationY: -0.5 }
  const clip = { type: 'image', detail: { url: 'https://example.com/i.png' } }
  const problemOf = (bad: Json): string | undefined => legacyScenesProblem([{ AIModel: model, clips: [clip] }, bad])

  it('passes a complete scene, one without an AIModel or clips (the tutorial), and an AIModel without language (the samples)', () => {
    assert.equal(problemOf({ AIModel: model, clips: [clip, { type: 'text', detail: {} }] }), undefined)
    assert.equal(problemOf({ clips: [clip] }), undefined)
    assert.equal(problemOf({ AIModel: without(model, 'language') }), undefined)
  })

  it('refuses an AIModel without model, clothes, a text script, a text language where given, or number locations', () => {
    const cases: Array<[Json, string]> = [
      ['scene', 'scene 1 is not an object'],
      [{ AIModel: 'ysy' }, 'scene 1 has an "AIModel" that is not an object'],
      [{ AIModel: without(model, 'model') }, 'scene 1: AIModel has no "model"'],
      [{ AIModel: { ...model, clothes: '' } }, 'scene 1: AIModel has no "clothes"'],
      [{ AIModel: without(model, 'script') }, 'scene 1: AIModel has no text "script"'],
      [{ AIModel: { ...model, language: '' } }, 'scene 1: AIModel has a "language" that is not text'],
      [{ AIModel: without(model, 'locationX') }, 'scene 1: AIModel has no number "locationX"'],
      [{ AIModel: { ...model, locationY: '0' } }, 'scene 1: AIModel has no number "locationY"']
    ]
    for (const [bad, problem] of cases) assert.equal(problemOf(bad), problem)
    assert.equal(problemOf({ AIModel: { ...model, script: '' } }), undefined, 'an empty script is text')
  })

  it('refuses clips that are no array, a clip without a type or detail, and a URL clip without detail.url', () => {
    const cases: Array<[Json, string]> = [
      [{ clips: clip }, 'scene 1 has "clips" that is not an array'],
      [{ clips: [clip, 'image'] }, 'clip 1 of scene 1 is not an object'],
      [{ clips: [{ detail: {} }] }, 'clip 0 of scene 1 has no "type"'],
      [{ clips: [{ type: 'text', detail: 'x' }] }, 'clip 0 of scene 1 (text) has no "detail"'],
      [{ clips: [{ type: 'image', detail: {} }] }, 'clip 0 of scene 1 (image) has no "detail.url"'],
      [{ clips: [{ type: 'background', detail: { url: '' } }] }, 'clip 0 of scene 1 (background) has no "detail.url"'],
      [{ clips: [{ type: 'userVideo', detail: { scaleX: 1 } }] }, 'clip 0 of scene 1 (userVideo) has no "detail.url"']
    ]
    for (const [bad, problem] of cases) assert.equal(problemOf(bad), problem)
  })

  it('reads every scene, a later one too', () => {
    assert.equal(legacyScenesProblem([{}, {}, { clips: 'x' }]), 'scene 2 has "clips" that is not an array')
  })
})

describe('requestProblem and refuseIncomplete', () => {
  const v3 = (body: JsonObject): ExportRequest => ({ generation: 'v3', body })
  const legacy = (body: JsonObject): ExportRequest => ({ generation: 'legacy', body })

  it('refuses a body without scenes, of either generation', () => {
    for (const request of [v3({}), v3({ scenes: [] }), v3({ scenes: {} }), legacy({ scenes: [] })])
      assert.equal(requestProblem(request), 'it has no scenes')
  })

  it("checks each generation by its own rules: a v3 scene is incomplete for legacy's and back", () => {
    assert.equal(requestProblem(v3({ scenes: [scene()] })), undefined)
    assert.equal(requestProblem(legacy({ scenes: [{ clips: [] }] })), undefined)
    assert.equal(requestProblem(v3({ scenes: [{ clips: [] }] })), 'scene 0 has "sceneIdx" undefined, not an integer')
    assert.equal(
      requestProblem(legacy({ scenes: [scene({ clips: [{ id: 'i', type: 'image', ...geometry }] })] })),
      'clip 0 of scene 0 (image) has no "detail"'
    )
  })

  it("refuses a saved project's incomplete body on 'project-id', naming the project and how to mend it", () => {
    assert.doesNotThrow(() => refuseIncomplete(v3({ scenes: [scene()] }), "project 'p1'"))
    assert.throws(
      () => refuseIncomplete(v3({ scenes: [scene({ background: null })] }), "project 'p1'"),
      (error: unknown) =>
        error instanceof InputError &&
        error.input === 'project-id' &&
        error.detail ===
          'project \'p1\': scene 0 has no "background"; the API reference requires it (open the project in AI Studios and save it again)'
    )
  })
})
