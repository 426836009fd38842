/**
 * Attack: only-changed compares a manifest entry with its base version as JSON text, so the order its keys
 * are written in counts. Reordering an entry's keys (a YAML formatter, a tidy-up) changes nothing the API is
 * sent, yet the video is exported and paid again. Expected to FAIL while it is so.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

describe('an entry whose keys were only reordered', () => {
  // PROVES: the base manifest writes `name, project-id, title`; the new one `name, title, project-id` (same
  // values). planVideos compares JSON.stringify of each entry, so the entry counts as changed and is exported
  // again: the same request paid twice.
  it('is not exported again', async () => {
    const old = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: video a\n`
    const now = `videos:\n  - name: a\n    title: video a\n    project-id: ${SAMPLE_PROJECT_ID}\n`
    world.github.changes.set('k1...k2', ['videos.yml'])
    world.github.contents.set('k1:videos.yml', old)
    const exports = world.sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': now }),
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        manifest: 'videos.yml',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...world.artifacts.envForRun(9801), ...eventEnv('push', { before: 'k1', after: 'k2' }, world.github.url) }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(
      world.sim.exports.length,
      exports,
      `observed: ${run.stdout
        .split('\n')
        .filter((l) => l.includes('only-changed'))
        .join(' | ')}`
    )
  })
})
