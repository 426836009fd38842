/** End to end: dist/index.js against the simulator and the artifact stand-in, from a saved project. */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { CURVES, SAMPLE_PROJECT, SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')
const SERVER_OWNED = [
  '_id',
  'createdAt',
  'updatedAt',
  'state',
  'progress',
  'download_url',
  'userId',
  'templateId',
  'thumbnailUrl',
  'baseInfoId',
  'dictionary',
  'backendTaskId',
  'exportType',
  'creditSubstracted'
]

describe('export a saved project with new speech', () => {
  let sim: Simulator
  let artifacts: ArtifactService
  let run: Awaited<ReturnType<typeof runAction>>
  let token: string
  const speech = 'This week: 3 releases, 1 fix — and "quotes" too.'

  before(async () => {
    sim = await startSimulator({ renderMs: 2500, curve: CURVES.steps, urlLagPolls: 2, withState: true })
    artifacts = await startArtifactService()
    token = sim.mintToken()
    run = await runAction({
      inputs: { 'api-key': token, 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, script: speech },
      env: artifacts.env
    })
  })
  after(async () => {
    await sim.close()
    await artifacts.close()
  })

  it('succeeds after exactly one export', () => {
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(sim.exports.length, 1)
    assert.equal(sim.exports[0].path, '/api/odin/v3/editor/project')
  })

  it('posts the project with the new speech in scene 0 and the other scenes untouched', () => {
    const body = sim.exports[0].body as { name: string; orientation: string; isExport: boolean; scenes: any[] }
    assert.equal(body.name, 'Weekly update')
    assert.equal(body.orientation, 'landscape')
    assert.equal(body.isExport, true)
    assert.deepEqual(body.scenes[0].clips[0].script, { org: speech, tts: null })
    assert.deepEqual(body.scenes[0].scripts, [{ org: speech, isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }])
    const original = SAMPLE_PROJECT.scenes as any[]
    assert.deepEqual(body.scenes[0].clips[1], original[0].clips[1])
    // Scene 1 keeps its speech in the clip only (1.4 style): the line create-project.md requires is built from it.
    const { scripts, ...scene1 } = body.scenes[1]
    assert.deepEqual(scene1, original[1])
    assert.deepEqual(scripts, [{ org: 'Here are the numbers.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }])
    assert.deepEqual(body.scenes.slice(2), original.slice(2))
    for (const field of SERVER_OWNED) assert.ok(!(field in body), `${field} must not be posted`)
  })

  it('downloads exactly the served bytes into videos/', () => {
    const file = path.join(run.workspace, 'videos', 'ai-studios-video.mp4')
    assert.deepEqual(fs.readFileSync(file), SAMPLE_VIDEO)
    assert.deepEqual(fs.readdirSync(path.join(run.workspace, 'videos')), ['ai-studios-video.mp4'])
  })

  it('sets every output', () => {
    const key = sim.exports[0].key
    assert.equal(run.outputs['project-id'], key)
    assert.equal(run.outputs['video-path'], path.join(run.workspace, 'videos', 'ai-studios-video.mp4'))
    assert.equal(run.outputs['video-size'], String(SAMPLE_VIDEO.length))
    assert.equal(run.outputs['video-sha256'], sha256(SAMPLE_VIDEO))
    assert.match(run.outputs['video-url'], new RegExp(`^${sim.cdnUrl}/videos/${key}/ai-studios-video\\.mp4\\?Expires=`))
    const video = artifacts.artifacts.find((a) => a.name.endsWith('.mp4'))
    assert.equal(run.outputs['artifact-id'], String(video?.id))
    assert.equal(run.outputs['artifact-url'], `https://github.com/octo-org/videos/actions/runs/4242/artifacts/${video?.id}`)
  })

  it('uploads the video, unzipped, as an artifact holding the same bytes, beside the export ledger', () => {
    assert.deepEqual(
      artifacts.artifacts.map((a) => a.name.replace(/[0-9a-f]{32}/, '<fingerprint>')),
      [`aistudios-ledger-<fingerprint>-v3-${sim.exports[0].key}`, `ai-studios-video-${sim.exports[0].key}.mp4`]
    )
    const artifact = artifacts.artifacts[1]
    assert.equal(artifact.name, `ai-studios-video-${sim.exports[0].key}.mp4`)
    assert.equal(artifact.mimeType, 'video/mp4')
    assert.ok(artifact.finalized)
    assert.deepEqual(artifact.bytes, SAMPLE_VIDEO)
    assert.equal(artifact.hash, `sha256:${sha256(SAMPLE_VIDEO)}`)
  })

  it('writes a job summary with the key, the file and the artifact link', () => {
    assert.match(run.summary, /AI Studios video rendered/)
    assert.match(run.summary, new RegExp(sim.exports[0].key))
    assert.match(run.summary, /ai-studios-video\.mp4/)
    assert.match(run.summary, /47\.1 KiB/)
    assert.match(run.summary, /href="https:\/\/github\.com\/octo-org\/videos\/actions\/runs\/4242\/artifacts\/2"/)
  })

  it('logs progress inside a group, not one line per poll', () => {
    assert.match(run.stdout, /::group::Waiting for the render of/)
    assert.match(run.stdout, /::endgroup::/)
    const polls = sim.requests.filter((r) => r.path.includes('/editor/progress/')).length
    const progressLines = run.stdout.split('\n').filter((line) => /^\d+(\.\d)?% after/.test(line)).length
    assert.ok(progressLines < polls, `${progressLines} lines for ${polls} polls`)
  })

  it('never shows the key, and sends it to no host but the API', () => {
    // `::add-mask::` is the command that tells the runner to mask it; the runner never shows that line.
    const log = run.stdout.replace(`::add-mask::${token}\n`, '')
    assert.ok(run.stdout.includes(`::add-mask::${token}`), 'the key is masked')
    const everything = log + run.stderr + JSON.stringify(run.outputs) + run.summary
    assert.ok(!everything.includes(token))
    for (const request of sim.requests) {
      if (request.origin === 'cdn') assert.equal(request.headers.authorization, undefined)
      else assert.equal(request.headers.authorization, token)
    }
    assert.ok(sim.requests.some((r) => r.origin === 'cdn'))
  })
})
