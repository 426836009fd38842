/**
 * Attack: reuse reads only the first page (20) of the repository's artifacts named after the request's
 * fingerprint, newest first. A fork's pull request runs upload artifacts too (the README says so) and the
 * fingerprint is computable from public files: 20 newer records from fork runs push the trusted one off the
 * page, and the video is exported (paid) again. The GitHub stand-in returns every artifact whatever
 * per_page says; GitHub pages them (toolkit notes: "at most 100 a page: a name shared by many runs needs
 * paging"), so the stand-in is put behind a proxy that pages as GitHub does. Expected to FAIL while so.
 */
import assert from 'node:assert/strict'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventEnv, runAction } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi, type WorkflowRun } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
let proxy: http.Server
let proxyUrl = ''
before(async () => {
  sim = await startSimulator({ renderMs: 200 })
  artifacts = await startArtifactService()
  github = await startGitHubApi(artifacts)
  const target = new URL(github.url)
  proxy = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (c: Buffer) => chunks.push(c))
      answer.on('end', () => {
        let body = Buffer.concat(chunks).toString()
        // GitHub's paging of a repository's artifacts: per_page (default 30, at most 100), page from 1.
        if (/\/actions\/artifacts$/.test(url.pathname) && answer.statusCode === 200) {
          const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
          const page = Number(url.searchParams.get('page') ?? 1)
          const data = JSON.parse(body) as { total_count: number; artifacts: unknown[] }
          data.artifacts = data.artifacts.slice((page - 1) * perPage, page * perPage)
          body = JSON.stringify(data)
        }
        body = body.split(github.url).join(proxyUrl)
        const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) }
        delete headers['transfer-encoding']
        res.writeHead(answer.statusCode ?? 502, headers)
        res.end(body)
      })
    })
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})
after(async () => {
  await sim.close()
  await github.close()
  await artifacts.close()
  proxy.closeAllConnections()
  await new Promise<void>((resolve) => proxy.close(() => resolve()))
})

const MAIN_PUSH: WorkflowRun = { event: 'push', headBranch: 'main', headRepository: 'octo-org/videos' }
const FORK: WorkflowRun = { event: 'pull_request', headBranch: 'main', headRepository: 'evil-fork/videos', pullRequests: [] }

describe('20 records from fork runs hide the trusted one', () => {
  // PROVES: run 120 (a push to main) rendered the request and left its reuse record. Twenty fork runs then leave
  // records of the same name. Run 121 (a push to main, reuse: true) reads the first page, refuses all twenty
  // (fork code), never sees run 120's, and exports the video again: paid twice, by an outsider's doing.
  it('still reuses the trusted video', async () => {
    const inputs = {
      'api-key': sim.mintToken(),
      'api-url': sim.apiUrl,
      'github-token': GITHUB_TOKEN,
      reuse: 'true',
      'project-id': DIALOGUE_PROJECT_ID,
      scripts: '1.1: Flooded words.'
    }
    const run = (runId: number) => {
      github.runs.set(runId, MAIN_PUSH)
      return runAction({
        inputs,
        env: {
          ...artifacts.envForRun(runId),
          ...eventEnv('push', { repository: { default_branch: 'main' } }, proxyUrl),
          GITHUB_REF: 'refs/heads/main'
        },
        timeoutMs: 120_000
      })
    }
    const first = await run(120)
    assert.equal(first.code, 0, first.stdout)
    const record = artifacts.artifacts.find((a) => a.runId === 120 && a.name.startsWith('aistudios-reuse-'))
    assert.ok(record)
    for (let i = 0; i < Number(process.env.FLOOD ?? 20); i++) {
      const runId = 600 + i
      github.runs.set(runId, FORK)
      artifacts.artifacts.push({ ...record, id: 70_000 + i, runId, run: `fork-run-${i}`, bytes: Buffer.from(record.bytes) })
    }
    const exports = sim.exports.length
    const second = await run(121)
    assert.equal(second.code, 0, second.stdout)
    assert.equal(
      sim.exports.length,
      exports,
      `observed: exported again; ${second.stdout.split('\n').filter((l) => l.startsWith('::warning::reuse')).length} reuse warnings, ${second.stdout
        .split('\n')
        .filter((l) => /reuse:/.test(l) && !l.startsWith('::warning'))
        .join(' | ')}`
    )
  })
})
