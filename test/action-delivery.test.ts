/**
 * A delivery that fails after the video is saved (the artifact, a release asset, the pull request
 * comment) is told as what it is, in every mode: the render finished, where the video is, which
 * delivery failed and why, and how to deliver it without exporting again; "may still be rendering" is
 * kept for renders not seen finished. Through dist/index.js against the simulator and the stand-ins.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { manifestPipelineId } from '../src/job/pipeline.ts'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 300 })

type Entry = { name: string; status: string; 'export-key': string | null; path: string | null; 'release-url': string | null; error: string | null }
const videosOf = (run: ActionRun): Entry[] => JSON.parse(run.outputs.videos ?? '[]') as Entry[]
/** A regular expression matching `text` as written. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** A workspace-relative path as the action prints it, on any runner. */
const shown = (...parts: string[]): string => parts.map(literal).join('[\\\\/]')
const sent = (api: { requests: Array<{ method: string; path: string }> }, method: string, ending: string) =>
  api.requests.filter((request) => request.method === method && request.path.endsWith(ending))

/**
 * What every refused delivery of one saved video must say: exactly one export; the video kept where
 * video-path says; the `videos` entry failed with the delivery, its reason and how to deliver; the
 * error annotation and the summary the same; "may still be rendering" nowhere.
 */
function assertSavedNotDelivered(run: ActionRun, key: string, delivery: string, reason: RegExp, file = 'ai-studios-video.mp4'): void {
  assert.equal(run.code, 1, run.stdout)
  assert.equal(run.outputs['export-key'], key)
  const saved = path.join(run.workspace, 'videos', file)
  assert.equal(run.outputs['video-path'], saved)
  assert.deepEqual(fs.readFileSync(saved), SAMPLE_VIDEO, 'the video the CDN served is kept')
  const [video] = videosOf(run)
  assert.equal(video.status, 'failed')
  assert.equal(video.path, saved)
  const story = `the render finished and the video is saved as ${shown('videos', file)}, but ${literal(delivery)} failed`
  const how = `To deliver it without exporting again, re-run the failed job \\(its re-run attempt finds export ${key} in the run's ledger\\), or re-run this step with the input resume: ${key} \\(drop [^)]*\\); that downloads the finished video again\\.`
  assert.match(video.error ?? '', new RegExp(`^not delivered: ${story}: ${reason.source}.* ${how}$`))
  const title = `${delivery.charAt(0).toUpperCase()}${literal(delivery.slice(1))}`
  assert.match(run.stdout, new RegExp(`^::error::${title} failed: ${reason.source}`, 'm'))
  assert.match(
    run.stdout,
    new RegExp(
      `^::error::Export ${key} finished rendering and its video is saved as ${shown('videos', file)}, but ${literal(delivery)} failed\\. ${how}$`,
      'm'
    )
  )
  assert.match(run.summary, /AI Studios video not delivered/)
  assert.match(run.summary, new RegExp(`<p>not delivered: ${story}: ${reason.source}`))
  assert.match(run.summary, new RegExp(`<strong>Resume:</strong> ${how}`))
  assert.doesNotMatch(run.stdout + run.summary, /may still be rendering/)
}

