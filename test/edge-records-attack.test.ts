/**
 * Hostile review (atk2) of the record artifacts read through readJsonArtifact (reuse, draft, ledger delivered
 * marks, result records), of render.ts connecting GitHub whenever `github-token` is set, and of the resume
 * check's draft lookup. Artifacts are planted as a pull request's run of the same repository (or another job
 * of the same run) could leave them. A failing test here is a finding: its message says observed vs expected.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, tempDir } from './helpers/run-action.ts'
import { MAIN_PUSH, PULL, draftFlow, templateWith } from './helpers/draft-flow.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { startGitHubApi } from './stand-ins/github-api.ts'
import { startArtifactService, type StoredArtifact } from './stand-ins/artifact-service.ts'

const world = useStandIns({ renderMs: 200 })

/** A zip archive (stored or deflated entries), as an artifact upload leaves one; `link` entries are symlinks. */
function zip(entries: Array<{ name: string; data: Buffer; link?: boolean }>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name)
    const packed = zlib.deflateRawSync(entry.data, { level: 9 })
    const crc = zlib.crc32(entry.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0, 6)
    local.writeUInt16LE(8, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(packed.length, 18)
    local.writeUInt32LE(entry.data.length, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(entry.link ? 0x031e : 20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(8, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(packed.length, 20)
    central.writeUInt32LE(entry.data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(entry.link ? (0o120777 << 16) >>> 0 : 0, 38)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, packed)
    centrals.push(central, name)
    offset += local.length + name.length + packed.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

let nextPlanted = 90_000
/** Plants an artifact as a job of run `runId` would have uploaded it: zipped unless `mimeType` says otherwise. */
function plant(runId: number, name: string, bytes: Buffer, mimeType?: string): StoredArtifact {
  const artifact: StoredArtifact = {
    id: nextPlanted++,
    name,
    job: 'hostile-job',
    run: `run-${runId}`,
    runId,
    mimeType,
    finalized: true,
    size: String(bytes.length),
    bytes
  }
  world.artifacts.artifacts.push(artifact)
  return artifact
}

/** One run of the workflow numbered `runId`, attempt `attempt`, as draftFlow runs it, with the step's own inputs and env. */
const { run } = draftFlow(world)

const warnings = (stdout: string): string[] => stdout.split('\n').filter((line) => line.startsWith('::warning'))
const lines = (stdout: string, re: RegExp): string =>
  stdout
    .split('\n')
    .filter((line) => re.test(line))
    .join('\n')

/** The draft record a draft run (pull request run `runId`) left for the template in `workspace`. */
async function draftRecordOf(runId: number, workspace: string): Promise<StoredArtifact> {
  const drafted = await run(runId, PULL, { draft: 'true' }, workspace)
  assert.equal(drafted.code, 0, drafted.stdout)
  const record = world.artifacts.artifacts.find((a) => a.runId === runId && a.name.startsWith('aistudios-draft-'))
  assert.ok(record, 'the draft run left its record')
  return record
}

/** Sums the bytes of every file under `dir` (what a run has written to its RUNNER_TEMP). */
function bytesUnder(dir: string): number {
  let total = 0
  try {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue
      try {
        total += fs.statSync(path.join(entry.parentPath, entry.name)).size
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // gone meanwhile
  }
  return total
}

/**
 * A proxy in front of the GitHub stand-in that sends every artifact download (`/actions/artifacts/{id}/zip`)
 * to a blob server that answers the headers and then trickles one byte every 10 s: a slow artifact
 * service, or a hung one, for the reads through the REST API (reuse, draft records).
 */
async function trickleProxy(): Promise<{ url: string; close(): Promise<void>; downloads: () => number }> {
  let downloads = 0
  const blob = http.createServer((_req, res) => {
    downloads++
    res.writeHead(200, { 'Content-Type': 'application/zip' })
    res.write(Buffer.from([0x50]))
    const timer = setInterval(() => res.write(Buffer.from([0x4b])), 10_000)
    res.on('close', () => clearInterval(timer))
  })
  await new Promise<void>((resolve) => blob.listen(0, '127.0.0.1', resolve))
  const blobUrl = `http://127.0.0.1:${(blob.address() as AddressInfo).port}`
  const target = new URL(world.github.url)
  const proxy = http.createServer((req, res) => {
    if (/\/actions\/artifacts\/\d+\/zip$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
      res.writeHead(302, { Location: `${blobUrl}/blob/slow?sig=stand-in` }).end()
      return
    }
    const forward = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  const closeOne = (server: http.Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return { url, downloads: () => downloads, close: async () => void (await Promise.all([closeOne(proxy), closeOne(blob)])) }
}

describe('resume: the reviewed-draft lookup on a mismatch', () => {
  // A pull request's run of this repository (trusted by from-draft: 'repository') leaves a draft record for the
  // request whose projectId is the very export being resumed. The resume's check then compares the export with
  // itself and downloads it, though it is another request's video and 'resume-mismatch' is refuse.
  it('a draft record naming the resumed export itself does not make a mismatched export match', async () => {
    const started = await run(500, MAIN_PUSH, { wait: 'false' }, templateWith('Words of another video.'))
    assert.equal(started.code, 0, started.stdout)
    const key = started.outputs['export-key']
    assert.ok(key)
    const workspace = templateWith('The words this step says.')
    const record = await draftRecordOf(501, workspace)
    // The pull request's code rewrites its own record before uploading it (any run of the repository's code can).
    record.bytes = Buffer.from(JSON.stringify({ projectId: key, created: true }))
    record.size = String(record.bytes.length)
    const resumed = await run(502, MAIN_PUSH, { resume: key }, workspace)
    assert.notEqual(
      resumed.code,
      0,
      `observed: export ${key} (another template's words) was downloaded by a resume with 'resume-mismatch: refuse' ` +
        `because a draft record named that export as the reviewed draft; expected: the mismatch refused, nothing downloaded:\n${lines(resumed.stdout, /resume|draft/)}`
    )
    assert.ok(!resumed.outputs['video-path'], 'nothing downloaded')
  })

  // A hung lookup of the resume check is bounded as from-draft's is (one lookup, findReviewedDraft): see
  // 'a from-draft run whose draft record download trickles ends its lookup within its bounds'.

  it('a resume whose draft lookup is refused (a token without actions: read) reports the mismatch, downloading nothing', async () => {
    const started = await run(520, MAIN_PUSH, { wait: 'false' }, templateWith('Another video, refused lookup.'))
    const key = started.outputs['export-key']
    assert.ok(key)
    const workspace = templateWith('This step, refused lookup.')
    const token = world.github.jobToken({ contents: 'read' })
    const resumed = await run(521, MAIN_PUSH, { resume: key, 'github-token': token }, workspace)
    assert.equal(resumed.code, 1, resumed.stdout)
    assert.match(resumed.stdout, /is not the video/)
    assert.ok(!resumed.outputs['video-path'])
  })

  // README's Permissions table: "Rendering, artifacts (the default) | none". A resume checked against its
  // project or template is no GitHub feature, yet its mismatch now asks the repository's artifacts (actions: read)
  // with the default token, and a job with the restricted default token gets a from-draft warning it never asked for.
  it('a resume mismatch with the restricted default token makes no GitHub call the Permissions table does not name', async () => {
    const started = await run(530, MAIN_PUSH, { wait: 'false' }, templateWith('Another video, restricted.'))
    const key = started.outputs['export-key']
    assert.ok(key)
    const workspace = templateWith('This step, restricted.')
    const refusedBefore = world.github.refused.length
    const token = world.github.jobToken({ contents: 'read', packages: 'read' })
    // The step leaves github-token at its default (the job token, restricted: contents and packages read).
    const again = await runAction({
      workspace,
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, template: 't.json', resume: key },
      env: {
        ...world.artifacts.envForRun(532),
        ...eventEnv('push', { repository: { default_branch: 'main' } }, world.github.url),
        GITHUB_REF: 'refs/heads/main'
      },
      context: { 'github.token': token }
    })
    assert.equal(again.code, 1, again.stdout)
    assert.match(again.stdout, /is not the video/)
    const refused = world.github.refused.slice(refusedBefore)
    assert.deepEqual(
      { refused: refused.map((r) => `${r.method} ${r.path} (${r.wanted})`), warnings: warnings(again.stdout).filter((w) => /from-draft/.test(w)) },
      { refused: [], warnings: [] },
      'observed vs expected: a feature-less resume with the default token'
    )
  })
})

describe('render connects GitHub whenever github-token is set: a run with no GitHub feature', () => {
  const plain = { 'project-id': SAMPLE_PROJECT_ID, script: 'No GitHub feature here.' }
  const cases: Array<[string, Record<string, string>]> = [
    ['on github.com', {}],
    ['without GITHUB_REPOSITORY', { GITHUB_REPOSITORY: '' }],
    ['on GitHub Enterprise Server', { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_API_URL: '' }]
  ]
  for (const [where, env] of cases) {
    it(`makes no GitHub call and gives no warning ${where}, its token lacking every permission`, async () => {
      const before = world.github.requests.length
      const token = world.github.jobToken({})
      const done = await runAction({
        workspace: makeWorkspace(),
        inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, ...plain },
        env: {
          ...world.artifacts.envForRun(540),
          ...eventEnv('push', { repository: { default_branch: 'main' } }, world.github.url),
          GITHUB_REF: 'refs/heads/main',
          ...env
        },
        context: { 'github.token': token }
      })
      assert.equal(done.code, 0, done.stdout)
      // On GHES the artifact warnings are the runner's (no artifact service there), not GitHub's API: left out.
      const own = warnings(done.stdout).filter((w) => !/Enterprise Server|GHES/.test(w))
      assert.deepEqual({ calls: world.github.requests.slice(before).map((r) => `${r.method} ${r.path}`), warnings: own }, { calls: [], warnings: [] })
    })
  }

  it('a draft of a saved project (its own draft) with a token lacking every permission makes no GitHub call and gives no warning', async () => {
    const before = world.github.requests.length
    const done = await run(
      545,
      PULL,
      { draft: 'true', 'project-id': SAMPLE_PROJECT_ID, template: '', 'github-token': world.github.jobToken({}) },
      makeWorkspace()
    )
    assert.equal(done.code, 0, done.stdout)
    assert.deepEqual(
      { calls: world.github.requests.slice(before).map((r) => `${r.method} ${r.path}`), warnings: warnings(done.stdout) },
      { calls: [], warnings: [] }
    )
  })
})

describe('hostile draft records (from-draft)', () => {
  /** A from-draft run (a push to main) of the template in `workspace`, after a newer record was planted. */
  async function fromDraft(runId: number, workspace: string, extra: Record<string, string> = {}, env: Record<string, string> = {}) {
    const from = world.sim.exports.length
    const done = await run(runId, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false', ...extra }, workspace, { env })
    return { done, exported: world.sim.exports.slice(from) }
  }

  /** Plants `bytes` as a newer record of the same request, from pull request run `runId` (this repository's code). */
  function plantRecord(runId: number, name: string, bytes: Buffer, mimeType?: string): void {
    world.github.runs.set(runId, PULL)
    plant(runId, name, bytes, mimeType)
  }

  const cases: Array<[string, (name: string) => { bytes: Buffer; mimeType?: string }, RegExp]> = [
    ['not JSON', () => ({ bytes: Buffer.from('{"projectId": '), mimeType: 'application/json' }), /not JSON/],
    ['a wrong schema', () => ({ bytes: Buffer.from(JSON.stringify({ projectId: 42, created: 'yes' })), mimeType: 'application/json' }), /its record/],
    [
      'over 64 KiB',
      () => ({ bytes: Buffer.from(JSON.stringify({ projectId: 'p', created: true, pad: 'x'.repeat(70_000) })), mimeType: 'application/json' }),
      /over the 65536 a record may have|over 65536 bytes/
    ],
    [
      'a zip whose entry is a link to a runner file',
      (name) => ({ bytes: zip([{ name, data: Buffer.from('/etc/hostname'), link: true }]) }),
      /not|record/
    ],
    [
      'a zip holding a folder of that name',
      (name) => ({ bytes: zip([{ name: `${name}/x.json`, data: Buffer.from('{}') }]) }),
      /not a file|no record file/
    ]
  ]
  let runId = 600
  for (const [what, make, why] of cases) {
    it(`a newer record that is ${what} is refused with a warning, and the older trusted draft is still exported`, async () => {
      const workspace = templateWith(`Hostile record: ${what}.`)
      const draftRun = runId++
      const record = await draftRecordOf(draftRun, workspace)
      const planted = make(record.name)
      plantRecord(runId++, record.name, planted.bytes, planted.mimeType)
      const { done, exported } = await fromDraft(runId++, workspace)
      assert.equal(done.code, 0, done.stdout)
      const refusal = warnings(done.stdout).find((w) => /from-draft: the draft record of run/.test(w))
      assert.ok(refusal && why.test(refusal), `a clear refusal: ${warnings(done.stdout).join('\n')}`)
      assert.match(done.stdout, new RegExp(`saved by run ${draftRun}`))
      assert.equal(exported.length, 1)
    })
  }

  it('a zip holding only a file of another name is not read as the record', async () => {
    const workspace = templateWith('Hostile record: another name.')
    const draftRun = 650
    const record = await draftRecordOf(draftRun, workspace)
    const json = JSON.parse(record.bytes.toString()) as { projectId: string }
    // The same project the real record names, so only the file name differs.
    plantRecord(
      651,
      record.name,
      zip([{ name: 'something-else.txt', data: Buffer.from(JSON.stringify({ projectId: json.projectId, created: true })) }])
    )
    const { done } = await fromDraft(652, workspace)
    assert.equal(done.code, 0, done.stdout)
    assert.doesNotMatch(
      done.stdout,
      /saved by run 651/,
      `observed: the record was read from a file named something-else.txt inside the artifact ${record.name}; expected: refused (not the record's file)`
    )
  })

  it('a zip bomb record (a 300 MB file in a 300 KB zip) is refused without writing it out to the runner disk', async () => {
    const workspace = templateWith('Hostile record: zip bomb.')
    const record = await draftRecordOf(660, workspace)
    const bomb = zip([{ name: record.name, data: Buffer.alloc(300 * 1024 * 1024, 0x20) }])
    assert.ok(bomb.length < 1024 * 1024)
    plantRecord(661, record.name, bomb)
    const runnerTemp = tempDir('aistudios-bomb-temp-')
    let peak = 0
    const poll = setInterval(() => (peak = Math.max(peak, bytesUnder(runnerTemp))), 25)
    const { done, exported } = await fromDraft(662, workspace, {}, { RUNNER_TEMP: runnerTemp }).finally(() => clearInterval(poll))
    assert.equal(done.code, 0, done.stdout)
    assert.match(done.stdout, /saved by run 660/)
    assert.equal(exported.length, 1)
    assert.ok(
      peak < 16 * 1024 * 1024,
      `observed: ${(peak / 1024 / 1024).toFixed(0)} MB of a ${bomb.length}-byte record artifact written to RUNNER_TEMP before the 64 KiB bound refused it; ` +
        'expected: the download itself bounded (a record is at most 64 KiB)'
    )
  })

  it('a record of an expired artifact, and one of a fork, are never taken', async () => {
    const workspace = templateWith('Hostile record: expired and fork.')
    const record = await draftRecordOf(670, workspace)
    const forged = Buffer.from(JSON.stringify({ projectId: SAMPLE_PROJECT_ID, created: true }))
    world.github.runs.set(671, PULL)
    const expired = plant(671, record.name, forged, 'application/json')
    expired.expiresAt = new Date(Date.now() - 1000).toISOString()
    world.github.runs.set(672, { event: 'pull_request', headBranch: 'main', headRepository: 'evil-fork/videos', pullRequests: [] })
    plant(672, record.name, forged, 'application/json')
    const { done } = await fromDraft(673, workspace)
    assert.equal(done.code, 0, done.stdout)
    assert.match(done.stdout, /saved by run 670/)
    assert.match(done.stdout, /run 672 was not taken: its code came from another repository/)
  })
})

describe('hostile delivered marks (the ledger)', () => {
  /** Attempt 1 of run `runId` times out while its export renders: its key is in the ledger. */
  async function firstAttempt(runId: number, words: string) {
    world.sim.options.renderMs = 600_000
    const inputs = { 'project-id': SAMPLE_PROJECT_ID, script: words, template: '' }
    const first = await run(runId, MAIN_PUSH, { ...inputs, timeout: '0.1' }, makeWorkspace())
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    const entry = world.artifacts.artifacts.find((a) => a.runId === runId && /^aistudios-ledger-[0-9a-f]{32}-v3-/.test(a.name))
    assert.ok(entry, 'the ledger entry is there')
    const [, fingerprint, key] = /^aistudios-ledger-([0-9a-f]{32})-v3-(.+)$/.exec(entry.name)!
    return { inputs, fingerprint, key }
  }

  const bad: Array<[string, Buffer]> = [
    ['not JSON', zip([{ name: 'export.json', data: Buffer.from('not json at all') }])],
    ['of a wrong schema', zip([{ name: 'export.json', data: Buffer.from(JSON.stringify({ delivered: { attempt: 'one' } })) }])],
    ['over 64 KiB', zip([{ name: 'export.json', data: Buffer.from(JSON.stringify({ pad: 'x'.repeat(70_000) })) }])]
  ]
  let runId = 700
  for (const [what, bytes] of bad) {
    // Another job of the run (any step of the pull request's code) plants a delivered mark it cannot make parse. A mark
    // that parses is not taken without cleanup (edge-forged-ledger); one that does not should be refused alike, not
    // end the re-run with the live export of attempt 1 neither waited for nor exported ("nothing was sent").
    it(`a delivered mark ${what} is refused with a warning, and the re-run attempt still waits for the live export`, async () => {
      const id = runId++
      const { inputs, fingerprint, key } = await firstAttempt(id, `Forged unreadable mark: ${what}.`)
      plant(id, `aistudios-ledger-${fingerprint}-delivered-${key}`, bytes)
      const from = world.sim.exports.length
      const again = await run(id, MAIN_PUSH, inputs, makeWorkspace(), { attempt: 2 })
      assert.equal(world.sim.exports.length, from, 'nothing exported again')
      assert.equal(
        again.code,
        0,
        `observed: exit ${again.code}, the re-run attempt failed on a planted mark it could not read and never waited for export ${key}, ` +
          `which attempt 1 paid for and which is still rendering (export-key output: ${JSON.stringify(again.outputs['export-key'] ?? null)}); ` +
          `expected: the mark refused with a warning and export ${key} downloaded:\n` +
          lines(again.stdout, /^::error|^::warning/)
      )
      assert.equal(again.outputs['export-key'], key)
    })
  }
})

describe('hostile reuse records', () => {
  it("a newer trusted run's record naming another run's video, or an expired one, is refused and the real video reused", async () => {
    const inputs = { reuse: 'true', 'project-id': SAMPLE_PROJECT_ID, template: '', script: 'Reused, not forged.', 'upload-artifact': 'true' }
    const first = await run(800, MAIN_PUSH, inputs, makeWorkspace())
    assert.equal(first.code, 0, first.stdout)
    const record = world.artifacts.artifacts.find((a) => a.runId === 800 && a.name.startsWith('aistudios-reuse-'))
    assert.ok(record, 'run 800 left its reuse record')
    const real = JSON.parse(record.bytes.toString()) as { artifactId: number }
    // Run 801 (a push to main too) names run 800's video as its own; run 802 names an expired video of its own.
    world.github.runs.set(801, MAIN_PUSH)
    plant(801, record.name, Buffer.from(record.bytes), record.mimeType)
    world.github.runs.set(802, MAIN_PUSH)
    const stale = plant(802, 'stale.mp4', Buffer.from('not a video'), 'video/mp4')
    stale.expiresAt = new Date(Date.now() - 1000).toISOString()
    plant(802, record.name, Buffer.from(JSON.stringify({ ...JSON.parse(record.bytes.toString()), artifactId: stale.id })), record.mimeType)
    const from = world.sim.exports.length
    const second = await run(803, MAIN_PUSH, inputs, makeWorkspace())
    assert.equal(second.code, 0, second.stdout)
    assert.equal(world.sim.exports.length, from, 'nothing exported again')
    assert.match(second.stdout, new RegExp(`run 801 was not reused: its record names artifact ${real.artifactId}, which another run uploaded`))
    assert.match(second.stdout, /run 802 was not reused: its video artifact expired/)
    assert.match(second.stdout, /reuse: run 800 already rendered this request/)
  })
})

describe('slow or hostile records before paying', () => {
  it('a from-draft run whose draft record download trickles ends its lookup within its bounds', async () => {
    const proxy = await trickleProxy()
    try {
      const workspace = templateWith('From-draft, trickled.')
      await draftRecordOf(830, workspace)
      const t0 = Date.now()
      const done = await run(831, MAIN_PUSH, { 'from-draft': 'true', timeout: '0.25' }, workspace, {
        env: { GITHUB_API_URL: proxy.url },
        timeoutMs: 100_000
      })
      const seconds = (Date.now() - t0) / 1000
      assert.ok(proxy.downloads() > 0)
      assert.ok(
        done.signal === null && seconds < 75,
        `observed: still looking up the draft record after ${seconds.toFixed(0)} s (killed: ${done.signal}; 'timeout' 15 s, a GitHub call 60 s), ` +
          `nothing exported nor refused; expected: the lookup bounded, the run exporting or refusing:\n${lines(done.stdout, /draft|Downloading/)}`
      )
    } finally {
      await proxy.close()
    }
  })

  // Another job of the same run planted the run's draft record name (attempt 1 of the draft job never uploaded it).
  it("a re-run attempt of a draft run refuses another job's unreadable draft record with a clear reason", async () => {
    const workspace = templateWith('Draft re-run, planted record.')
    const legit = await draftRecordOf(840, workspace)
    plant(841, legit.name, Buffer.from('<html>not a record</html>'), 'application/json')
    const again = await run(841, PULL, { draft: 'true' }, workspace, { attempt: 2 })
    const said = lines(again.stdout, /^::error|^::warning/)
    assert.match(said, /not JSON/, said)
    assert.doesNotMatch(
      said,
      /once the artifact service answers/,
      `observed: the run blames the artifact service and says to re-run, though it answered and every re-run attempt reads the same planted record; ` +
        `expected: the record named as refused (exit ${again.code}):\n${said}`
    )
  })
})

describe('hostile result records (collect)', () => {
  it("another job's unreadable and zip-bomb records of the pipeline are refused with warnings, bounded in disk", async () => {
    const runId = 860
    const files = { 'videos.yml': `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n` }
    const base = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, manifest: 'videos.yml' }
    const rendered = await runAction({
      workspace: makeWorkspace(files),
      inputs: { ...base, 'manifest-entry': 'a' },
      env: world.artifacts.envForRun(runId, 'render-a')
    })
    assert.equal(rendered.code, 0, rendered.stdout)
    const legit = world.artifacts.artifacts.find((a) => a.runId === runId && a.name.startsWith('aistudios-result-'))
    assert.ok(legit)
    const pipeline = /^aistudios-result-1-([A-Za-z0-9_-]+)\./.exec(legit.name)![1]
    plant(runId, `aistudios-result-1-${pipeline}.a.0badf00d.json`, Buffer.from('not json'), 'application/json')
    const bombName = `aistudios-result-1-${pipeline}.a.0b0mb000.json`
    plant(runId, bombName, zip([{ name: bombName, data: Buffer.alloc(300 * 1024 * 1024, 0x20) }]))
    const runnerTemp = tempDir('aistudios-collect-temp-')
    let peak = 0
    const poll = setInterval(() => (peak = Math.max(peak, bytesUnder(runnerTemp))), 25)
    const collected = await runAction({
      workspace: makeWorkspace(files),
      inputs: { manifest: 'videos.yml', collect: 'true' },
      env: { ...world.artifacts.envForRun(runId, 'collect'), RUNNER_TEMP: runnerTemp }
    }).finally(() => clearInterval(poll))
    assert.equal(collected.code, 0, collected.stdout)
    assert.match(lines(collected.stdout, /^::warning/), /0badf00d.json was refused: its record is not JSON/)
    assert.match(lines(collected.stdout, /^::warning/), /0b0mb000.json was refused: its (record is over|artifact holds no record file)/)
    assert.ok(
      peak < 16 * 1024 * 1024,
      `observed: ${(peak / 1024 / 1024).toFixed(0)} MB written to RUNNER_TEMP for a result record bounded at 4 MiB; expected: the download itself bounded`
    )
  })
})

describe('resume mismatch where GitHub cannot be asked', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['without GITHUB_REPOSITORY', { GITHUB_REPOSITORY: '' }],
    [
      'on GitHub Enterprise Server with its API unreachable',
      { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_API_URL: 'http://127.0.0.1:9/api/v3' }
    ]
  ]
  let runId = 870
  for (const [where, env] of cases) {
    it(`still reports the mismatch and downloads nothing ${where}`, async () => {
      const started = await run(runId++, MAIN_PUSH, { wait: 'false' }, templateWith(`Another video ${where}.`))
      const key = started.outputs['export-key']
      assert.ok(key, started.stdout)
      const t0 = Date.now()
      const resumed = await run(runId++, MAIN_PUSH, { resume: key }, templateWith(`This step ${where}.`), { env })
      assert.ok(Date.now() - t0 < 30_000)
      assert.equal(resumed.code, 1, resumed.stdout)
      assert.match(resumed.stdout, /is not the video/)
      assert.ok(!resumed.outputs['video-path'])
    })
  }
})

describe('a hung artifact service on a draft run re-run attempt', () => {
  it("reads the earlier attempt's draft record within 30 s, then fails the video saying why, saving no second draft", async () => {
    const artifacts = await startArtifactService({ holdTwirp: /GetSignedArtifactURL/ })
    const github = await startGitHubApi(artifacts)
    try {
      const workspace = templateWith('Draft re-run, hung service.')
      const env = (attempt: number) => ({
        ...artifacts.envForRun(880, `job-attempt-${attempt}`),
        ...eventEnv('pull_request', { repository: { default_branch: 'main' }, pull_request: { number: 9, head: { ref: 'feature' } } }, github.url),
        GITHUB_RUN_ATTEMPT: String(attempt),
        GITHUB_REF: 'refs/pull/9/merge'
      })
      github.runs.set(880, PULL)
      // The step's token may not list the repository's artifacts: only this run's own (the hung service) are read.
      const inputs = {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'github-token': github.jobToken({}),
        template: 't.json',
        draft: 'true'
      }
      const first = await runAction({ workspace, inputs, env: env(1) })
      assert.equal(first.code, 0, first.stdout)
      const creates = world.sim.drafts.length
      const t0 = Date.now()
      const again = await runAction({ workspace, inputs, env: env(2), timeoutMs: 90_000 })
      const seconds = (Date.now() - t0) / 1000
      assert.ok(again.signal === null && seconds < 50, `ended after ${seconds.toFixed(0)} s (killed: ${again.signal})`)
      assert.equal(again.code, 1, again.stdout)
      assert.match(again.stdout, /draft: this run's draft records could not be read/)
      assert.equal(world.sim.drafts.length, creates, 'no second draft')
    } finally {
      await github.close()
      await artifacts.close()
    }
  })
})
