/**
 * Attacks that HELD (these tests pass): hostile event payloads for only-changed fail closed (nothing
 * exported), and a hostile GitHub message in a failed delivery cannot become a workflow command or Markdown
 * in the summary. Kept as regression guards of what was tried.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
let evil: http.Server
let evilUrl = ''
const HOSTILE =
  'boom\n::error::injected\n::set-output name=videos::[]\n\n## Heading [click](https://evil.example) ![x](https://evil.example/x.png) <img src=x onerror=alert(1)>'
before(async () => {
  sim = await startSimulator({ renderMs: 200 })
  artifacts = await startArtifactService()
  github = await startGitHubApi(artifacts)
  evil = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: HOSTILE }))
    })
  })
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve))
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
  evil.closeAllConnections()
  await new Promise<void>((resolve) => evil.close(() => resolve()))
})

const base = () => ({
  'api-key': sim.mintToken(),
  'api-url': sim.apiUrl,
  'project-id': SAMPLE_PROJECT_ID,
  'script-file': 'speech/a.txt',
  'only-changed': 'true',
  'github-token': GITHUB_TOKEN
})

describe('held: hostile payloads fail closed', () => {
  for (const [what, name, payload] of [
    ['a push without after', 'push', { before: 'h1' }],
    [
      'a pull request whose head.sha GitHub does not know',
      'pull_request',
      { pull_request: { number: 5, base: { sha: 'h1' }, head: { sha: 'nope' } } }
    ],
    ['a pull request without base.sha', 'pull_request', { pull_request: { number: 5, head: { sha: 'h2' } } }],
    [
      'a pull_request_target whose head is a fork sha GitHub does not know',
      'pull_request_target',
      { pull_request: { number: 6, base: { sha: 'h1' }, head: { sha: 'fork0' } } }
    ]
  ] as const) {
    it(`${what}: the run fails, nothing exported`, async () => {
      const exports = sim.exports.length
      const run = await runAction({
        workspace: makeWorkspace({ 'speech/a.txt': 'A' }),
        inputs: base(),
        env: { ...artifacts.envForRun(9951), ...eventEnv(name, payload, github.url) }
      })
      assert.equal(sim.exports.length, exports)
      assert.equal(run.code, 1, run.stdout)
    })
  }

  it("a GITHUB_WORKFLOW_REF with '..' reads nothing outside and renders nothing unasked", async () => {
    github.changes.set('h5...h6', ['docs/x.md'])
    const exports = sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 'video/news.json': fs.readFileSync(new URL('../examples/video/news.json', import.meta.url), 'utf8') }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        template: 'video/news.json',
        variables: 'PRODUCT: Widget\nVERSION: "2.0"',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: {
        ...artifacts.envForRun(9952),
        ...eventEnv('push', { before: 'h5', after: 'h6' }, github.url),
        GITHUB_WORKFLOW_REF: 'octo-org/videos/.github/workflows/../../../../etc/passwd@refs/heads/main'
      }
    })
    assert.equal(sim.exports.length, exports, run.stdout)
  })
})

describe('held: a hostile GitHub message in a failed delivery', () => {
  it('cannot act as a workflow command nor as Markdown in the summary', async () => {
    const run = await runAction({
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'release-upload': 'true',
        'release-tag': 'v1',
        'github-token': GITHUB_TOKEN
      },
      env: { ...artifacts.envForRun(9953), ...eventEnv('push', {}, evilUrl) },
      timeoutMs: 120_000
    })
    assert.equal(run.code, 1, run.stdout)
    assert.doesNotMatch(run.stdout, /^::error::injected/m)
    assert.doesNotMatch(run.stdout, /^::set-output/m)
    assert.doesNotMatch(run.summary, /\n\n## Heading|<img src=x/)
    assert.match(run.summary, /not delivered/)
    assert.match(run.summary, /injected/, 'the hostile message did reach the summary, escaped')
    assert.match(run.stdout, /^::error::.*boom%0A::error::injected/m, 'and the log, as one escaped line')
  })
})