describe('a delivery refused after the video was saved', () => {
  it('the artifact (a resume whose artifact name the run already holds: 409): one export, the video kept, told as undelivered', async () => {
    const env = world.artifacts.envForRun(7001)
    const exports = world.sim.exports.length
    const first = await runAction({ inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID }, env })
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exports + 1)
    const { key } = world.sim.exports[exports]
    const taken = world.artifacts.artifacts.find((a) => a.runId === 7001 && !a.name.startsWith('aistudios-'))
    assert.ok(taken, 'the first run uploaded the video')

    const creates = sent(world.artifacts, 'POST', '/CreateArtifact').length
    const resumed = await runAction({ inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, resume: key }, env })
    assert.equal(world.sim.exports.length, exports + 1, 'the resume exported nothing')
    assert.equal(sent(world.artifacts, 'POST', '/CreateArtifact').length, creates + 1, 'the upload was asked for once')
    assert.equal(world.artifacts.artifacts.filter((a) => a.name === taken.name).length, 1, 'the stand-in refused the second')
    assertSavedNotDelivered(
      resumed,
      key,
      'the artifact upload',
      new RegExp(`.*\\(409\\) Conflict.*${literal(`an artifact named ${taken.name} already exists`)}`)
    )

    // The advice holds: in a run whose world.artifacts do not collide, the resume delivers it, exporting nothing.
    const again = await runAction({
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, resume: key },
      env: world.artifacts.envForRun(7011)
    })
    assert.equal(again.code, 0, again.stdout)
    assert.equal(world.sim.exports.length, exports + 1, 'still the one export')
    assert.ok(world.artifacts.artifacts.some((a) => a.runId === 7011 && a.name === taken.name && a.finalized))
  })

  it('a release asset (a token without contents: write): the artifact still delivered, the release named', async () => {
    world.github.releases.push({ id: 801, tag: 'v8.0', assets: [], readOnly: true })
    const exports = world.sim.exports.length
    const run = await runAction({
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'release-upload': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...world.artifacts.envForRun(7002), ...eventEnv('release', { release: { tag_name: 'v8.0' } }, world.github.url) }
    })
    assert.equal(world.sim.exports.length, exports + 1)
    const { key } = world.sim.exports[exports]
    assert.equal(sent(world.github, 'POST', '/releases/801/assets?name=ai-studios-video.mp4').length, 1, 'the upload was tried once')
    assert.equal(world.github.releases.find((r) => r.id === 801)?.assets.length, 0)
    assertSavedNotDelivered(
      run,
      key,
      'attaching the video to release v8.0',
      /Uploading ai-studios-video\.mp4 to the release failed: HTTP 403 Resource not accessible by integration/
    )
    const uploaded = world.artifacts.artifacts.find((a) => a.runId === 7002 && !a.name.startsWith('aistudios-'))
    assert.ok(uploaded?.finalized, 'the artifact went up before the release refused')
    assert.equal(run.outputs['artifact-id'], String(uploaded.id))
  })

  it('the pull request comment (a token without pull-requests: write): told as undelivered', async () => {
    world.github.readOnlyIssues.push(31)
    const exports = world.sim.exports.length
    const run = await runAction({
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        comment: 'true',
        'github-token': GITHUB_TOKEN
      },
      env: eventEnv('pull_request', { pull_request: { number: 31 } }, world.github.url)
    })
    assert.equal(world.sim.exports.length, exports + 1)
    const { key } = world.sim.exports[exports]
    assert.equal(sent(world.github, 'POST', '/issues/31/comments').length, 1, 'the comment was tried')
    assert.equal(world.github.comments.filter((c) => c.issue === 31).length, 0)
    assertSavedNotDelivered(run, key, 'the pull request comment', /Resource not accessible by integration/)
  })
})

