/**
 * Attack: only-changed on a pull request compares base.sha...head.sha, the whole pull request, on every
 * push: a video the pull request changed in an earlier push, untouched since, is exported (paid) again, with
 * the very same request, on each later push. The event carries the push's own commits (`before`, `after` of
 * a `synchronize`), and the README says a run "renders what its own push changed". Expected to FAIL while
 * the double payment is there.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

describe('every push to a pull request pays again for what earlier pushes changed', () => {
  // PROVES: push 1 of PR #94 rewrites a's speech (a is exported); push 2 rewrites b's only. The run of push 2
  // (a `synchronize` event with before = push 1's head) exports a again, byte for byte the same request, and
  // pays for it a second time. With N pushes, a video changed in the first is paid N times.
  it("push 2's run exports only b, not a again with the same request", async () => {
    const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: video a\n    script-file: speech/a.txt\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: video b\n    script-file: speech/b.txt\n`
    const files = { 'videos.yml': manifest, 'speech/a.txt': 'A, rewritten', 'speech/b.txt': 'B, rewritten' }
    world.github.changes.set('base94...head94a', ['speech/a.txt'])
    world.github.changes.set('base94...head94b', ['speech/a.txt', 'speech/b.txt'])
    world.github.changes.set('head94a...head94b', ['speech/b.txt'])
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      manifest: 'videos.yml',
      'only-changed': 'true',
      'github-token': GITHUB_TOKEN
    }
    const event = (action: string, head: string, extra: object = {}) =>
      eventEnv('pull_request', { action, ...extra, pull_request: { number: 94, base: { sha: 'base94' }, head: { sha: head } } }, world.github.url)

    const from = world.sim.exports.length
    const one = await runAction({
      workspace: makeWorkspace(files),
      inputs,
      env: { ...world.artifacts.envForRun(9401), ...event('opened', 'head94a') }
    })
    assert.equal(one.code, 0, one.stdout)
    const two = await runAction({
      workspace: makeWorkspace(files),
      inputs,
      env: { ...world.artifacts.envForRun(9402), ...event('synchronize', 'head94b', { before: 'head94a', after: 'head94b' }) }
    })
    assert.equal(two.code, 0, two.stdout)
    const names = world.sim.exports.slice(from).map((e) => (e.body as { name?: string }).name)
    const bodies = world.sim.exports
      .slice(from)
      .filter((e) => (e.body as { name?: string }).name === 'video a')
      .map((e) => JSON.stringify(e.body))
    assert.equal(new Set(bodies).size, 1, 'both exports of a are the same request')
    assert.deepEqual(names, ['video a', 'video b'], `observed exports: ${JSON.stringify(names)} (a paid twice for one request)`)
  })
})
