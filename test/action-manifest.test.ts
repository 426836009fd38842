/** Many videos in one step: a manifest, rendered in parallel, delivered and reported together. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

/** A v3 promo in the getting-started style (speech in the avatar clip only): one credential, a token, serves every video. */
const PROMO = JSON.stringify(
  {
    name: 'Promo',
    scenes: [
      {
        sceneIdx: 0,
        background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
        clips: [{ id: 'intro', type: 'videoImage', layer: 1, top: 0, left: 0, width: 1920, height: 1080, video_url: '##INTRO_VIDEO_URL##' }]
      },
      {
        sceneIdx: 1,
        background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
        clips: [
          { id: 'chart', type: 'image', layer: 1, top: 0, left: 0, width: 960, height: 540, source_url: '##IMAGE_URL##' },
          {
            id: 'anchor',
            type: 'aiModel',
            layer: 2,
            top: 0,
            left: 960,
            width: 960,
            height: 1080,
            script: { org: '##SCRIPT##', tts: null },
            model: { ai_name: 'M000004017', emotion: 'BG00006160' }
          }
        ]
      },
      {
        sceneIdx: 2,
        background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
        clips: [{ id: 'outro', type: 'videoImage', layer: 1, top: 0, left: 0, width: 1920, height: 1080, video_url: '##OUTRO_VIDEO_URL##' }]
      }
    ]
  },
  null,
  2
)
const PROMO_VARS = {
  INTRO_VIDEO_URL: 'https://example.com/i.mp4',
  IMAGE_URL: 'https://example.com/c.png',
  OUTRO_VIDEO_URL: 'https://example.com/o.mp4'
}

const MANIFEST = `# five videos, one of which cannot render
videos:
  - name: weekly
    project-id: ${SAMPLE_PROJECT_ID}
    script-file: speech/weekly.txt
  - name: promo-en
    template: promo.json
    variables: ${JSON.stringify({ ...PROMO_VARS, SCRIPT: 'Hello' })}
  - name: promo-ko
    template: promo.json
    variables: ${JSON.stringify({ ...PROMO_VARS, SCRIPT: '안녕하세요' })}
    output: promo-korean.mp4
  - name: broken
    project-id: no-such-project
  - name: recap
    project-id: ${SAMPLE_PROJECT_ID}
    scripts:
      0: "That was the week."
`

const files = { 'videos.yml': MANIFEST, 'promo.json': PROMO, 'speech/weekly.txt': 'This week in one minute.\n' }
/** Entries of a zip: its central directory has one signature per file. */
const zipEntries = (zip: Buffer): number => zip.toString('latin1').split('PK\u0001\u0002').length - 1

describe('a manifest of five videos, one failing', () => {
  let sim: Simulator
  let artifacts: ArtifactService
  let run: ActionRun
  let token: string
  before(async () => {
    sim = await startSimulator({ renderMs: 1500 })
    artifacts = await startArtifactService()
    token = sim.mintToken()
    run = await runAction({
      workspace: makeWorkspace(files),
      inputs: { 'api-key': token, 'api-url': sim.apiUrl, manifest: 'videos.yml', 'max-parallel': '2' },
      env: artifacts.env
    })
  })
  after(async () => {
    await sim.close()
    await artifacts.close()
  })

  it('renders the four others and fails at the end', () => {
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::broken: Fetching project no-such-project failed: HTTP 404/)
    assert.match(run.stdout, /::error::1 of 5 video\(s\) were not delivered: broken/)
    assert.equal(sim.exports.length, 4)
  })

  it('masks the key once, not once per video', () => {
    assert.equal(run.stdout.split(`::add-mask::${token}\n`).length - 1, 1)
  })

  it('names each video in its log lines instead of grouping them (groups cannot interleave)', () => {
    assert.match(run.stdout, /^\[weekly\] Saved videos\/weekly\.mp4/m)
    assert.match(run.stdout, /^\[promo-ko\] \d+\.\d% after/m)
    assert.doesNotMatch(run.stdout, /::group::Waiting for the render/)
  })

  it('saves four files, each under its own name', () => {
    const saved = fs.readdirSync(path.join(run.workspace, 'videos')).sort()
    assert.deepEqual(saved, ['promo-en.mp4', 'promo-korean.mp4', 'recap.mp4', 'weekly.mp4'])
    for (const name of saved) assert.deepEqual(fs.readFileSync(path.join(run.workspace, 'videos', name)), SAMPLE_VIDEO)
  })

  it('sends each video its own speech', () => {
    const bodies = sim.exports.map((e) => JSON.stringify(e.body))
    for (const words of ['This week in one minute.', 'Hello', '안녕하세요', 'That was the week.']) {
      assert.equal(bodies.filter((body) => body.includes(JSON.stringify(words))).length, 1, words)
    }
  })

  it('uploads one artifact holding the four videos', () => {
    const zips = artifacts.artifacts.filter((a) => a.name.startsWith('aistudios-videos-'))
    assert.equal(zips.length, 1)
    assert.equal(zipEntries(zips[0].bytes), 4)
  })

  it('outputs every video with its status, for fromJSON', () => {
    const videos = JSON.parse(run.outputs.videos) as Array<Record<string, string | null>>
    assert.deepEqual(
      videos.map((v) => [v.name, v.status]),
      [
        ['weekly', 'downloaded'],
        ['promo-en', 'downloaded'],
        ['promo-ko', 'downloaded'],
        ['broken', 'failed'],
        ['recap', 'downloaded']
      ]
    )
    assert.equal(videos[2].path, path.join(run.workspace, 'videos', 'promo-korean.mp4'))
    assert.match(String(videos[3].error), /HTTP 404/)
    assert.equal(videos[3]['project-id'], null)
  })

  it('writes a summary with the failure table', () => {
    assert.match(run.summary, /4 delivered, 1 failed \(of 5\)/)
    assert.match(run.summary, /What failed.*broken.*HTTP 404.*nothing was exported/s)
  })
})