describe('a refused delivery of a reused video', () => {
  it("says to re-run as it is ('reuse' finds the earlier run's video again), not to resume another run's key", async () => {
    const inputs = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, script: 'Words to reuse.' }
    const reuseRun = (runId: number, more: Record<string, string> = {}): Promise<ActionRun> => {
      world.github.runs.set(runId, { event: 'push', headBranch: 'main', headRepository: 'octo-org/videos' })
      return runAction({
        inputs: { ...inputs, reuse: 'true', 'github-token': GITHUB_TOKEN, ...more },
        env: {
          ...world.artifacts.envForRun(runId),
          ...eventEnv('push', { repository: { default_branch: 'main' } }, world.github.url),
          GITHUB_REF: 'refs/heads/main'
        }
      })
    }
    const exports = world.sim.exports.length
    const first = await reuseRun(7101)
    assert.equal(first.code, 0, first.stdout)
    assert.equal(world.sim.exports.length, exports + 1)
    const { key } = world.sim.exports[exports]

    world.github.releases.push({ id: 804, tag: 'v8.3', assets: [], readOnly: true })
    const refused = await reuseRun(7102, { 'release-upload': 'true', 'release-tag': 'v8.3' })
    assert.equal(refused.code, 1, refused.stdout)
    assert.equal(world.sim.exports.length, exports + 1, 'reused: nothing exported')
    const [video] = videosOf(refused)
    assert.equal(video.status, 'failed')
    assert.equal(video['export-key'], key)
    const how = "To deliver it, re-run this step as it is: 'reuse' finds the video of run 7101 again, exporting nothing\\."
    assert.match(
      video.error ?? '',
      new RegExp(`^not delivered: the render finished and the video is saved as .*, but attaching the video to release v8\\.3 failed: .* ${how}$`)
    )
    assert.match(
      refused.stdout,
      new RegExp(
        `^::error::Export ${key} finished rendering and its video is saved as .*, but attaching the video to release v8\\.3 failed\\. ${how}$`,
        'm'
      )
    )
    assert.doesNotMatch(refused.stdout + refused.summary, /resume: |may still be rendering/)

    // The advice holds: run as it is (the release now writable), it is reused again and delivered.
    world.github.releases.push({ id: 805, tag: 'v8.4', assets: [] })
    const again = await reuseRun(7103, { 'release-upload': 'true', 'release-tag': 'v8.4' })
    assert.equal(again.code, 0, again.stdout)
    assert.equal(world.sim.exports.length, exports + 1, 'still the one export')
    assert.equal(world.github.releases.find((r) => r.id === 805)?.assets.length, 1)
  })
})

describe('a refused delivery in a batch', () => {
  it('fails only the video it refused: the others are delivered, and the comment lists the failure', async () => {
    world.github.releases.push({ id: 802, tag: 'v8.1', assets: [{ id: 8020, name: 'a.mp4', bytes: Buffer.from('old') }] })
    const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n`
    const exports = world.sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': manifest }),
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        manifest: 'videos.yml',
        'release-upload': 'true',
        'release-tag': 'v8.1',
        comment: 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...world.artifacts.envForRun(7003), ...eventEnv('pull_request', { pull_request: { number: 32 } }, world.github.url) }
    })
    assert.equal(run.code, 1, run.stdout)
    assert.equal(world.sim.exports.length, exports + 2, 'one export a video')
    const keyOf = new Map(world.sim.exports.slice(exports).map((e) => [e.key, e.key]))
    const [a, b] = videosOf(run)
    assert.ok(a['export-key'] && keyOf.has(a['export-key']) && b['export-key'] && keyOf.has(b['export-key']))
    const release = world.github.releases.find((r) => r.id === 802)
    assert.deepEqual(
      release?.assets.map((asset) => [asset.name, asset.bytes.equals(SAMPLE_VIDEO) ? 'video' : asset.bytes.toString()]),
      [
        ['a.mp4', 'old'],
        ['b.mp4', 'video']
      ]
    )
    assert.equal(b.status, 'downloaded')
    assert.match(b['release-url'] ?? '', /\/b\.mp4$/)
    assert.equal(a.status, 'failed')
    assert.equal(a.path, path.join(run.workspace, 'videos', 'a.mp4'))
    assert.match(
      a.error ?? '',
      new RegExp(
        `^not delivered: the render finished and the video is saved as ${shown('videos', 'a.mp4')}, but attaching the video to release v8\\.1 failed: ` +
          `Release v8\\.1 already has an asset named a\\.mp4.* re-run this step with the inputs manifest-entry: a and resume: ${a['export-key']} \\(drop [^)]*\\); that downloads`
      )
    )
    assert.match(run.stdout, /^::error::a: Attaching the video to release v8\.1 failed: Release v8\.1 already has an asset named a\.mp4/m)
    assert.match(
      run.stdout,
      new RegExp(`^::error::Export ${a['export-key']} finished rendering and its video is saved as ${shown('videos', 'a.mp4')}, but attaching`, 'm')
    )
    assert.doesNotMatch(run.stdout + run.summary, /may still be rendering/)
    assert.match(run.summary, /1 delivered, 1 failed \(of 2\)/)
    assert.match(
      run.summary,
      new RegExp(
        `re-run this step with the inputs manifest-entry: a and resume: ${a['export-key']} \\(drop [^)]*\\); that downloads the finished video again`
      )
    )
    const [comment] = world.github.comments.filter((c) => c.issue === 32)
    assert.ok(comment, 'the comment was written despite the refused asset')
    assert.match(comment.body, /^\| a \| ❌ not delivered&#58; the render finished/m)
    assert.match(comment.body, new RegExp(`^\\| b \\| downloaded \\| \`${b['export-key']}\``, 'm'))
  })
})

