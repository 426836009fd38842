/**
 * Attack on ca224e7 (a cancel marks a video undelivered only at the first delivery it lacks; a
 * release-replace says when the published asset was deleted): the fix covers the release stage only.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, NO_POSIX_SIGNALS } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
let artifacts2: ArtifactService
let github2: GitHubApi
before(async () => {
  sim = await startSimulator({ renderMs: 0 })
  artifacts = await startArtifactService({ holdUploads: /bravo/ })
  github = await startGitHubApi(artifacts)
  artifacts2 = await startArtifactService()
  github2 = await startGitHubApi(artifacts2, ['asset-upload'])
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
  await github2.close()
  await artifacts2.close()
})

type Row = { name: string; status: string; error: string | null; 'artifact-id'?: unknown; 'release-url': string | null }

describe('a cancel at each delivery stage', { skip: NO_POSIX_SIGNALS }, () => {
  // PROVES: artifact-per-video; alpha's artifact is uploaded and finalized, the cancel comes during bravo's
  // artifact upload. alpha is reported "not delivered ... the artifact upload failed: cancelled" though its
  // artifact is there: the same class as the release fix, left at the artifact stage.
  it('a video whose artifact finished is not told its artifact upload failed', async () => {
    const manifest = `videos:\n  - name: alpha\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: bravo\n    project-id: ${SAMPLE_PROJECT_ID}\n`
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': manifest }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        manifest: 'videos.yml',
        'artifact-per-video': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...artifacts.env, ...eventEnv('push', {}, github.url) },
      onStart: (child) => {
        const poll = setInterval(() => {
          if (!artifacts.artifacts.some((a) => /bravo/.test(a.name))) return
          clearInterval(poll)
          setTimeout(() => child.kill('SIGTERM'), 300)
        }, 20)
        child.on('exit', () => clearInterval(poll))
      }
    })
    const alphaArtifact = artifacts.artifacts.find((a) => /alpha/.test(a.name))
    assert.ok(alphaArtifact?.finalized, `alpha's artifact is finalized: ${JSON.stringify(artifacts.artifacts.map((a) => [a.name, a.finalized]))}`)
    const videos = JSON.parse(run.outputs.videos ?? '[]') as Row[]
    const alpha = videos.find((v) => v.name === 'alpha')
    assert.ok(alpha, run.stdout.slice(-2000))
    assert.ok(
      !/artifact upload failed/.test(alpha.error ?? ''),
      `observed: alpha (artifact ${alphaArtifact?.name} finalized) reported: ${alpha.error}`
    )
  })

  // PROVES: release-replace; the published asset is deleted, then the cancel comes while the new one goes
  // up. The run reports a plain "attaching the video to release v7 failed: cancelled": nothing says the
  // release now holds no video at all (the message the fix gives when the upload fails by itself).
  it('a cancel after release-replace deleted the published asset says so', async () => {
    github2.releases.push({ id: 771, tag: 'v7', assets: [] })
    github2.releases[0].assets.push({ id: 7711, name: 'demo.mp4', bytes: Buffer.from('old') })
    const run = await runAction({
      workspace: makeWorkspace(),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'output-name': 'demo',
        'release-upload': 'true',
        'release-tag': 'v7',
        'release-replace': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...artifacts2.env, ...eventEnv('push', {}, github2.url) },
      onStart: (child) => {
        const poll = setInterval(() => {
          if (github2.releases[0].assets.length !== 0) return
          clearInterval(poll)
          setTimeout(() => child.kill('SIGTERM'), 300)
        }, 20)
        child.on('exit', () => clearInterval(poll))
      }
    })
    assert.deepEqual(github2.releases[0].assets, [], 'the published asset was deleted')
    const said = `${run.stdout}\n${run.summary}\n${run.outputs.videos ?? ''}`
    const videos = JSON.parse(run.outputs.videos ?? '[]') as Row[]
    assert.ok(
      /deleted/.test(videos[0]?.error ?? ''),
      `observed error: ${videos[0]?.error}; summary mentions deletion: ${/deleted/.test(run.summary)}; ${said.includes('deleted') ? 'log mentions it' : 'log never mentions it'}`
    )
  })
})
