/**
 * Attack on b59b92f (speech files that are symbolic links): a pull request may commit a symbolic link
 * (git stores it as a path). Pointing into the checkout's own .git, it reads what actions/checkout wrote
 * there: with persist-credentials (its default) .git/config holds the job token as an http extraheader.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 200 })
const TOKEN = 'ghs_jobtokenFromCheckout1234567890'
const HEADER = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')

describe('a speech file linked into .git', () => {
  // PROVES: speech/a.txt -> ../.git/config is read as the video's speech and sent to the API host as the
  // export's text (and spoken in the rendered video, uploaded as an artifact): the checkout's token,
  // base64 in the extraheader, leaves the runner. Nothing refuses a path inside .git.
  it('refuses a script-file that resolves into .git', { skip: process.platform === 'win32' && 'symlinks need privileges' }, async () => {
    const workspace = makeWorkspace({
      '.git/config': `[core]\n\trepositoryformatversion = 0\n[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${HEADER}\n`
    })
    fs.mkdirSync(path.join(workspace, 'speech'))
    fs.symlinkSync('../.git/config', path.join(workspace, 'speech/a.txt'))
    const from = world.sim.exports.length
    const run = await runAction({
      workspace,
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'script-file': 'speech/a.txt' },
      env: world.artifacts.envForRun(7401)
    })
    const sent = world.sim.exports.slice(from).map((e) => JSON.stringify(e.body))
    assert.ok(
      !sent.some((body) => body.includes(HEADER)),
      `the token's extraheader was sent as speech (exit ${run.code}): ${sent.join('\n').slice(0, 400)}`
    )
    assert.notEqual(run.code, 0, 'a speech file inside .git is refused')
  })
})
