/** The API as its docs say today (../shared/aistudios-api.md): tokens, the legacy host, dialogue lines, tags, state. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import {
  DIALOGUE_PROJECT,
  DIALOGUE_PROJECT_ID,
  LEGACY_CUBES,
  SAMPLE_VIDEO,
  TEST_API_KEY,
  startSimulator,
  type Simulator,
  withSimulator
} from './simulator/server.ts'

const LEGACY = fs.readFileSync(fileURLToPath(new URL('./fixtures/templates/legacy-promo.json', import.meta.url)), 'utf8')
const LEGACY_VARS =
  'INTRO_VIDEO_URL: https://example.com/i.mp4\nIMAGE_URL: https://example.com/c.png\nOUTRO_VIDEO_URL: https://example.com/o.mp4\nSCRIPT: Hello'

type Scene = { scripts: Array<{ org: string; modelId: string }>; clips: Array<Record<string, unknown>> }

describe('credentials: app-id and user-key buy a 24-hour token', () => {
  it('exchanges once more when the token is refused mid-run, and repeats only the read', () =>
    withSimulator({ apiKeys: [], apps: { app: 'key-1f2e' }, tokenLifetimeMs: 1200, renderMs: 1600 }, async (sim) => {
      const run = await runAction({ inputs: { 'app-id': 'app', 'user-key': 'key-1f2e', 'api-url': sim.apiUrl, 'project-id': DIALOGUE_PROJECT_ID } })
      assert.equal(run.code, 0, run.stdout)
      assert.match(
        run.stdout,
        /::warning::Checking progress of \w+: the token was refused; exchanging app-id and user-key for a new one/,
        'the token expired'
      )
      assert.equal(sim.requests.filter((r) => r.path.endsWith('/auth/token')).length, 2)
      assert.equal(sim.exports.length, 1)
    }))

  it('a dry run asks the API whether it accepts them, and fails when it does not', () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': 'a-stale-token', 'api-url': sim.apiUrl, template: 't.json', 'dry-run': 'true' },
        workspace: makeWorkspace({ 't.json': JSON.stringify(DIALOGUE_PROJECT) })
      })
      assert.equal(run.code, 1)
      assert.deepEqual(
        sim.requests.map((r) => r.path),
        ['/api/odin/v3/auth']
      )
      assert.match(
        run.stdout,
        /::error::The AI Studios API rejected the credentials \(GET \/api\/odin\/v3\/auth answered isAuthenticated: false\)\. If 'api-key' holds a v3 access token: tokens expire 24 hours/
      )
      assert.ok(!run.stdout.replace(/::add-mask::.*\n/, '').includes('a-stale-token'))
    }))
})

describe('the legacy API on its own host', () => {
  for (const shape of ['flat', 'data'] as const) {
    it(`exports a legacy template through legacy-api-url, its answers ${shape}, and outputs the credits`, () =>
      withSimulator({ legacyShape: shape, legacyUrlField: 'videoUrl', renderMs: 400 }, async (sim) => {
        const run = await runAction({
          workspace: makeWorkspace({ 'promo.json': LEGACY }),
          inputs: { 'api-key': TEST_API_KEY, 'api-url': sim.apiUrl, 'legacy-api-url': sim.legacyUrl, template: 'promo.json', variables: LEGACY_VARS }
        })
        assert.equal(run.code, 0, run.stdout)
        assert.deepEqual(new Set(sim.requests.filter((r) => r.origin !== 'cdn').map((r) => r.origin)), new Set(['legacy']))
        assert.equal(run.outputs.credits, String(LEGACY_CUBES))
        assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
      }))
  }

  it("shows a legacy failure's msg, and takes no words of it for a refused key", () =>
    withSimulator({ authFailure: 'envelope' }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'promo.json': LEGACY }),
        inputs: { 'api-key': 'wrong', 'api-url': sim.apiUrl, 'legacy-api-url': sim.legacyUrl, template: 'promo.json', variables: LEGACY_VARS }
      })
      assert.equal(run.code, 1)
      // The legacy API documents no codes, and HTTP 200 is no refusal: only its msg is shown.
      assert.match(run.stdout, /::error::.*HTTP 200 Invalid API key/)
      assert.doesNotMatch(run.stdout, /rejected the credentials/)
      assert.equal(sim.exports.length, 0)
    }))
})

describe('dialogue lines and tagged clips of a 1.6 project', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 300, withState: true })
  })
  after(() => sim.close())
  const run = (inputs: Record<string, string>, files: Record<string, string> = {}) =>
    runAction({
      workspace: makeWorkspace(files),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': DIALOGUE_PROJECT_ID, ...inputs }
    })
  const lastScenes = (): Scene[] => sim.exports.at(-1)?.body.scenes as Scene[]

  it('sets a line of dialogue where the project keeps it, the other avatar and lines untouched, no field added', async () => {
    const result = await run({ scripts: '1.1: "It shipped on Monday."\n0: Welcome back.' }, {})
    assert.equal(result.code, 0, result.stdout)
    const scenes = lastScenes()
    const original = DIALOGUE_PROJECT.scenes as Scene[]
    assert.equal(scenes[1].scripts[1].org, 'It shipped on Monday.')
    assert.equal(scenes[1].scripts[1].modelId, original[1].scripts[1].modelId)
    assert.deepEqual([scenes[1].scripts[0], scenes[1].scripts[2]], [original[1].scripts[0], original[1].scripts[2]])
    assert.equal(scenes[0].scripts[0].org, 'Welcome back.')
    for (const scene of scenes) for (const clip of scene.clips) assert.ok(!('script' in clip), 'no script field added to a clip')
  })

  it('reads a line from scripts-dir as 1.1-answer.txt', async () => {
    const result = await run({ 'scripts-dir': 'speech' }, { 'speech/1.1-answer.txt': 'Monday, in fact.\n', 'speech/2.txt': 'Bye.' })
    assert.equal(result.code, 0, result.stdout)
    assert.equal(lastScenes()[1].scripts[1].org, 'Monday, in fact.')
    assert.equal(lastScenes()[2].scripts[0].org, 'Bye.')
  })

  it('refuses a line that does not exist, before anything is exported', async () => {
    const exports = sim.exports.length
    const result = await run({ scripts: '1.3: nobody says this' })
    assert.equal(result.code, 1)
    assert.match(
      result.stdout,
      /::error::Input 'scripts': line 1: line 3 of scene 1 of project proj-dialogue-16 does not exist: the scene has 3 line\(s\) of dialogue/
    )
    assert.equal(sim.exports.length, exports)
  })

  it('gives every clip with a tag its value: text, image, video', async () => {
    const result = await run({ tags: 'title: Shipped this week\nlogo: https://example.com/new-logo.png\ndemo: https://example.com/new-demo.mp4' })
    assert.equal(result.code, 0, result.stdout)
    const clips = lastScenes().flatMap((scene) => scene.clips)
    assert.deepEqual(
      clips.filter((c) => c.tag === 'title').map((c) => c.text),
      ['Shipped this week', 'Shipped this week']
    )
    assert.equal(clips.find((c) => c.tag === 'logo')?.source_url, 'https://example.com/new-logo.png')
    assert.equal(clips.find((c) => c.tag === 'demo')?.video_url, 'https://example.com/new-demo.mp4')
    assert.equal(clips.find((c) => c.tag === 'subtitle')?.text, 'What shipped', 'an untagged value stays')
  })

  for (const [tags, message] of [
    ['nope: x', /Input 'tags': tag 'nope' matches no clip of project proj-dialogue-16/],
    ['badge: x', /Input 'tags': tag 'badge' marks only shape clip\(s\) in project proj-dialogue-16, whose content cannot be set by a tag/]
  ] as const) {
    it(`refuses ${tags.split(':')[0]} before anything is exported`, async () => {
      const exports = sim.exports.length
      const result = await run({ tags })
      assert.equal(result.code, 1)
      assert.match(result.stdout, message)
      assert.equal(sim.exports.length, exports)
    })
  }

  it('fills placeholders in the tag values of a v3 template', async () => {
    const result = await runAction({
      workspace: makeWorkspace({ 'qa.json': JSON.stringify(DIALOGUE_PROJECT) }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        template: 'qa.json',
        tags: 'title: "Version ##VERSION##"',
        variables: 'VERSION: 2.0'
      }
    })
    assert.equal(result.code, 0, result.stdout)
    assert.equal(lastScenes()[0].clips.find((c) => c.tag === 'title')?.text, 'Version 2.0')
  })

  it('logs the state, and outputs the thumbnail from the export record', async () => {
    const result = await run({})
    assert.equal(result.code, 0, result.stdout)
    const key = sim.exports.at(-1)?.key ?? ''
    assert.equal(result.outputs['project-id'], key)
    assert.match(result.stdout, /State: exported/)
    assert.equal(result.outputs['thumbnail-url'], `${sim.cdnUrl}/thumbnails/${key}.jpg`)
    assert.match(result.summary, new RegExp(`<img src="${sim.cdnUrl}/thumbnails/${key}\\.jpg"`))
  })

  it('asks for nothing between the progress answer carrying the URL and the video: the thumbnail comes after', async () => {
    const result = await run({})
    assert.equal(result.code, 0, result.stdout)
    const key = sim.exports.at(-1)?.key ?? ''
    assert.equal(result.outputs['project-id'], key)
    const mine = sim.requests.filter((r) => r.path.endsWith(key) || r.path.startsWith(`/videos/${key}/`))
    const firstVideo = mine.findIndex((r) => r.origin === 'cdn')
    const record = mine.findIndex((r) => r.path === `/api/odin/v3/editor/project/${key}`)
    assert.ok(firstVideo > 0 && record > 0, 'the video and the record were both fetched')
    assert.equal(mine[firstVideo - 1].path, `/api/odin/v3/editor/progress/${key}`, 'the video follows the last progress answer')
    assert.ok(record > firstVideo, 'the record (the thumbnail) is read after the video was asked for')
  })
})

describe('a download URL that never comes with progress', () => {
  it("is taken from the export's record", () =>
    withSimulator({ renderMs: 200, urlLagPolls: 1000 }, async (sim) => {
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': DIALOGUE_PROJECT_ID } })
      assert.equal(run.code, 0, run.stdout)
      const key = sim.exports[0].key
      assert.equal(run.outputs['project-id'], key)
      assert.ok(
        sim.requests.some((r) => r.path === `/api/odin/v3/editor/project/${key}`),
        'the record was read'
      )
      assert.equal(
        sim.requests.filter((r) => r.path === `/api/odin/v3/editor/project/${key}`).length,
        1,
        'the record read for the URL also gives the thumbnail'
      )
      assert.equal(run.outputs['thumbnail-url'], `${sim.cdnUrl}/thumbnails/${key}.jpg`)
      assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    }))
})

describe('facts from the file itself', () => {
  it('outputs the duration, width and height the MP4 says, and shows them in the summary', () =>
    withSimulator({ renderMs: 200 }, async (sim) => {
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': DIALOGUE_PROJECT_ID } })
      assert.equal(run.code, 0, run.stdout)
      assert.match(run.outputs['video-duration'], /^3\.\d{3}$/)
      assert.equal(run.outputs['video-width'], '320')
      assert.equal(run.outputs['video-height'], '180')
      assert.match(run.summary, /3\.\d s, 320×180, avc1 \+ mp4a/)
      const [video] = JSON.parse(run.outputs.videos) as Array<{ width: number; height: number; duration: number }>
      assert.deepEqual([video.width, video.height], [320, 180])
    }))
})
