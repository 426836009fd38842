/**
 * Attack: a cancel (SIGTERM) during a batch's release uploads marks every video still "downloaded" as not
 * delivered at the release, including those already attached to it. Their advice (resume) then meets
 * "already has an asset", and the summary says a delivered video was not. Expected to FAIL while so.
 */
import assert from 'node:assert/strict'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, NO_POSIX_SIGNALS } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

let sim: Simulator
let artifacts: ArtifactService
let github: GitHubApi
let proxy: http.Server
let proxyUrl = ''
let heldB = false
before(async () => {
  sim = await startSimulator({ renderMs: 0 })
  artifacts = await startArtifactService()
  github = await startGitHubApi(artifacts)
  const target = new URL(github.url)
  // GitHub in front of the stand-in: the upload of b.mp4 never answers (a cut connection), all else passes.
  proxy = http.createServer((req, res) => {
    if (req.method === 'POST' && /\/uploads\/.*name=b\.mp4/.test(req.url ?? '')) {
      heldB = true
      req.resume()
      return
    }
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      // The upload URL GitHub gives must point back through this proxy.
      const chunks: Buffer[] = []
      answer.on('data', (c: Buffer) => chunks.push(c))
      answer.on('end', () => {
        const body = Buffer.concat(chunks).toString().split(github.url).join(proxyUrl)
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

describe('SIGTERM while the second of two videos goes up to the release', { skip: NO_POSIX_SIGNALS }, () => {
  // PROVES: a.mp4 is attached to release v9 (GitHub holds it); the run is cancelled during b.mp4's upload. The
  // `videos` output and summary say a was "not delivered ... attaching the video to release v9 failed: The run was
  // cancelled", with "re-run ... resume" advice that will meet "Release v9 already has an asset named a.mp4".
  it('a video already attached is not reported as undelivered', async () => {
    github.releases.push({ id: 981, tag: 'v9', assets: [] })
    const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n`
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': manifest }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        manifest: 'videos.yml',
        'release-upload': 'true',
        'release-tag': 'v9',
        'github-token': GITHUB_TOKEN
      },
      env: { ...artifacts.envForRun(9811), ...eventEnv('push', {}, proxyUrl) },
      onStart: (child) => {
        const poll = setInterval(() => {
          if (!heldB) return
          clearInterval(poll)
          child.kill('SIGTERM')
        }, 20)
        child.on('exit', () => clearInterval(poll))
      },
      timeoutMs: 60_000
    })
    assert.ok(
      heldB,
      `the cancel came during b’s upload: ${run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::debug'))
        .slice(-15)
        .join('\n')}`
    )
    assert.deepEqual(
      github.releases.find((r) => r.id === 981)!.assets.map((x) => x.name),
      ['a.mp4'],
      'a is on the release'
    )
    const videos = JSON.parse(run.outputs.videos) as Array<{ name: string; status: string; error: string | null; 'release-url': string | null }>
    const a = videos.find((v) => v.name === 'a')!
    assert.notEqual(a.status, 'failed', `observed: a (on the release, release-url ${a['release-url']}) reported as: ${a.error}`)
  })
})
