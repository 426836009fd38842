/**
 * Where two modes meet, the money contract and the truth still hold: token renewal for the export,
 * a dry run that writes nothing, a checked resume, classification by status, honest counts, the
 * output folder checked before paying, and proxies. End to end through dist/index.js.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, withSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi } from './stand-ins/github-api.ts'

const V3 = fs.readFileSync(fileURLToPath(new URL('./fixtures/templates/v3-news.json', import.meta.url)), 'utf8')
const APP = { 'app-id': 'app-1', 'user-key': 'user-key-1' }
const isExport = (r: Simulator['requests'][number]): boolean => r.method === 'POST' && r.path === '/api/odin/v3/editor/project'
const isExchange = (r: Simulator['requests'][number]): boolean => r.path === '/api/odin/v3/auth/token'
const statuses = (run: ActionRun): string[] => (JSON.parse(run.outputs.videos) as Array<{ status: string }>).map((v) => v.status)

/** A manifest of `names`, each the sample project with its own speech. */
const manifestOf = (names: string[], speech: (name: string) => string = (name) => `This is ${name}.`): string =>
  `videos:\n${names.map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: ${JSON.stringify(speech(name))}\n`).join('')}`

describe('a token refused for an export', () => {
  const renewal = (revokeTokensAtExports: number[], videos: string[], maxParallel: string) =>
    withSimulator({ renderMs: 200, apiKeys: [], apps: { 'app-1': 'user-key-1' }, revokeTokensAtExports }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'videos.yml': manifestOf(videos) }),
        inputs: { ...APP, 'api-url': sim.apiUrl, manifest: 'videos.yml', 'max-parallel': maxParallel }
      })
      return { run, sim }
    })

  it('is exchanged once mid-batch and the export sent again: every video delivered', async () => {
    const { run, sim } = await renewal([2], ['v1', 'v2', 'v3', 'v4'], '1')
    assert.equal(run.code, 0, run.stdout)
    assert.equal(sim.requests.filter(isExport).length, 5, 'the refusal fired: one export was refused and sent again')
    assert.equal(sim.exports.length, 4, 'one render paid a video')
    assert.equal(sim.requests.filter(isExchange).length, 2, 'one new exchange')
    assert.deepEqual(statuses(run), ['downloaded', 'downloaded', 'downloaded', 'downloaded'])
    assert.match(run.stdout, /the token was refused \(a 401: the export was not processed\)/)
  })

  it('is exchanged once for a whole wave of refused exports', async () => {
    const { run, sim } = await renewal([1], ['w1', 'w2', 'w3'], '3')
    assert.equal(run.code, 0, run.stdout)
    assert.ok(sim.requests.filter(isExport).length > sim.exports.length, 'the refusal fired')
    assert.equal(sim.exports.length, 3)
    assert.equal(sim.requests.filter(isExchange).length, 2, 'one exchange for the wave, not one a video')
  })

  it('fails with the credentials advice when the new token is refused too', async () => {
    const { run, sim } = await renewal([1, 2], ['only'], '1')
    assert.equal(run.code, 1)
    assert.equal(sim.requests.filter(isExport).length, 2, 'sent twice, never more')
    assert.equal(sim.exports.length, 0)
    assert.match(run.stdout, /::error::.*rejected the credentials.*Check the 'app-id' and 'user-key' secrets/)
  })
})

describe('a failure is classified by its status and code, not its words', () => {
  for (const msg of ['The script contains a forbidden word', 'Invalid token count']) {
    it(`a 400 saying "${msg}" is the API's refusal, not the credentials'`, () =>
      withSimulator({ renderMs: 200, faults: [{ route: 'export', kind: 'status', status: 400, msg }] }, async (sim) => {
        const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID } })
        assert.equal(run.code, 1)
        assert.equal(sim.options.faults.length, 0, 'the fault fired')
        assert.ok(run.stdout.includes(`HTTP 400 code 400: ${msg}`), run.stdout)
        assert.doesNotMatch(run.stdout, /rejected the credentials|issue a new pair/)
      }))
  }
})

describe('checked before paying', () => {
  it('refuses an output-dir that cannot be made, sending nothing', () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ taken: 'a file' }),
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'output-dir': 'taken/videos' }
      })
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::Input 'output-dir': 'taken\/videos': a file stands where a folder of it must be/)
      assert.equal(sim.requests.length, 0)
      assert.equal(sim.exports.length, 0)
    }))
})

describe('wait: false on a batch', () => {
  it('counts the videos as started, none delivered', () =>
    withSimulator({ renderMs: 60_000 }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'videos.yml': manifestOf(['a', 'b', 'c']) }),
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', wait: 'false' }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(sim.exports.length, 3)
      assert.deepEqual(statuses(run), ['started', 'started', 'started'])
      assert.match(run.summary, /0 delivered, 3 started \(of 3\)/)
      assert.doesNotMatch(run.summary, /3 of 3 delivered/)
    }))
})

describe('a dry run', () => {
  let sim: Simulator
  let github: GitHubApi
  let artifacts: ArtifactService
  before(async () => {
    sim = await startSimulator({ renderMs: 60_000 })
    github = await startGitHubApi()
    artifacts = await startArtifactService()
  })
  after(async () => {
    await sim.close()
    await github.close()
    await artifacts.close()
  })

  it('with comment, release and reuse on a pull request sends GitHub and the artifact service nothing', async () => {
    github.releases.push({ id: 9, tag: 'v9', assets: [] })
    const run = await runAction({
      workspace: makeWorkspace({ 'videos.yml': manifestOf(['a', 'b']) }),
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        manifest: 'videos.yml',
        'dry-run': 'true',
        comment: 'true',
        reuse: 'true',
        'release-upload': 'true',
        'release-tag': 'v9',
        'github-token': GITHUB_TOKEN
      },
      env: { ...artifacts.env, ...eventEnv('pull_request', { pull_request: { number: 21, base: { sha: 'x' } } }, github.url) }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(statuses(run), ['dry-run', 'dry-run'])
    assert.ok(fs.existsSync(path.join(run.workspace, 'videos', 'aistudios-request-a.json')), 'its own files are written')
    assert.deepEqual(github.requests, [])
    assert.deepEqual(artifacts.requests, [])
    assert.equal(sim.exports.length, 0)
  })

  it("with resume reads the export's progress and exits 0", async () => {
    const started = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, wait: 'false' } })
    assert.equal(started.code, 0, started.stdout)
    const key = sim.exports[0].key
    const exports = sim.exports.length
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, resume: key, 'dry-run': 'true' }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.ok(sim.requests.some((r) => r.path === `/api/odin/v3/editor/progress/${key}`))
    assert.match(run.stdout, new RegExp(`Dry run: export ${key} is at [\\d.]+%`))
    assert.equal(sim.exports.length, exports)
    assert.equal(sim.requests.filter((r) => r.origin === 'cdn').length, 0)
  })
})

describe('resume is checked against the step', () => {
  let sim: Simulator
  let workspace: string
  let koKey: string
  const speech: Record<string, string> = { 'promo-en': 'Hello, this is the promo.', 'promo-ko': '안녕하세요, 홍보 영상입니다.' }
  const resume = (entry: string, extra: Record<string, string> = {}) =>
    runAction({
      workspace,
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'manifest-entry': entry, resume: koKey, ...extra }
    })
  before(async () => {
    sim = await startSimulator({ renderMs: 200 })
    workspace = makeWorkspace({ 'videos.yml': manifestOf(['promo-en', 'promo-ko'], (name) => speech[name]) })
    const started = await runAction({
      workspace,
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'manifest-entry': 'promo-ko', wait: 'false' }
    })
    assert.equal(started.code, 0, started.stdout)
    koKey = sim.exports[0].key
  })
  after(() => sim.close())

  it("refuses another entry's export before downloading it", async () => {
    const run = await resume('promo-en')
    assert.equal(run.code, 1)
    assert.match(
      run.stdout,
      new RegExp(`::error::.*resume: export ${koKey} is not the video project ${SAMPLE_PROJECT_ID} makes: the speech of scene 0`)
    )
    assert.match(run.stdout, /resume-mismatch: accept/)
    assert.equal(sim.requests.filter((r) => r.origin === 'cdn').length, 0, 'nothing was downloaded')
    assert.ok(!fs.existsSync(path.join(workspace, 'videos', 'promo-en.mp4')))
    assert.equal(sim.exports.length, 1, 'nothing was exported')
  })

  it('downloads it when resume-mismatch accepts, with a warning', async () => {
    const run = await resume('promo-en', { 'resume-mismatch': 'accept' })
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /::warning::.*is not the video .*Downloaded anyway/)
    assert.equal(sim.exports.length, 1)
  })

  it('downloads the entry its export matches', async () => {
    const run = await resume('promo-ko')
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, new RegExp(`resume: export ${koKey} matches project ${SAMPLE_PROJECT_ID}`))
  })

  for (const [inputs, unused] of [
    [{ script: 'Hi', tags: 'title: New' }, 'tags'],
    [{ script: 'Hi' }, 'script']
  ] as const) {
    it(`refuses '${unused}', which resume makes unused, by name`, async () => {
      const requests = sim.requests.length
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, resume: koKey, ...inputs } })
      assert.equal(run.code, 1)
      assert.match(run.stdout, new RegExp(`::error::Input '${unused}': 'resume' downloads an export already made`))
      assert.equal(sim.requests.length, requests)
    })
  }
})

describe('proxies', () => {
  let sim: Simulator
  let proxy: http.Server
  let proxyUrl: string
  /** Every CONNECT the proxy was asked for, and how many it refused. */
  const connects: string[] = []
  let refuse = 0
  let refused = 0
  before(async () => {
    sim = await startSimulator({ renderMs: 200 })
    proxy = http.createServer()
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      connects.push(req.url ?? '')
      if (refuse > 0) {
        refuse--
        refused++
        return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      }
      const [host, port] = (req.url ?? '').split(':')
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`
  })
  after(async () => {
    proxy.closeAllConnections()
    await Promise.all([sim.close(), new Promise((resolve) => proxy.close(resolve))])
  })

  it('takes a refused CONNECT for the export as not sent: sent again, once', async () => {
    refuse = 1
    // A template needs no read first: the export is the first request, and the refused tunnel is its.
    const run = await runAction({
      workspace: makeWorkspace({ 'news.json': V3 }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 'news.json', variables: 'PRODUCT: W\nVERSION: 1' },
      env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '' }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(refused, 1, 'the refusal fired')
    assert.equal(sim.requests.filter(isExport).length, 1, 'the export reached the API once')
    assert.equal(sim.exports.length, 1)
    assert.match(run.stdout, /the request never left, so it is safe to send again/)
  })

  it('reads no_proxy and NO_PROXY the same way in every client', async () => {
    const artifacts = await startArtifactService()
    try {
      const before = connects.length
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
        env: { ...artifacts.env, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '' }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.ok(artifacts.requests.length > 0, 'the artifact client went direct, as NO_PROXY says')
      assert.ok(
        artifacts.artifacts.some((a) => a.finalized && !a.name.startsWith('aistudios-ledger-')),
        'the video was uploaded'
      )
      assert.deepEqual(connects.slice(before), [], 'the API client went direct too')
    } finally {
      await artifacts.close()
    }
  })
})