describe('a refused delivery in a matrix job, as collect tells it', () => {
  it("carries the undelivered video's story in the result record to collect's outputs, summary and errors", async () => {
    world.github.releases.push({ id: 803, tag: 'v8.2', assets: [], readOnly: true })
    const workspace = makeWorkspace({ 'videos.yml': `videos:\n  - name: solo\n    project-id: ${SAMPLE_PROJECT_ID}\n` })
    const env = { ...world.artifacts.envForRun(7004), ...eventEnv('push', {}, world.github.url) }
    const exports = world.sim.exports.length
    const render = await runAction({
      workspace,
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        manifest: 'videos.yml',
        'manifest-entry': 'solo',
        'release-upload': 'true',
        'release-tag': 'v8.2',
        'github-token': GITHUB_TOKEN
      },
      env
    })
    assert.equal(render.code, 1, render.stdout)
    assert.equal(world.sim.exports.length, exports + 1)
    const { key } = world.sim.exports[exports]
    assert.ok(
      world.artifacts.artifacts.some(
        (a) => a.runId === 7004 && a.name.startsWith(`aistudios-result-1-${manifestPipelineId('videos.yml')}.solo.`) && a.name.endsWith('.json')
      ),
      'the record was left'
    )

    const collect = await runAction({ workspace, inputs: { manifest: 'videos.yml', collect: 'true' }, env })
    assert.equal(collect.code, 1, collect.stdout)
    assert.equal(world.sim.exports.length, exports + 1, 'collect exports nothing')
    const [solo] = videosOf(collect)
    assert.equal(solo.status, 'failed')
    const told = new RegExp(
      `not delivered: the render finished and the video is saved as ${shown('videos', 'solo.mp4')}, but attaching the video to release v8\\.2 failed: ` +
        `Uploading solo\\.mp4 to the release failed: HTTP 403.* re-run this step with the inputs manifest-entry: solo and resume: ${key} \\(drop [^)]*\\); that downloads the finished video again\\.`
    )
    assert.match(solo.error ?? '', told)
    assert.match(collect.stdout, new RegExp(`^::error::solo: ${told.source}`, 'm'))
    assert.match(collect.summary, told)
    assert.doesNotMatch(render.stdout + render.summary + collect.stdout + collect.summary, /may still be rendering/)
  })
})

describe('a refused delivery of a render not waited for', () => {
  it("wait: false: the comment's failure fails the run and is named; the export is still one that may be rendering", async () => {
    world.github.readOnlyIssues.push(33)
    const exports = world.sim.exports.length
    const run = await runAction({
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        wait: 'false',
        comment: 'true',
        'github-token': GITHUB_TOKEN
      },
      env: eventEnv('pull_request', { pull_request: { number: 33 } }, world.github.url)
    })
    assert.equal(run.code, 1, run.stdout)
    assert.equal(world.sim.exports.length, exports + 1)
    const { key } = world.sim.exports[exports]
    assert.equal(sent(world.github, 'POST', '/issues/33/comments').length, 1)
    assert.match(run.stdout, /^::error::The pull request comment failed: Resource not accessible by integration/m)
    assert.match(run.summary, /<p>The pull request comment failed: Resource not accessible by integration/)
    const [video] = videosOf(run)
    assert.equal(video.status, 'started')
    assert.equal(run.outputs['export-key'], key)
    assert.equal(run.outputs['video-path'], undefined)
    assert.match(run.stdout, new RegExp(`^Export ${key} was accepted and may still be rendering .*resume: ${key} \\(drop [^)]*\\)\\.$`, 'm'))
    assert.doesNotMatch(run.stdout + run.summary, /finished rendering/)
  })
})
