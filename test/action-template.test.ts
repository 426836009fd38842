/** End to end: templates kept in the repository, both generations, through dist/index.js. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, TEST_API_KEY, startSimulator, type Simulator } from './simulator/server.ts'

const fixture = (name: string): string => fs.readFileSync(fileURLToPath(new URL(`./fixtures/templates/${name}`, import.meta.url)), 'utf8')
const LEGACY = fixture('legacy-promo.json')
const V3 = fixture('v3-news.json')

describe('a legacy template with the four placeholders of the tutorial', () => {
  let sim: Simulator
  let run: Awaited<ReturnType<typeof runAction>>
  const speech = '안녕하세요! 이번 주 "소식"입니다.\nC:\\path, C# and ## alone'

  before(async () => {
    sim = await startSimulator({ renderMs: 1200, legacyUrlField: 'videoUrl' })
    run = await runAction({
      workspace: makeWorkspace({ 'templates/promo.json': LEGACY, 'vars.yml': 'IMAGE_URL: https://example.com/chart.png\nSCRIPT: from the file\n' }),
      inputs: {
        'api-key': TEST_API_KEY,
        'api-url': sim.apiUrl,
        template: 'templates/promo.json',
        'variables-file': 'vars.yml',
        variables: [
          'INTRO_VIDEO_URL: https://example.com/intro.mp4',
          'OUTRO_VIDEO_URL: "https://example.com/outro.mp4"',
          `SCRIPT: ${JSON.stringify(speech)}`
        ].join('\n')
      }
    })
  })
  after(() => sim.close())

  it('posts exactly the filled template to the legacy endpoint, once', () => {
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, 1)
    assert.equal(sim.exports[0].path, '/api/odin/editor/project')
    const expected = JSON.parse(LEGACY)
    expected.scenes[0].clips[0].detail.url = 'https://example.com/intro.mp4'
    expected.scenes[1].AIModel.script = speech
    expected.scenes[1].clips[1].detail.url = 'https://example.com/chart.png'
    expected.scenes[2].clips[0].detail.url = 'https://example.com/outro.mp4'
    assert.deepEqual(sim.exports[0].body, expected)
  })

  it('polls the legacy progress endpoint and downloads the video it names as videoUrl', () => {
    const key = sim.exports[0].key
    assert.ok(sim.requests.some((r) => r.path === `/api/odin/editor/progress/${key}`))
    assert.ok(!sim.requests.some((r) => r.path.startsWith('/api/odin/v3/')))
    assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
    assert.equal(run.outputs['project-id'], key)
  })
})

describe('a v3 template with per-scene speech and a placeholder in a text clip', () => {
  let sim: Simulator
  let run: Awaited<ReturnType<typeof runAction>>

  before(async () => {
    sim = await startSimulator({ renderMs: 1200 })
    run = await runAction({
      workspace: makeWorkspace({
        'video/news.json': V3,
        'video/speech/00-opening.txt': 'Welcome to Widget 2.0.\n',
        'video/speech/02-closing.txt': '다음 주에 만나요.\n',
        'video/speech/README.md': 'Speech files, named by scene index.'
      }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        template: 'video/news.json',
        'scripts-dir': 'video/speech',
        variables: 'PRODUCT: Widget\nVERSION: 2.0\nUNUSED_THING: x',
        resolution: '720'
      }
    })
  })
  after(() => sim.close())

  it("posts exactly the filled template with each scene's speech to the v3 endpoint", () => {
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, 1)
    assert.equal(sim.exports[0].path, '/api/odin/v3/editor/project')
    const template = JSON.parse(V3)
    template.scenes[0].clips[0].text = "Widget 2.0 — what's new in 2.0"
    template.scenes[0].clips[1].script.org = 'Welcome to Widget 2.0.'
    template.scenes[0].scripts[0].org = 'Welcome to Widget 2.0.'
    template.scenes[2].clips[0].script.org = '다음 주에 만나요.'
    // Scene 2 has speech only in its clip (the getting-started style): its scripts[] is built from the clip.
    const { ai_name: modelId, emotion: clothId } = template.scenes[2].clips[0].model
    template.scenes[2].scripts = [{ org: '다음 주에 만나요.', isTTS: false, tts: null, modelId, clothId }]
    assert.deepEqual(sim.exports[0].body, {
      name: 'News for Widget',
      orientation: 'portrait',
      scenes: template.scenes,
      isExport: true,
      resolution: '720'
    })
    assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
  })

  it('warns about a variable that matches no placeholder, and a file it ignored', () => {
    assert.match(run.stdout, /::warning::Variable UNUSED_THING \(from variables\) matches no ##UNUSED_THING## in video\/news\.json: a typo\?/)
    assert.match(run.stdout, /::warning::scripts-dir: ignoring README\.md/)
  })
})

describe('template refusals: exit 1, a precise message, nothing sent', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator()
  })
  after(() => sim.close())

  const files = {
    'promo.json': LEGACY,
    'news.json': V3,
    'bad.json': '{\n  "scenes": [\n    { "clips" [] }\n  ]\n}\n',
    'empty.json': '{ "scenes": [] }',
    'dup.json': '{\n  "scenes": [],\n  "scenes": [{ "clips": [] }]\n}\n',
    'shapeless.json': '{ "video": [] }',
    'no-avatar.json': '{ "scenes": [ { "clips": [ { "type": "image", "source_url": "x" } ] } ] }',
    'bad-vars.yml': 'A: 1\nB: [unclosed\n',
    'own-options.json': `{\n  "resolution": "8k",\n  "webhookUrl": "http://user:pw@evil.example/hook",\n  "scenes": ${JSON.stringify(JSON.parse(V3).scenes)}\n}`,
    'own-hook.json': `{\n  "webhookUrl": "http://user:pw@evil.example/hook",\n  "scenes": ${JSON.stringify(JSON.parse(V3).scenes)}\n}`,
    'list-vars.yml': 'PRODUCT: a\n\nVERSION: [1, 2]\n',
    'far.yml': '0: hello\n# then\n7: nobody\n',
    'bare-legacy.json': '{ "scenes": [ { "AIModel": { "script": "hi" } } ] }',
    'no-background.json': JSON.stringify({
      scenes: [{ clips: [{ id: 'c', type: 'image', layer: 1, top: 0, left: 0, width: 9, height: 9, source_url: 'https://x/i.png' }] }]
    })
  }
  const base = (): Record<string, string> => ({ 'api-key': sim.mintToken(), 'api-url': sim.apiUrl })
  const cases: Array<{ name: string; inputs: Record<string, string>; message: RegExp }> = [
    { name: 'a missing template', inputs: { template: 'nope.json' }, message: /::error::Input 'template': file 'nope\.json' does not exist/ },
    {
      name: 'a template outside the workspace',
      inputs: { template: '/etc/hostname' },
      message: /::error::Input 'template': '\/etc\/hostname' is outside the workspace/
    },
    { name: 'a template that is a directory', inputs: { template: '.' }, message: /::error::Input 'template': file '\.' is a directory/ },
    {
      name: 'JSON that does not parse, with file, line and column',
      inputs: { template: 'bad.json' },
      message: /::error file=bad\.json,line=3,col=15::Input 'template': bad\.json:3:15: not valid JSON: Expected ':' after property name/
    },
    {
      name: 'a key written twice in one object, with file, line and column',
      inputs: { template: 'dup.json' },
      message: /::error file=dup\.json,line=3,col=3::Input 'template': dup\.json:3:3: the key "scenes" is written twice in one object/
    },
    {
      name: 'unresolved placeholders, all listed at once',
      inputs: { template: 'promo.json', variables: 'SCRIPT: hi' },
      message:
        /::error file=promo\.json,line=\d+,col=\d+::Input 'template': promo\.json has 3 placeholder\(s\) with no value: ##INTRO_VIDEO_URL## \(line 7\), ##IMAGE_URL## \(line 26\), ##OUTRO_VIDEO_URL## \(line 34\)/
    },
    {
      name: 'a scene index that does not exist',
      inputs: { template: 'news.json', variables: 'PRODUCT: a\nVERSION: b', scripts: '7: hello' },
      message: /::error::Input 'scripts': line 1: scene 7 does not exist: news\.json has 3 scene\(s\), numbered from 0/
    },
    {
      name: 'speech for a scene with no avatar',
      inputs: { template: 'news.json', variables: 'PRODUCT: a\nVERSION: b', scripts: '1: hello' },
      message: /::error::Input 'scripts': line 1: scene 1 of news\.json has no avatar to speak it/
    },
    {
      name: 'an empty scenes array',
      inputs: { template: 'empty.json' },
      message: /::error file=empty\.json::Input 'template': empty\.json has an empty "scenes" array/
    },
    {
      name: 'a template of neither shape',
      inputs: { template: 'shapeless.json' },
      message: /::error file=shapeless\.json::Input 'template': shapeless\.json is neither template shape/
    },
    {
      name: 'a template with no avatar or typed clip, unless forced',
      inputs: { template: 'no-avatar.json', 'api-generation': 'legacy' },
      message: /::error::Input 'api-generation': 'legacy' was asked for, but no-avatar\.json has the v3 shape/
    },
    {
      name: 'both template and project-id',
      inputs: { template: 'promo.json', 'project-id': SAMPLE_PROJECT_ID },
      message: /::error::Input 'template': give either 'template' or 'project-id', not both/
    },
    {
      name: 'variables for a saved project',
      inputs: { 'project-id': SAMPLE_PROJECT_ID, variables: 'A: 1' },
      message: /::error::Input 'variables': placeholders are filled only in a 'template'/
    },
    {
      name: 'variables that are not a mapping',
      inputs: { template: 'promo.json', variables: '- a\n- b' },
      message: /::error::Input 'variables': must be a mapping of NAME: value/
    },
    {
      name: 'a variables file that does not parse',
      inputs: { template: 'promo.json', 'variables-file': 'bad-vars.yml' },
      message: /::error file=bad-vars\.yml,line=\d+,col=\d+::Input 'variables-file': bad-vars\.yml:\d+:\d+: not valid YAML\/JSON/
    },
    {
      name: 'a list in a variables file, at its line',
      inputs: { template: 'news.json', 'variables-file': 'list-vars.yml' },
      message: /::error file=list-vars\.yml,line=3,col=1::Input 'variables-file': list-vars\.yml:3:1: the value of VERSION must be text, not a list/
    },
    {
      name: 'a scene that does not exist, at its line in the scripts file',
      inputs: { template: 'news.json', variables: 'PRODUCT: a\nVERSION: b', 'scripts-file': 'far.yml' },
      message: /::error file=far\.yml,line=3,col=1::Input 'scripts-file': far\.yml:3:1: scene 7 does not exist: news\.json has 3 scene\(s\)/
    },
    {
      name: 'a legacy avatar without what the reference requires, naming the scene',
      inputs: { template: 'bare-legacy.json', 'api-key': 'legacy-key' },
      message: /::error file=bare-legacy\.json::Input 'template': bare-legacy\.json: scene 0: AIModel has no "model"; the API reference requires it/
    },
    {
      name: 'a v3 scene without background, naming the scene',
      inputs: { template: 'no-background.json' },
      message: /::error file=no-background\.json::Input 'template': no-background\.json: scene 0 has no "background"; the API reference requires it/
    },
    {
      name: 'a malformed scripts line',
      inputs: { template: 'news.json', variables: 'PRODUCT: a\nVERSION: b', scripts: '0: fine\nfirst: nope' },
      message: /::error::Input 'scripts': line 2: expected 'INDEX: text'/
    },
    {
      name: 'speech given twice for one scene',
      inputs: { template: 'news.json', variables: 'PRODUCT: a\nVERSION: b', script: 'a', scripts: '0: b' },
      message: /::error::Input 'scripts': line 1: scene 0 is given speech twice: by script and by scripts/
    },
    {
      name: "a template's own resolution the API does not render, even in a dry run",
      inputs: { template: 'own-options.json', variables: 'PRODUCT: a\nVERSION: b', 'dry-run': 'true' },
      message:
        /::error file=own-options\.json,line=2,col=3::Input 'template': own-options\.json:2:3: "resolution" '8k' is not one of 4k, 1080, 720, 480/
    },
    {
      name: "a template's own webhook with credentials, not printed",
      inputs: { template: 'own-hook.json', variables: 'PRODUCT: a\nVERSION: b', 'dry-run': 'true' },
      message:
        /::error file=own-hook\.json,line=2,col=3::Input 'template': own-hook\.json:2:3: "webhookUrl" must not carry a user name or password[^\n]*\n(?![^]*user:pw)/
    },
    {
      name: 'a legacy template with a resolution',
      inputs: {
        template: 'promo.json',
        variables:
          'INTRO_VIDEO_URL: https://x.example/a.mp4\nSCRIPT: b\nIMAGE_URL: https://x.example/c.png\nOUTRO_VIDEO_URL: https://x.example/d.mp4',
        resolution: '720'
      },
      message: /::error::Input 'resolution': the legacy API takes only scenes; resolution cannot be set for promo\.json/
    }
  ]

  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const before = sim.requests.length
      const run = await runAction({ inputs: { ...base(), ...testCase.inputs }, workspace: makeWorkspace(files) })
      assert.equal(run.code, 1)
      assert.match(run.stdout, testCase.message)
      assert.equal(sim.requests.length, before, 'nothing was sent')
    })
  }
})

describe('a template dry run', () => {
  it('prints and saves the exact request, sends nothing at all, and exits 0', async () => {
    const sim = await startSimulator()
    try {
      const run = await runAction({
        workspace: makeWorkspace({ 'promo.json': LEGACY }),
        inputs: {
          'api-key': TEST_API_KEY,
          'api-url': sim.apiUrl,
          template: 'promo.json',
          variables:
            'INTRO_VIDEO_URL: https://x.example/a.mp4\nSCRIPT: "Line one\\nline two"\nIMAGE_URL: https://x.example/c.png\nOUTRO_VIDEO_URL: https://x.example/d.mp4',
          'dry-run': 'true',
          'output-dir': 'out'
        }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(sim.requests.length, 0)
      assert.match(run.stdout, new RegExp(`POST ${sim.apiUrl}/api/odin/editor/project\\n`))
      assert.equal(run.outputs['request-path'], path.join(run.workspace, 'out', 'aistudios-request.json'))
      const saved = JSON.parse(fs.readFileSync(run.outputs['request-path'], 'utf8'))
      assert.equal(saved.scenes[1].AIModel.script, 'Line one\nline two')
      assert.ok(run.stdout.includes(JSON.stringify(saved, null, 2).split('\n').join('\n')))
    } finally {
      await sim.close()
    }
  })
})