describe('manifest plan, entry and refusals', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 800 })
  })
  after(() => sim.close())
  const base = (): Record<string, string> => ({ 'api-key': sim.mintToken(), 'api-url': sim.apiUrl })

  it('plans a matrix and sends nothing', async () => {
    const run = await runAction({ workspace: makeWorkspace(files), inputs: { ...base(), manifest: 'videos.yml', plan: 'true' } })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(JSON.parse(run.outputs.matrix), {
      include: ['weekly', 'promo-en', 'promo-ko', 'broken', 'recap'].map((video, index) => ({ shard: `${index + 1}/5`, video }))
    })
    assert.equal(sim.requests.length, 0)
  })

  it('dry-runs every video into a request file of its own, exporting nothing', async () => {
    const before = sim.exports.length
    const run = await runAction({ workspace: makeWorkspace(files), inputs: { ...base(), manifest: 'videos.yml', 'dry-run': 'true' } })
    assert.equal(run.code, 1, 'the broken entry still fails (its project cannot be fetched)')
    assert.equal(sim.exports.length, before)
    const saved = fs.readdirSync(path.join(run.workspace, 'videos')).sort()
    assert.deepEqual(saved, [
      'aistudios-request-promo-en.json',
      'aistudios-request-promo-ko.json',
      'aistudios-request-recap.json',
      'aistudios-request-weekly.json'
    ])
    const korean = JSON.parse(fs.readFileSync(path.join(run.workspace, 'videos', 'aistudios-request-promo-ko.json'), 'utf8'))
    assert.equal(korean.scenes[1].scripts[0].org, '안녕하세요')
  })

  it('keeps a variable that looks like a number as written (2.0 stays 2.0)', async () => {
    const manifest = `videos:\n  - name: version\n    template: promo.json\n    variables:\n${Object.entries({ ...PROMO_VARS, SCRIPT: '2.0' })
      .map(([name, value]) => `      ${name}: ${value}`)
      .join('\n')}\n`
    const run = await runAction({
      workspace: makeWorkspace({ ...files, 'videos.yml': manifest }),
      inputs: { ...base(), manifest: 'videos.yml', 'dry-run': 'true' }
    })
    assert.equal(run.code, 0, run.stdout)
    const request = JSON.parse(fs.readFileSync(path.join(run.workspace, 'videos', 'aistudios-request-version.json'), 'utf8'))
    assert.equal(request.scenes[1].scripts[0].org, '2.0')
  })

  it('renders only the manifest-entry of a matrix job', async () => {
    const before = sim.exports.length
    const run = await runAction({ workspace: makeWorkspace(files), inputs: { ...base(), manifest: 'videos.yml', 'manifest-entry': 'promo-ko' } })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.exports.length, before + 1)
    assert.deepEqual(fs.readdirSync(path.join(run.workspace, 'videos')), ['promo-korean.mp4'])
  })

  it('stops the rest on the first failure with fail-fast', async () => {
    const manifest = `- name: broken\n  project-id: no-such-project\n- name: a\n  project-id: ${SAMPLE_PROJECT_ID}\n- name: b\n  project-id: ${SAMPLE_PROJECT_ID}\n`
    const before = sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'm.yml': manifest }),
      inputs: { ...base(), manifest: 'm.yml', 'max-parallel': '1', 'fail-fast': 'true' }
    })
    assert.equal(run.code, 1)
    assert.equal(sim.exports.length, before, 'nothing exported after the failure')
    assert.deepEqual(
      JSON.parse(run.outputs.videos).map((v: { status: string }) => v.status),
      ['failed', 'skipped', 'skipped']
    )
  })

  const refusals: Array<{ name: string; manifest: string; inputs?: Record<string, string>; message: RegExp }> = [
    {
      name: 'an entry that is not a run (no project, no template), naming entry, file and line',
      manifest: `videos:\n  - name: ok\n    project-id: p\n  - name: empty\n    script: hi\n`,
      message: /::error file=m\.yml,line=4,col=5::Input 'manifest': m\.yml:4:5: video 'empty': Input 'project-id': required/
    },
    {
      name: 'two videos of one name',
      manifest: `- name: a\n  project-id: p\n- name: a\n  project-id: q\n`,
      message: /m\.yml:3:3: two videos are named 'a'/
    },
    { name: 'an unknown key', manifest: `- name: a\n  project-id: p\n  scirpt: typo\n`, message: /m\.yml:1:3: video 'a': unknown key\(s\) scirpt/ },
    { name: 'a video without a name', manifest: `- project-id: p\n`, message: /m\.yml:1:3: each video needs a "name"/ },
    {
      name: 'a template entry with a placeholder left empty, before any other video renders',
      manifest: `- name: a\n  project-id: p\n- name: b\n  template: promo.json\n  variables: { SCRIPT: x }\n`,
      message:
        /::error file=promo\.json,line=21,col=\d+::Input 'manifest': video 'b': Input 'template': promo\.json has 3 placeholder\(s\) with no value/
    },
    {
      name: 'two videos saved under one file',
      manifest: `- name: a\n  project-id: p\n  output: x.mp4\n- name: b\n  project-id: q\n  output: x\n`,
      message: /videos 'a' and 'b' would both be saved as x\.mp4/
    },
    { name: 'an empty manifest', manifest: `videos: []\n`, message: /m\.yml:1:\d+: a manifest is a non-empty list of videos/ },
    {
      name: 'YAML that does not parse',
      manifest: `- name: a\n  project-id: [p\n`,
      message: /::error file=m\.yml,line=\d+,col=\d+::Input 'manifest': m\.yml:\d+:\d+: not valid YAML\/JSON/
    },
    {
      name: 'an unknown manifest-entry',
      manifest: `- name: a\n  project-id: p\n`,
      inputs: { 'manifest-entry': 'zzz' },
      message: /Input 'manifest-entry': no video named 'zzz' in the manifest; it has a/
    },
    {
      name: 'a max-parallel of 0',
      manifest: `- name: a\n  project-id: p\n`,
      inputs: { 'max-parallel': '0' },
      message: /Input 'max-parallel': 0 videos is below the minimum of 1/
    },
    {
      name: 'a non-boolean fail-fast',
      manifest: `- name: a\n  project-id: p\n`,
      inputs: { 'fail-fast': 'sometimes' },
      message: /Input 'fail-fast': 'sometimes' is not a boolean/
    },
    { name: 'a missing manifest file', manifest: '', inputs: { manifest: 'nope.yml' }, message: /Input 'manifest': file 'nope\.yml' does not exist/ }
  ]
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}, sending nothing`, async () => {
      const before = sim.requests.length
      const run = await runAction({
        workspace: makeWorkspace({ ...files, 'm.yml': refusal.manifest }),
        inputs: { ...base(), manifest: 'm.yml', ...refusal.inputs }
      })
      assert.equal(run.code, 1)
      assert.match(run.stdout, refusal.message)
      assert.equal(sim.requests.length, before)
    })
  }
})
