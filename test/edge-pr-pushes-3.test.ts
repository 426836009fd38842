/**
 * Attack on e726fcb (a `synchronize` compares only the push's own before...after): what an earlier push
 * changed is assumed rendered by that push's run. It is not always: the run failed, was cancelled by a
 * concurrency group (cancel-in-progress), or a force push rewrote what it rendered.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: video a\n    script-file: speech/a.txt\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: video b\n    script-file: speech/b.txt\n`
const inputs = () => ({
  'api-key': world.sim.mintToken(),
  'api-url': world.sim.apiUrl,
  manifest: 'videos.yml',
  'only-changed': 'true',
  'github-token': GITHUB_TOKEN
})
const event = (n: number, action: string, base: string, head: string, extra: object = {}) =>
  eventEnv('pull_request', { action, ...extra, pull_request: { number: n, base: { sha: base }, head: { sha: head } } }, world.github.url)
const exported = (from: number) => world.sim.exports.slice(from).map((e) => (e.body as { name?: string }).name)

describe('a synchronize trusts that the earlier push was rendered', () => {
  // PROVES: push 1 changes a; its run fails before exporting (here: a refused key, as a flaky auth or a
  // cancel-in-progress concurrency group would end it). Push 2 changes b. Push 2's run compares
  // push1...push2 and renders b only: a's change is in the pull request, never rendered, and no run ever
  // will render it (every later synchronize compares only its own push). The step is green.
  it('a change whose run failed is rendered by the next push', async () => {
    const files = { 'videos.yml': manifest, 'speech/a.txt': 'A, rewritten', 'speech/b.txt': 'B, rewritten' }
    world.github.changes.set('base71...head71a', ['speech/a.txt'])
    world.github.changes.set('base71...head71b', ['speech/a.txt', 'speech/b.txt'])
    world.github.changes.set('head71a...head71b', ['speech/b.txt'])
    const from = world.sim.exports.length
    const one = await runAction({
      workspace: makeWorkspace(files),
      inputs: { ...inputs(), 'api-key': 'not-a-token' },
      env: { ...world.artifacts.envForRun(7101), ...event(71, 'opened', 'base71', 'head71a') }
    })
    assert.notEqual(one.code, 0, 'run 1 fails')
    assert.deepEqual(exported(from), [], 'run 1 exported nothing')
    const two = await runAction({
      workspace: makeWorkspace(files),
      inputs: inputs(),
      env: { ...world.artifacts.envForRun(7102), ...event(71, 'synchronize', 'base71', 'head71b', { before: 'head71a', after: 'head71b' }) }
    })
    assert.equal(two.code, 0, two.stdout)
    assert.deepEqual(exported(from).sort(), ['video a', 'video b'], `observed: ${JSON.stringify(exported(from))}; a was never rendered`)
  })

  // PROVES: a rebase onto a newer main (force push): before...after compares from the old merge base, so
  // every file main changed since comes in: videos the pull request never touched are exported (paid),
  // where base.sha...head.sha (what an opened event compares) names only the pull request's own.
  it("a rebase onto main does not pay for main's videos", async () => {
    const files = { 'videos.yml': manifest, 'speech/a.txt': 'A, from main', 'speech/b.txt': 'B, rewritten' }
    world.github.changes.set('base73new...head73b', ['speech/b.txt'])
    world.github.changes.set('head73a...head73b', ['speech/a.txt', 'speech/b.txt']) // a changed on main meanwhile
    const from = world.sim.exports.length
    const two = await runAction({
      workspace: makeWorkspace(files),
      inputs: inputs(),
      env: { ...world.artifacts.envForRun(7302), ...event(73, 'synchronize', 'base73new', 'head73b', { before: 'head73a', after: 'head73b' }) }
    })
    assert.equal(two.code, 0, two.stdout)
    assert.deepEqual(exported(from), ['video b'], `observed: ${JSON.stringify(exported(from))}`)
  })

  // PROVES: a force push's old head may be gone from GitHub (compare answers 404 "No common ancestor" /
  // "Not Found"). The push event's force push renders everything; a synchronize's fails the run instead?
  it('a synchronize whose before GitHub no longer knows renders everything, not a failed run', async () => {
    const files = { 'videos.yml': manifest, 'speech/a.txt': 'A', 'speech/b.txt': 'B' }
    world.github.changes.set('base75...head75b', ['speech/a.txt'])
    const from = world.sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace(files),
      inputs: inputs(),
      env: { ...world.artifacts.envForRun(7502), ...event(75, 'synchronize', 'base75', 'head75b', { before: 'gone75', after: 'head75b' }) }
    })
    assert.equal(
      run.code,
      0,
      `exit ${run.code}: ${run.stdout
        .split('\n')
        .filter((l) => l.startsWith('::error'))
        .join('\n')}`
    )
    assert.ok(exported(from).includes('video a'), `observed: ${JSON.stringify(exported(from))}`)
  })
})
