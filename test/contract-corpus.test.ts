/**
 * The action's pre-send check and the simulator's own (written apart, each from the reference) agree on
 * every body of a shared corpus: DeepBrain's example bodies, and one variant per rule, each made from a
 * complete body by one change. One line per body gives both verdicts; a disagreement fails.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, JsonObject, Template } from '../src/domain.ts'
import { InputError } from '../src/errors.ts'
import { exportFromTemplate } from '../src/request/template.ts'
import { DOCS_FIXTURES, filledBody, isProjectBody } from './helpers/docs-fixtures.ts'
import { legacyBodyProblem, v3BodyProblem } from './simulator/server.ts'

type Generation = 'v3' | 'legacy'
interface Body {
  name: string
  generation: Generation
  body: JsonObject
  /** What both must say: taken, or refused. */
  valid: boolean
}

const box = { layer: 1, top: 0, left: 0, width: 10, height: 10 }
const background = { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' }
const avatar = { id: 'a', type: 'aiModel', ...box, model: { ai_name: 'M1', emotion: 'C1' } }
const line = { org: 'Hello.', isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }
const v3Body = (clips: Json[] = [], scene: JsonObject = {}): JsonObject => ({
  scenes: [{ sceneIdx: 0, background, clips: [avatar, ...clips], scripts: [line], ...scene }]
})
const legacyModel = { model: 'M1', clothes: 'C1', script: 'Hello.', locationX: 0, locationY: 0 }
const legacyBody = (scene: JsonObject): JsonObject => ({ scenes: [{ AIModel: legacyModel, clips: [], ...scene }] })
const v3 = (name: string, valid: boolean, body: JsonObject): Body => ({ name, generation: 'v3', body, valid })
const legacy = (name: string, valid: boolean, body: JsonObject): Body => ({ name, generation: 'legacy', body, valid })

/** One variant per rule of the contract, taken or refused by the reference (and never stricter than the examples). */
const VARIANTS: Body[] = [
  v3('v3: complete', true, v3Body()),
  v3('v3: no background', false, v3Body([], { background: undefined as unknown as Json })),
  v3('v3: sceneIdx as text', false, v3Body([], { sceneIdx: '0' })),
  v3('v3: sceneIdx repeated (the JSON-template tutorial)', true, { scenes: [...(v3Body().scenes as Json[]), ...(v3Body().scenes as Json[])] }),
  v3('v3: clips not a list', false, v3Body([], { clips: 'x' })),
  v3('v3: clip without id', false, v3Body([{ type: 'image', ...box, source_url: 'https://x/i.png' }])),
  v3('v3: clip without layer', false, v3Body([{ id: 'i', type: 'image', top: 0, left: 0, width: 1, height: 1, source_url: 'https://x/i.png' }])),
  v3('v3: clip with top as text', false, v3Body([{ id: 'i', type: 'image', ...box, top: '0', source_url: 'https://x/i.png' }])),
  v3('v3: avatar with empty ai_name', false, {
    scenes: [{ sceneIdx: 0, background, clips: [{ ...avatar, model: { ai_name: '', emotion: 'C1' } }] }]
  }),
  v3('v3: avatar without model', false, { scenes: [{ sceneIdx: 0, background, clips: [{ id: 'a', type: 'aiModel', ...box }] }] }),
  v3('v3: image without source_url', false, v3Body([{ id: 'i', type: 'image', ...box }])),
  v3(
    'v3: image with resource_url only (the exist-project tutorial)',
    true,
    v3Body([{ id: 'i', type: 'image', ...box, resource_url: 'https://x/i.png' }])
  ),
  v3('v3: image with an empty source_url', false, v3Body([{ id: 'i', type: 'image', ...box, source_url: '' }])),
  v3('v3: text with empty text', true, v3Body([{ id: 't', type: 'textImage', ...box, text: '', fill: '#fff', fontSize: 40 }])),
  v3(
    'v3: text with fontSize 7.5 (the exist-project tutorial)',
    true,
    v3Body([{ id: 't', type: 'textImage', ...box, text: 'x', fill: '#fff', fontSize: 7.5 }])
  ),
  v3('v3: text with fontSize as text', false, v3Body([{ id: 't', type: 'textImage', ...box, text: 'x', fill: '#fff', fontSize: '40' }])),
  v3('v3: text without fill', false, v3Body([{ id: 't', type: 'textImage', ...box, text: 'x', fontSize: 40 }])),
  v3('v3: text with fill 123', false, v3Body([{ id: 't', type: 'textImage', ...box, text: 'x', fill: 123, fontSize: 40 }])),
  v3('v3: shape without shapeName', false, v3Body([{ id: 's', type: 'shape', ...box, fill: '#fff' }])),
  v3('v3: video without video_url', false, v3Body([{ id: 'v', type: 'videoImage', ...box }])),
  v3('v3: audio with empty label', true, v3Body([{ id: 'au', type: 'audio', ...box, source_url: 'https://x/a.mp3', label: '' }])),
  v3('v3: audio without label', false, v3Body([{ id: 'au', type: 'audio', ...box, source_url: 'https://x/a.mp3' }])),
  v3('v3: a clip type the reference does not list', true, v3Body([{ id: 'x', type: 'sticker', ...box }])),
  v3('v3: line without tts', false, v3Body([], { scripts: [{ ...line, tts: undefined as unknown as Json }] })),
  v3('v3: line with tts as text', false, v3Body([], { scripts: [{ ...line, tts: 'x' }] })),
  v3('v3: line without isTTS', false, v3Body([], { scripts: [{ ...line, isTTS: undefined as unknown as Json }] })),
  v3('v3: line with empty org', true, v3Body([], { scripts: [{ ...line, org: '' }] })),
  v3('v3: line naming another avatar', false, v3Body([], { scripts: [{ ...line, modelId: 'M9' }] })),
  v3('v3: line with empty clothId', false, v3Body([], { scripts: [{ ...line, clothId: '' }] })),
  v3('v3: avatar speaking only script.org (getting-started)', true, {
    scenes: [{ sceneIdx: 0, background, clips: [{ ...avatar, script: { org: 'Hi.' } }] }]
  }),
  v3('v3: avatar with no speech anywhere', false, { scenes: [{ sceneIdx: 0, background, clips: [avatar] }] }),
  v3('v3: silent outro avatar, org "" and isDelete (the JSON-template tutorial)', true, {
    scenes: [{ sceneIdx: 0, background, clips: [{ ...avatar, isDelete: true, script: { org: '', tts: null } }] }]
  }),
  v3('v3: a scene without an avatar', true, {
    scenes: [{ sceneIdx: 0, background, clips: [{ id: 'i', type: 'image', ...box, source_url: 'https://x/i.png' }] }]
  }),
  legacy('legacy: complete', true, legacyBody({})),
  legacy('legacy: AIModel with empty model', false, legacyBody({ AIModel: { ...legacyModel, model: '' } })),
  legacy('legacy: AIModel without clothes', false, legacyBody({ AIModel: { ...legacyModel, clothes: undefined as unknown as Json } })),
  legacy('legacy: AIModel without script', false, legacyBody({ AIModel: { ...legacyModel, script: undefined as unknown as Json } })),
  legacy('legacy: AIModel with empty script', true, legacyBody({ AIModel: { ...legacyModel, script: '' } })),
  legacy('legacy: AIModel without locationX', false, legacyBody({ AIModel: { ...legacyModel, locationX: undefined as unknown as Json } })),
  legacy('legacy: AIModel without language (the reference samples)', true, legacyBody({})),
  legacy('legacy: a scene without AIModel (the tutorial)', true, {
    scenes: [{ clips: [{ type: 'userVideo', detail: { url: 'https://x/v.mp4' } }] }]
  }),
  legacy('legacy: image without url', false, legacyBody({ clips: [{ type: 'image', detail: {} }] })),
  legacy('legacy: userVideo without url', false, legacyBody({ clips: [{ type: 'userVideo', detail: { url: '' } }] })),
  legacy('legacy: text without url (the reference)', true, legacyBody({ clips: [{ type: 'text', detail: { textSource: 'hi' } }] })),
  legacy('legacy: a type no page names, without url', true, legacyBody({ clips: [{ type: 'video', detail: {} }] })),
  legacy('legacy: clip without detail', false, legacyBody({ clips: [{ type: 'image' }] })),
  legacy('legacy: clip without type', false, legacyBody({ clips: [{ detail: { url: 'https://x/i.png' } }] }))
]

const CORPUS: Body[] = [
  ...DOCS_FIXTURES.filter(isProjectBody).map((fixture) => ({
    name: `docs: ${fixture.file}`,
    generation: fixture.generation,
    body: filledBody(fixture) as JsonObject,
    valid: true
  })),
  ...VARIANTS
]

/** The action's verdict: its whole pre-send path, with the body as a template; what it would send when it takes it. */
function actionVerdict(entry: Body): { refusal?: string; sent?: JsonObject } {
  const data = JSON.parse(JSON.stringify(entry.body)) as Json
  const template: Template = { file: '/ws/body.json', name: 'body.json', text: JSON.stringify(data, null, 2), data }
  try {
    return { sent: exportFromTemplate(template, new Map(), [], {}, entry.generation).request.body }
  } catch (error) {
    if (error instanceof InputError) return { refusal: error.detail }
    throw error
  }
}

const simulatorVerdict = (generation: Generation, body: JsonObject): string | undefined =>
  generation === 'legacy' ? legacyBodyProblem(body) : v3BodyProblem(body)

describe('the action and the simulator agree on every body', () => {
  for (const entry of CORPUS) {
    it(entry.name, (t) => {
      // The raw body, as a user or the docs would send it: JSON drops the undefined fields the variants remove.
      const raw = JSON.parse(JSON.stringify(entry.body)) as JsonObject
      const action = actionVerdict(entry)
      const simulator = simulatorVerdict(entry.generation, raw)
      t.diagnostic(
        `action: ${action.refusal ? `refuses (${action.refusal})` : 'takes'} | simulator: ${simulator ? `refuses (${simulator})` : 'takes'}`
      )
      assert.equal(action.refusal === undefined, simulator === undefined, 'the two checks disagree')
      assert.equal(action.refusal === undefined, entry.valid, entry.valid ? 'a valid body is refused' : 'an invalid body is taken')
      // What the action sends of a body it takes is taken too.
      if (action.sent) assert.equal(simulatorVerdict(entry.generation, action.sent), undefined, 'the simulator refuses what the action sends')
    })
  }
})
