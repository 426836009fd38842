/** As strict as the API reference (issue 20): documented bodies, tokens only on v3, legacy envelopes and projects, the record's URL. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import {
  DIALOGUE_PROJECT_ID,
  LEGACY_PROJECT,
  LEGACY_PROJECT_ID,
  MINIMAL_V3_BODY,
  SAMPLE_VIDEO,
  TEST_API_KEY,
  startSimulator,
  withSimulator,
  v3BodyProblem,
  type Simulator
} from './simulator/server.ts'

const AVATAR = { ai_name: 'M000004017', emotion: 'BG00006160', language: 'en' }
const background = { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' }
const geometry = { layer: 2, top: 0, left: 0, width: 1920, height: 1080 }
/** The getting-started style: speech only in the avatar clip's `script.org`, no `scripts[]`. */
const CLIP_ONLY = {
  name: 'Clip only',
  scenes: [
    { background, clips: [{ id: 'anchor', type: 'aiModel', ...geometry, script: { org: 'Hello from ##WHO##.', tts: null }, model: AVATAR }] },
    { background, clips: [{ id: 'logo', type: 'image', ...geometry, source_url: 'https://example.com/logo.png' }] }
  ]
}

describe('a v3 template in the getting-started style', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 200 })
  })
  after(() => sim.close())

  it('is sent with the scripts[] create-project.md requires, built from the avatar clip', async () => {
    const run = await runAction({
      workspace: makeWorkspace({ 't.json': JSON.stringify(CLIP_ONLY) }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 't.json', variables: 'WHO: CI' }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, 1)
    const scenes = sim.exports[0].body.scenes as Array<{ sceneIdx: number; scripts?: unknown; clips: any[] }>
    assert.deepEqual(scenes[0].scripts, [{ org: 'Hello from CI.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }])
    assert.equal(scenes[0].clips[0].script.org, 'Hello from CI.', 'the 1.4 field is kept in step')
    assert.deepEqual(
      scenes.map((scene) => scene.sceneIdx),
      [0, 1]
    )
    assert.equal(scenes[1].scripts, undefined, 'a scene without an avatar gets no line')
  })

  it('is refused before export when a line names another avatar, naming scene and line', async () => {
    const template = structuredClone(CLIP_ONLY) as any
    template.scenes[0].scripts = [{ org: 'Hi.', isTTS: false, tts: null, modelId: 'M000099999', clothId: 'BG00006160' }]
    const before = sim.requests.length
    const run = await runAction({
      workspace: makeWorkspace({ 't.json': JSON.stringify(template) }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 't.json', variables: 'WHO: CI' }
    })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::Input 'template': t\.json, line 0 of scene 0: modelId\/clothId M000099999\/BG00006160 match no avatar clip/)
    assert.equal(sim.requests.length, before, 'nothing was sent')
  })
})

describe("the README's v3 template", () => {
  it('is the shape create-project.md documents, as the simulator checks it', () => {
    const readme = fs.readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
    const start = readme.indexOf('```json', readme.indexOf('**v3** (`POST /api/odin/v3/editor/project`')) + '```json'.length
    const example = JSON.parse(readme.slice(start, readme.indexOf('```', start))) as Record<string, unknown>
    assert.equal(v3BodyProblem(example), undefined)
    assert.ok(Array.isArray((example.scenes as any[])[0].scripts))
  })
})

describe('the simulator holds to the reference', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 0 })
  })
  after(() => sim.close())
  const post = async (origin: string, path: string, authorization: string, body: unknown) => {
    const answer = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    })
    return { status: answer.status, json: (await answer.json()) as Record<string, unknown> }
  }

  it('refuses a v3 body without scripts[], and one whose line names no avatar of its scene', async () => {
    const token = sim.mintToken()
    const body = structuredClone(MINIMAL_V3_BODY) as any
    delete body.scenes[0].scripts
    const missing = await post(sim.apiUrl, '/api/odin/v3/editor/project', token, body)
    assert.equal(missing.status, 400)
    assert.deepEqual(missing.json, { success: false, error: { code: 400, msg: 'scenes[0].scripts is required' } })
    const wrong = structuredClone(MINIMAL_V3_BODY) as any
    wrong.scenes[0].scripts[0].clothId = 'BG00000000'
    assert.equal((await post(sim.apiUrl, '/api/odin/v3/editor/project', token, wrong)).status, 400)
    assert.equal((await post(sim.apiUrl, '/api/odin/v3/editor/project', token, { scenes: [{}] })).status, 400)
    assert.equal(sim.exports.length, 0)
    assert.equal((await post(sim.apiUrl, '/api/odin/v3/editor/project', token, MINIMAL_V3_BODY)).status, 200)
  })

  it('refuses what the reference requires of scenes and clips: v3 background and clip fields, legacy AIModel and detail', async () => {
    const token = sim.mintToken()
    const exported = sim.exports.length
    const v3 = (change: (scene: any) => void): unknown => {
      const body = structuredClone(MINIMAL_V3_BODY) as any
      change(body.scenes[0])
      return body
    }
    const image = { id: 'i', type: 'image', layer: 2, top: 0, left: 0, width: 9, height: 9 }
    const refusals: Array<[unknown, string]> = [
      [
        v3((scene) => {
          delete scene.background
        }),
        'scenes[0].background is required (Json)'
      ],
      [
        v3((scene) => {
          scene.clips.push(image)
        }),
        'scenes[0].clips[1].source_url is required for a image clip'
      ],
      [
        v3((scene) => {
          scene.clips.push({ ...image, type: 'textImage', text: 'x', fill: '#fff', fontSize: '40' })
        }),
        'scenes[0].clips[1].fontSize is required for a textImage clip'
      ]
    ]
    for (const [body, msg] of refusals) {
      assert.deepEqual((await post(sim.apiUrl, '/api/odin/v3/editor/project', token, body)).json, { success: false, error: { code: 400, msg } })
    }
    const legacyModel = { model: 'M1', clothes: '1', locationX: 0, locationY: 0, script: 'hi' }
    const legacy: Array<[unknown, string]> = [
      [{ scenes: [{ AIModel: { script: 'hi' } }] }, 'scenes[0].AIModel.model is required'],
      [{ scenes: [{ AIModel: legacyModel, clips: [{ type: 'image', detail: {} }] }] }, 'scenes[0].clips[0].detail.url is required']
    ]
    for (const [body, msg] of legacy) {
      const answer = await post(sim.apiUrl, '/api/odin/editor/project', TEST_API_KEY, body)
      assert.equal(answer.status, 400)
      assert.match(JSON.stringify(answer.json), new RegExp(msg.replace(/[.[\]]/g, '\\$&')))
    }
    assert.equal(sim.exports.length, exported)
    // `resource_url` (the tutorial's code) names an image as `source_url` (clips.md) does; `language` may be left out.
    assert.equal(
      (
        await post(
          sim.apiUrl,
          '/api/odin/v3/editor/project',
          token,
          v3((scene) => {
            scene.clips.push({ ...image, resource_url: 'https://x/i.png' })
          })
        )
      ).status,
      200
    )
    assert.equal((await post(sim.apiUrl, '/api/odin/editor/project', TEST_API_KEY, { scenes: [{ AIModel: legacyModel }] })).status, 200)
  })

  it('takes no permanent key on v3: only tokens it issued', async () => {
    const refused = await post(sim.apiUrl, '/api/odin/v3/editor/project', TEST_API_KEY, MINIMAL_V3_BODY)
    assert.equal(refused.status, 401)
    const auth = (await (await fetch(`${sim.apiUrl}/api/odin/v3/auth`, { headers: { Authorization: TEST_API_KEY } })).json()) as any
    assert.equal(auth.data.isAuthenticated, false)
  })

  it('answers legacy failures in the legacy envelope: success false and a top-level msg', async () => {
    const badKey = await post(sim.legacyUrl, '/api/odin/editor/project', 'wrong', { scenes: [{}] })
    assert.equal(badKey.status, 401)
    assert.deepEqual(Object.keys(badKey.json).sort(), ['msg', 'success'])
    const noScenes = await post(sim.legacyUrl, '/api/odin/editor/project', TEST_API_KEY, {})
    assert.deepEqual(noScenes.json, { success: false, msg: 'scenes is required' })
    sim.options.faults.push({ route: 'export', kind: 'status', status: 503 })
    const fault = await post(sim.legacyUrl, '/api/odin/editor/project', TEST_API_KEY, { scenes: [{}] })
    assert.equal(fault.status, 503)
    assert.deepEqual(fault.json, { success: false, msg: 'Server error' })
    const unknown = (await (await fetch(`${sim.legacyUrl}/api/odin/editor/project/nope`, { headers: { Authorization: TEST_API_KEY } })).json()) as any
    assert.deepEqual(unknown, { success: false, msg: 'Project not found' })
  })
})

