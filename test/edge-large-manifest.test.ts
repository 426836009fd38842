/**
 * A manifest past 1 MB under only-changed (found by an attack): GitHub's JSON answer for a file carries its
 * content only up to 1 MB (403 too_large past it), so the manifest at the base commit is asked for raw; a
 * push that edits one entry renders that entry, not the whole batch, and the run does not fail.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 50 })

/** 300 entries of about 4 KB each: past GitHub's 1 MB, under the manifest's own 4 MiB. */
function manifestOf(changed: string): string {
  const words = 'word '.repeat(800)
  const entries = Array.from({ length: 300 }, (_, i) => {
    const speech = i === 7 ? changed : words
    return `  - name: v${i}\n    project-id: ${SAMPLE_PROJECT_ID}\n    scripts: { 0: "${speech}" }\n`
  })
  return `videos:\n${entries.join('')}`
}

describe('a manifest over 1 MB at the base commit', () => {
  it('plans only the entry a push edited, reading the base raw', async () => {
    const before = manifestOf('word '.repeat(800))
    const after = manifestOf('New words for video seven.')
    assert.ok(Buffer.byteLength(before) > 1 << 20, 'past GitHub 1 MB')
    world.github.changes.set('l1...l2', ['videos.yml'])
    world.github.contents.set('l1:videos.yml', before)
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': after }),
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        manifest: 'videos.yml',
        plan: 'true',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: eventEnv('push', { before: 'l1', after: 'l2' }, world.github.url)
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(run.outputs.count, '1')
    assert.deepEqual(JSON.parse(run.outputs.matrix), { include: [{ shard: '1/1', video: 'v7' }] })
    assert.ok(
      world.github.requests.some((request) => request.path.startsWith('/repos/octo-org/videos/contents/videos.yml')),
      'the base was read'
    )
  })
})
