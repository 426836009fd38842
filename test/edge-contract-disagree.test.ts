/**
 * Attack (brief item 1): bodies on which the action's pre-send contract (requestProblem + completeScripts)
 * and the simulator's independent check (v3BodyProblem / legacyBodyProblem) disagree. contract-corpus.test.ts
 * claims they agree; each case here is one complete body changed in one place. In every case the action
 * refuses (nothing billed) what the simulator takes: the action is stricter than the simulator's reading
 * of the reference on these points, so either the simulator is too lax or the action refuses valid bodies.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, JsonObject, Template } from '../src/domain.ts'
import { InputError } from '../src/errors.ts'
import { exportFromTemplate } from '../src/request/template.ts'
import { legacyBodyProblem, v3BodyProblem } from './simulator/server.ts'

const box = { layer: 1, top: 0, left: 0, width: 10, height: 10 }
const background = { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' }
const avatar = { id: 'a', type: 'aiModel', ...box, model: { ai_name: 'M1', emotion: 'C1' } }
const second = { ...avatar, id: 'b', model: { ai_name: 'M2', emotion: 'C2' } }
const line = { org: 'Hello.', isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }
const v3Body = (clips: Json[] = [], scene: JsonObject = {}): string =>
  JSON.stringify({ scenes: [{ sceneIdx: 0, background, clips: [avatar, ...clips], scripts: [line], ...scene }] })
const legacyModel = { model: 'M1', clothes: 'C1', script: 'Hello.', locationX: 0, locationY: 0 }
const legacyBody = (scene: JsonObject): string => JSON.stringify({ scenes: [{ AIModel: legacyModel, clips: [], ...scene }] })

const CASES: Array<[name: string, generation: 'v3' | 'legacy', text: string]> = [
  [
    // 1.4 style, no scripts[]: one avatar speaks (script.org), a second avatar's script holds no org yet
    // (`{}`): the simulator finds a speaking avatar and takes it; completeScripts refuses the scene.
    'v3: 1.4-style scene, avatar a speaks, avatar b has script {} (no org)',
    'v3',
    JSON.stringify({
      scenes: [
        {
          sceneIdx: 0,
          background,
          clips: [
            { ...avatar, script: { org: 'Hi.' } },
            { ...second, script: {} }
          ]
        }
      ]
    })
  ],
  [
    'v3: 1.4-style scene, avatar a speaks, avatar b has script { org: null, tts: null }',
    'v3',
    JSON.stringify({
      scenes: [
        {
          sceneIdx: 0,
          background,
          clips: [
            { ...avatar, script: { org: 'Hi.' } },
            { ...second, script: { org: null, tts: null } }
          ]
        }
      ]
    })
  ],
  ['v3: a clip whose type is "" (the simulator only asks for a string)', 'v3', v3Body([{ id: 'x', type: '', ...box }])],
  // JSON.parse reads 1e999 as Infinity, in the action and in the API alike: a number, yet not a finite one.
  [
    'v3: a clip with "layer": 1e999',
    'v3',
    v3Body([{ id: 'x', type: 'sticker', ...box }]).replace(
      '"layer":1,"top":0,"left":0,"width":10,"height":10}]',
      '"layer":1e999,"top":0,"left":0,"width":10,"height":10}]'
    )
  ],
  ['legacy: AIModel "language": "" (the simulator does not look at language)', 'legacy', legacyBody({ AIModel: { ...legacyModel, language: '' } })],
  ['legacy: AIModel "language": null', 'legacy', legacyBody({ AIModel: { ...legacyModel, language: null } })],
  ['legacy: a clip whose type is ""', 'legacy', legacyBody({ clips: [{ type: '', detail: {} }] })],
  ['legacy: AIModel "locationX": 1e999', 'legacy', legacyBody({}).replace('"locationX":0', '"locationX":1e999')]
]

function actionVerdict(generation: 'v3' | 'legacy', text: string): string | undefined {
  const data = JSON.parse(text) as Json
  const template: Template = { file: '/ws/body.json', name: 'body.json', text, data }
  try {
    exportFromTemplate(template, new Map(), [], {}, generation)
    return undefined
  } catch (error) {
    if (error instanceof InputError) return error.detail
    throw error
  }
}

describe('the action and the simulator disagree', () => {
  for (const [name, generation, text] of CASES) {
    it(name, () => {
      const action = actionVerdict(generation, text)
      const raw = JSON.parse(text) as JsonObject
      const simulator = generation === 'legacy' ? legacyBodyProblem(raw) : v3BodyProblem(raw)
      assert.equal(
        action === undefined,
        simulator === undefined,
        `action: ${action ? `refuses (${action})` : 'takes'} | simulator: ${simulator ? `refuses (${simulator})` : 'takes'}`
      )
    })
  }
})

/**
 * "A body the reference calls incomplete that both accept" (brief item 1): clips.md / create-project.md type
 * `layer` as Int (every docs example uses 1, 2, 3, 509 or 511), and the contract enforces Int for
 * `sceneIdx` from the same table, yet a fractional layer passes both checks and is billed.
 * Low severity: what the API does with it is undocumented.
 */
describe('a layer the reference does not allow (Int) is taken by both', () => {
  for (const layer of [1.5]) {
    it(`layer ${layer}`, () => {
      const text = v3Body([{ id: 'x', type: 'image', ...box, layer, source_url: 'https://x/i.png' }])
      const action = actionVerdict('v3', text)
      const simulator = v3BodyProblem(JSON.parse(text) as JsonObject)
      assert.ok(action !== undefined || simulator !== undefined, `both take "layer": ${layer} (create-project.md: Int, the order of clips)`)
    })
  }
})