describe('a saved legacy project', () => {
  it('is fetched from the legacy host, given its new speech in AIModel.script, exported and downloaded', () =>
    withSimulator({ renderMs: 200 }, async (sim) => {
      const run = await runAction({
        inputs: {
          'api-key': TEST_API_KEY,
          'api-url': sim.apiUrl,
          'legacy-api-url': sim.legacyUrl,
          'project-id': LEGACY_PROJECT_ID,
          'api-generation': 'legacy',
          script: '이번 주 소식입니다.'
        }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.ok(sim.requests.some((r) => r.origin === 'legacy' && r.method === 'GET' && r.path === `/api/odin/editor/project/${LEGACY_PROJECT_ID}`))
      assert.equal(sim.exports.length, 1)
      assert.equal(sim.exports[0].path, '/api/odin/editor/project')
      const expected = structuredClone(LEGACY_PROJECT.scenes) as any[]
      expected[0].AIModel.script = '이번 주 소식입니다.'
      assert.deepEqual(sim.exports[0].body, { scenes: expected })
      assert.ok(!sim.requests.some((r) => r.path.startsWith('/api/odin/v3/')), 'nothing went to v3')
      assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    }))
})

describe("the export record's URL", () => {
  it('is used once its progress is 100, whatever its state says ("complete" here)', () =>
    withSimulator({ renderMs: 200, urlLagPolls: 1000, recordState: 'complete' }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': DIALOGUE_PROJECT_ID, timeout: '0.2' }
      })
      assert.equal(run.code, 0, run.stdout)
      const key = sim.exports[0].key
      assert.ok(
        sim.requests.some((r) => r.path === `/api/odin/v3/editor/project/${key}`),
        'the record was read'
      )
      assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    }))
})
