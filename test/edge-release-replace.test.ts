/**
 * Attack: release-replace deletes the published asset before the new one is uploaded. When that upload then
 * fails (a cut connection, a hung upload past 'timeout'), the release is left with NO video, and the new
 * "not delivered" message says only that attaching failed: nothing tells the user the published video is
 * gone. Expected to FAIL while that is so.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eventEnv, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
before(async () => {
  sim = await startSimulator({ renderMs: 0 })
  artifacts = await startArtifactService()
  github = await startGitHubApi(artifacts, ['asset-upload'])
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
})

describe('release-replace with an upload that does not finish', () => {
  // PROVES: release v7 holds the published ai-studios-video.mp4. With release-replace the action deletes it, then
  // its upload hangs until 'timeout'. The run ends "not delivered ... attaching the video to release v7 failed: it
  // did not end within 'timeout'" while the release now has no video at all; the message does not say so.
  it('keeps the published asset, or says it was deleted', async () => {
    github.releases.push({ id: 971, tag: 'v7', assets: [{ id: 9710, name: 'ai-studios-video.mp4', bytes: Buffer.from('published') }] })
    const run = await runAction({
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'release-upload': 'true',
        'release-tag': 'v7',
        'release-replace': 'true',
        timeout: '0.1',
        'github-token': GITHUB_TOKEN
      },
      env: { ...artifacts.envForRun(9711), ...eventEnv('push', {}, github.url) },
      timeoutMs: 60_000
    })
    assert.equal(run.code, 1, run.stdout)
    const left = github.releases.find((r) => r.id === 971)!.assets.map((a) => a.name)
    const [video] = JSON.parse(run.outputs.videos) as Array<{ error: string }>
    assert.ok(
      left.length === 1 || /delet|removed|no longer/i.test(video.error),
      `observed: release assets now ${JSON.stringify(left)}; the error says only: ${video.error}`
    )
  })
})
