/**
 * Attack: GitHub's answers to only-changed's calls, from a hostile or odd GitHub (a small server of its own
 * here, standing at GITHUB_API_URL). Each test is expected to FAIL while the bug it proves is there.
 */
import assert from 'node:assert/strict'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

let sim: Simulator
let artifacts: ArtifactService
let gh: http.Server
let ghUrl = ''
/** What the fake GitHub answers to each path (a regular expression on the path), in order. */
const answers: Array<{ path: RegExp; status: number; body: unknown }> = []
before(async () => {
  sim = await startSimulator({ renderMs: 200 })
  artifacts = await startArtifactService()
  gh = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const hit = answers.find((a) => a.path.test(req.url ?? ''))
      res.writeHead(hit?.status ?? 404, { 'content-type': 'application/json' })
      res.end(JSON.stringify(hit?.body ?? { message: 'Not Found' }))
    })
  })
  await new Promise<void>((resolve) => gh.listen(0, '127.0.0.1', resolve))
  ghUrl = `http://127.0.0.1:${(gh.address() as AddressInfo).port}`
})
after(async () => {
  await sim.close()
  await artifacts.close()
  gh.closeAllConnections()
  await new Promise<void>((resolve) => gh.close(() => resolve()))
})

describe('a compare answer without its file list', () => {
  // PROVES: GitHub's compare schema has `files` optional; an answer without it (a flaky or odd GitHub) is read as
  // "no file changed" (`files ?? []`): the video whose speech the push rewrote is silently not rendered, the
  // step green with "no video's inputs changed". Where the list is unknown the action's own rule is to render.
  it('renders when the compare does not say which files changed', async () => {
    answers.splice(0, answers.length, { path: /\/compare\/c1\.\.\.c2/, status: 200, body: { status: 'ahead', ahead_by: 1, commits: [] } })
    const exports = sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'speech/a.txt': 'A rewritten' }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'script-file': 'speech/a.txt',
        'only-changed': 'true',
        'github-token': 'ghs_fake'
      },
      env: { ...artifacts.envForRun(9701), ...eventEnv('push', { before: 'c1', after: 'c2' }, ghUrl) }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(
      sim.exports.length,
      exports + 1,
      `observed: ${run.stdout
        .split('\n')
        .filter((l) => l.includes('only-changed'))
        .join(' | ')}`
    )
  })
})
