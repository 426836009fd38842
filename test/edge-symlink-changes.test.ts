/**
 * Attack: only-changed judges a video by the paths its inputs name, not by the files they lead to. The README
 * allows symbolic links inside the workspace ("each resolved to its real path, symbolic links and linked
 * folders included"); a push that rewrites the file a linked speech file points at is not seen. Expected to
 * FAIL while a changed video is silently skipped.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

describe('a speech file that is a symbolic link', () => {
  // PROVES: speech/a.txt -> ../shared/intro.txt (both in the repository). A push rewrites shared/intro.txt:
  // the speech the video says changed, compare lists shared/intro.txt, and only-changed, matching the path
  // 'speech/a.txt', renders nothing: green, "no video's inputs changed", the video keeps the old words.
  it('renders the video whose linked speech changed', { skip: process.platform === 'win32' && 'symlinks need privileges' }, async () => {
    const workspace = makeWorkspace({ 'shared/intro.txt': 'The new intro words.' })
    fs.mkdirSync(path.join(workspace, 'speech'))
    fs.symlinkSync('../shared/intro.txt', path.join(workspace, 'speech/a.txt'))
    world.github.changes.set('s1...s2', ['shared/intro.txt'])
    const exports = world.sim.exports.length
    const run = await runAction({
      workspace,
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'script-file': 'speech/a.txt',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...world.artifacts.envForRun(9901), ...eventEnv('push', { before: 's1', after: 's2' }, world.github.url) }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(
      world.sim.exports.length,
      exports + 1,
      `observed: ${run.stdout
        .split('\n')
        .filter((l) => l.includes('only-changed'))
        .join(' | ')}`
    )
  })
})

describe('the repository checked out into a folder of the workspace (actions/checkout `path:`)', () => {
  // PROVES: with `actions/checkout` `path: site`, the inputs name `site/speech/a.txt` while GitHub's compare
  // names `speech/a.txt` (paths from the repository's root). Nothing ever matches: every push that rewrites a
  // speech file ends green with "no video's inputs changed", no video rendered, no warning.
  it('renders the video whose speech the push changed', async () => {
    // actions/checkout leaves the repository's .git in the folder it checks out into.
    const workspace = makeWorkspace({ 'site/speech/a.txt': 'New words.', 'site/.git/HEAD': 'ref: refs/heads/main\n' })
    world.github.changes.set('p1...p2', ['speech/a.txt'])
    const exports = world.sim.exports.length
    const run = await runAction({
      workspace,
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'script-file': 'site/speech/a.txt',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: { ...world.artifacts.envForRun(9902), ...eventEnv('push', { before: 'p1', after: 'p2' }, world.github.url) }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(
      world.sim.exports.length,
      exports + 1,
      `observed: ${run.stdout
        .split('\n')
        .filter((l) => l.includes('only-changed'))
        .join(' | ')}`
    )
  })
})
