/**
 * Attack: only-changed compares a manifest entry with its base version as JSON text, so the order its keys
 * are written in counts. Reordering an entry's keys (a YAML formatter, a tidy-up) changes nothing the API is
 * sent, yet the video is exported and paid again. Expected to FAIL while it is so.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
before(async () => {
  sim = await startSimulator({ renderMs: 200 })
  artifacts = await startArtifactService()
  github = await startGitHubApi(artifacts)
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
})

describe('an entry whose keys were only reordered', () => {
  // PROVES: the base manifest writes `name, project-id, title`; the new one `name, title, project-id` (same
  // values). planVideos compares JSON.stringify of each entry, so the entry counts as changed and is exported
  // again: the same request paid twice.
  it('is not exported again', async () => {
    const old = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: video a\n`
    const now = `videos:\n  - name: a\n    title: video a\n    project-id: ${SAMPLE_PROJECT_ID}\n`
    github.changes.set('k1...k2', ['videos.yml'])
    github.contents.set('k1:videos.yml', old)
    const exports = sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': now }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'only-changed': 'true', 'github-token': GITHUB_TOKEN },
      env: { ...artifacts.envForRun(9801), ...eventEnv('push', { before: 'k1', after: 'k2' }, github.url) }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(
      sim.exports.length,
      exports,
      `observed: ${run.stdout
        .split('\n')
        .filter((l) => l.includes('only-changed'))
        .join(' | ')}`
    )
  })
})
