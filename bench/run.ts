/**
 * The benchmark: this action (dist/index.js, run as the runner runs it) side by side with the tutorials'
 * loop (bench/baseline.mjs), against the simulator on loopback; then download throughput against curl,
 * artifact upload throughput against the stand-in, cold start and bundle size. Prints tables.
 *
 *   npm run bench            renders of 20 s, 2 min and 10 min, and every other section
 *   npm run bench -- --quick renders of 5 s and 15 s and fewer rounds, for a smoke run (still minutes: every
 *                            section runs)
 *   npm run bench -- --only download   one section: cold-start, download, upload, renders, url-lag,
 *                                      unreachable, poll-budget, batch-cost or saved-export
 *   npm run bench -- --only cold-start --before OTHER/dist/index.js   cold start beside another build
 *   npm run bench -- --only renders --skip-10min   renders of 20 s and 2 min only
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ACTION_ENTRY, makeWorkspace, runAction } from '../test/helpers/run-action.ts'
import { watchPeakRss } from '../test/helpers/rss.ts'
import { SAMPLE_PROJECT_ID, instantVideoUrl, startSimulator, type Simulator } from '../test/simulator/server.ts'
import { startArtifactService } from '../test/stand-ins/artifact-service.ts'
import { batchCost, pollBudget } from './batch.ts'
import { savedExport } from './saved-export.ts'

const quick = process.argv.includes('--quick')
const BASELINE = fileURLToPath(new URL('./baseline.mjs', import.meta.url))
const DOWNLOAD_ONCE = fileURLToPath(new URL('./download-once.ts', import.meta.url))
const SIMULATOR_CLI = fileURLToPath(new URL('../test/simulator/cli.ts', import.meta.url))
const GiB = 1 << 30
const MiB = 1 << 20

interface Sample {
  latencyMs: number
  apiRequests: number
  wallMs: number
  peakRssMb: number
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const max = (values: number[]): number => Math.max(...values)
const min = (values: number[]): number => Math.min(...values)
const fmt = (value: number, digits = 0): string => value.toFixed(digits)

/** Latency: from the render reaching 100% to the last write of the file, as the file system saw it. */
function sampleOf(sim: Simulator, videoPath: string, startedAt: number, peakKb: number): Sample {
  return {
    latencyMs: fs.statSync(videoPath).mtimeMs - sim.exports[0].finishesAt,
    apiRequests: sim.requests.filter((r) => r.origin === 'api').length,
    wallMs: Date.now() - startedAt,
    peakRssMb: peakKb / 1024
  }
}

async function runBaseline(renderMs: number): Promise<Sample> {
  const sim = await startSimulator({ renderMs })
  const out = makeWorkspace()
  const startedAt = Date.now()
  const child = spawn(process.execPath, [BASELINE, sim.apiUrl, sim.mintToken(), SAMPLE_PROJECT_ID, out], { stdio: ['ignore', 'pipe', 'inherit'] })
  const peak = watchPeakRss(child)
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  await sim.close()
  if (code !== 0) throw new Error(`baseline exited ${code}`)
  return sampleOf(sim, stdout.trim(), startedAt, peak.kb)
}

async function runThisAction(renderMs: number): Promise<Sample> {
  const sim = await startSimulator({ renderMs })
  const startedAt = Date.now()
  let peak = { kb: 0 }
  const run = await runAction({
    inputs: {
      'api-key': sim.mintToken(),
      'api-url': sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      script: 'This is overriding old script',
      'upload-artifact': 'false'
    },
    onStart: (child) => (peak = watchPeakRss(child)),
    timeoutMs: renderMs + 120_000
  })
  await sim.close()
  if (run.code !== 0) throw new Error(`the action exited ${run.code}: ${run.stdout}`)
  return sampleOf(sim, run.outputs['video-path'], startedAt, peak.kb)
}

async function renders(): Promise<string[]> {
  const scenarios = quick
    ? [
        { label: '5 s', renderMs: 5000, runs: 3 },
        { label: '15 s', renderMs: 15_000, runs: 2 }
      ]
    : [
        { label: '20 s', renderMs: 20_000, runs: 9 },
        { label: '2 min', renderMs: 120_000, runs: 5 },
        { label: '10 min', renderMs: 600_000, runs: 2 }
      ].filter((scenario) => !process.argv.includes('--skip-10min') || scenario.renderMs < 600_000)
  // Every run on its own simulator, all at once: the clients wait far more than they work. Render
  // times vary ±10% around the nominal one (the same for both clients of a pair), as real ones do, so
  // that no render ends on the baseline's 3 s grid by construction.
  const jobs = scenarios.flatMap((scenario) =>
    Array.from({ length: scenario.runs }, () => {
      const renderMs = Math.round(scenario.renderMs * (0.9 + 0.2 * Math.random()))
      return [
        runBaseline(renderMs).then((sample) => ({ scenario, client: 'baseline', sample })),
        runThisAction(renderMs).then((sample) => ({ scenario, client: 'action', sample }))
      ]
    }).flat()
  )
  const results = await Promise.all(jobs)
  const lines = [
    '| render | client | runs | finish → file on disk, median (worst) | API requests, median | wall time, median | peak RSS, worst |',
    '|---|---|---|---|---|---|---|'
  ]
  for (const scenario of scenarios) {
    for (const client of ['baseline', 'action']) {
      const samples = results.filter((r) => r.scenario === scenario && r.client === client).map((r) => r.sample)
      const name = client === 'baseline' ? 'tutorial loop (3 s)' : 'this action'
      lines.push(
        `| ${scenario.label} | ${name} | ${samples.length} | ${fmt(median(samples.map((s) => s.latencyMs)))} ms (${fmt(max(samples.map((s) => s.latencyMs)))} ms) | ` +
          `${fmt(median(samples.map((s) => s.apiRequests)))} | ${fmt(median(samples.map((s) => s.wallMs)) / 1000, 1)} s | ${fmt(max(samples.map((s) => s.peakRssMb)))} MB |`
      )
    }
  }
  return lines
}

/** The URL appears this long after progress reaches 100, as the tutorials' polling past 100 allows for. */
const URL_LAG_MS = 1500

interface LagSample {
  latencyMs: number
  /** From the moment the download URL existed to the client's request for the video. */
  afterUrlMs: number
  /** The shortest gap between two of the client's progress calls. */
  minGapMs: number
}

/** One run with a lagging URL: this action, or a tutorial loop polling every `pollMs`. */
async function lagRun(client: 'action' | number, renderMs: number): Promise<LagSample> {
  const sim = await startSimulator({ renderMs, urlLagMs: URL_LAG_MS })
  let videoPath: string
  if (client === 'action') {
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false' },
      timeoutMs: renderMs + 180_000
    })
    if (run.code !== 0) throw new Error(`the action exited ${run.code}: ${run.stdout}`)
    videoPath = run.outputs['video-path']
  } else {
    const out = makeWorkspace()
    const { stdout } = await promisify(execFile)(process.execPath, [BASELINE, sim.apiUrl, sim.mintToken(), SAMPLE_PROJECT_ID, out, String(client)])
    videoPath = stdout.trim()
  }
  await sim.close()
  const urlAt = sim.exports[0].finishesAt + URL_LAG_MS
  const firstCdn = sim.requests.find((request) => request.origin === 'cdn')?.at ?? NaN
  const polls = sim.requests.filter((request) => request.path.includes('/editor/progress/')).map((request) => request.at)
  const gaps = polls.slice(1).map((at, i) => at - polls[i])
  return { latencyMs: fs.statSync(videoPath).mtimeMs - sim.exports[0].finishesAt, afterUrlMs: firstCdn - urlAt, minGapMs: min(gaps) }
}

async function urlLag(): Promise<string[]> {
  const runs = quick ? 2 : 5
  const clients: Array<{ name: string; client: 'action' | number }> = [
    { name: 'this action', client: 'action' },
    { name: 'tutorial loop (3 s)', client: 3000 },
    { name: 'docs 1.6 tutorial loop (60 s)', client: 60_000 }
  ]
  // All at once, each on its own simulator; renders of 20 s ± 10%, the same for the clients of a run.
  const jobs = Array.from({ length: runs }, () => Math.round(20_000 * (0.9 + 0.2 * Math.random()))).flatMap((renderMs) =>
    clients.map(async ({ name, client }) => ({ name, sample: await lagRun(client, renderMs) }))
  )
  const results = await Promise.all(jobs)
  const lines = [
    `| URL ${URL_LAG_MS / 1000} s after 100%, 20 s renders (${runs} runs) | finish → file, median (worst) | URL existed → fetched, median (worst) | closest progress calls |`,
    '|---|---|---|---|'
  ]
  for (const { name } of clients) {
    const samples = results.filter((result) => result.name === name).map((result) => result.sample)
    const cell = (values: number[]): string => `${fmt(median(values))} ms (${fmt(max(values))} ms)`
    lines.push(
      `| ${name} | ${cell(samples.map((s) => s.latencyMs))} | ${cell(samples.map((s) => s.afterUrlMs))} | ${fmt(min(samples.map((s) => s.minGapMs)))} ms |`
    )
  }
  return lines
}

async function downloadThroughput(): Promise<string[]> {
  const size = quick ? 256 * MiB : GiB
  const RUNS = 8
  // The server, this action's downloader and curl each in a process of their own.
  const server = spawn(process.execPath, ['--import', 'tsx', SIMULATOR_CLI], {
    env: { ...process.env, SIM_RENDER_MS: '0', SIM_VIDEO_SIZE: String(size) },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const { apiUrl, token } = JSON.parse(
    await new Promise<string>((resolve) => server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())))
  ) as { apiUrl: string; token: string }
  const url = await instantVideoUrl({ apiUrl, mintToken: () => token })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dl-'))
  const ours: number[] = []
  const curl: number[] = []
  const run = promisify(execFile)
  const oursOnce = async (): Promise<void> => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', DOWNLOAD_ONCE, url, dir])
    ours.push(size / MiB / (Number(stdout.trim()) / 1000))
  }
  const curlOnce = async (): Promise<void> => {
    const started = Date.now()
    await run('curl', ['-s', '-o', path.join(dir, 'curl.mp4'), url])
    curl.push(size / MiB / ((Date.now() - started) / 1000))
    fs.rmSync(path.join(dir, 'curl.mp4'))
  }
  // In pairs of alternating order (ours, curl, curl, ours, ...): on this VM a run measured slower
  // right after the other client's, so each client follows each other client equally often.
  for (let i = 0; i < RUNS; i++) {
    for (const once of i % 2 === 0 ? [oursOnce, curlOnce] : [curlOnce, oursOnce]) await once()
  }
  server.kill()
  fs.rmSync(dir, { recursive: true, force: true })
  return [
    `| download of ${size / MiB} MiB (${RUNS} runs each, in pairs of alternating order) | this action's downloader | curl | ratio |`,
    '|---|---|---|---|',
    `| throughput, median | ${fmt(median(ours))} MiB/s | ${fmt(median(curl))} MiB/s | ${fmt(median(ours) / median(curl), 2)}x |`,
    `| throughput, slowest–fastest | ${fmt(min(ours))}–${fmt(max(ours))} MiB/s | ${fmt(min(curl))}–${fmt(max(curl))} MiB/s | |`
  ]
}

async function uploadThroughput(): Promise<string[]> {
  const size = 256 * MiB
  const service = await startArtifactService()
  Object.assign(process.env, service.env, { GITHUB_WORKSPACE: os.tmpdir() })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-up-'))
  const file = path.join(dir, 'video.mp4')
  const block = createHash('sha512').update('x').digest()
  const fd = fs.openSync(file, 'w')
  for (let written = 0; written < size; written += MiB) fs.writeSync(fd, Buffer.alloc(MiB, block))
  fs.closeSync(fd)
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const client = new DefaultArtifactClient()
  const rates: number[] = []
  for (let i = 0; i < 3; i++) {
    // With skipArchive the artifact takes the file's name, which must be new each time.
    const named = path.join(dir, `video-${i}.mp4`)
    fs.linkSync(file, named)
    const started = Date.now()
    await client.uploadArtifact(`video-${i}.mp4`, [named], dir, { skipArchive: true })
    rates.push(size / MiB / ((Date.now() - started) / 1000))
    service.artifacts.forEach((artifact) => (artifact.bytes = Buffer.alloc(0)))
  }
  await service.close()
  fs.rmSync(dir, { recursive: true, force: true })
  return [
    '| artifact upload of 256 MiB (3 runs, median) | @actions/artifact → stand-in |',
    '|---|---|',
    `| throughput | ${fmt(median(rates))} MiB/s |`
  ]
}

/** Milliseconds from spawning `start()`'s process to the simulator's first request from it. */
async function firstRequestMs(sim: Simulator, start: (onStart: () => void) => Promise<unknown>): Promise<number> {
  const before = sim.requests.length
  let spawnedAt = 0
  await start(() => (spawnedAt = Date.now()))
  return sim.requests[before].at - spawnedAt
}

const CLI_ENTRY = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))

/** The CLI's dry run, as a person runs it. */
function runCli(apiUrl: string, token: string, onStart: () => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_ENTRY, '--api-url', apiUrl, '--project-id', SAMPLE_PROJECT_ID, '--dry-run'], {
      cwd: makeWorkspace(),
      env: { PATH: process.env.PATH, NO_PROXY: '127.0.0.1', AISTUDIOS_API_KEY: token },
      stdio: 'ignore'
    })
    onStart()
    child.on('close', () => resolve())
  })
}

const chunksOf = (dir: string): number =>
  fs.readdirSync(dir).reduce((sum, name) => (name.endsWith('.js') ? sum + fs.statSync(path.join(dir, name)).size : sum), 0)

/**
 * Cold start of each entry point, alternating runs; with `--before OTHER/dist/index.js`, that build's
 * action too (its dist/cli beside it), in the same rounds.
 */
async function coldStart(): Promise<string[]> {
  const RUNS = 15
  const sim = await startSimulator({ renderMs: 600_000 })
  const before = process.argv.includes('--before') ? path.resolve(process.argv[process.argv.indexOf('--before') + 1]) : undefined
  const inputs = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'dry-run': 'true' }
  const entries: Array<{ name: string; entry: string; cli?: boolean }> = [
    { name: 'this action', entry: ACTION_ENTRY },
    { name: 'this CLI', entry: CLI_ENTRY, cli: true },
    ...(before ? [{ name: `before (${path.relative(process.cwd(), before)})`, entry: before }] : [])
  ]
  const samples = new Map(entries.map(({ name }) => [name, [] as number[]]))
  for (let i = 0; i < RUNS; i++) {
    for (const { name, entry, cli } of i % 2 ? [...entries].reverse() : entries) {
      const ms = await firstRequestMs(sim, (onStart) =>
        cli ? runCli(sim.apiUrl, inputs['api-key'], onStart) : runAction({ inputs, entry, onStart })
      )
      samples.get(name)?.push(ms)
    }
  }
  await sim.close()
  const floor = await startFloor(RUNS)
  return [
    `| cold start: process start → first request (${RUNS} runs each, alternating) | median | worst | entry file | every chunk of its folder |`,
    '|---|---|---|---|---|',
    ...entries.map(({ name, entry }) => {
      const values = samples.get(name) ?? []
      return `| ${name} | ${fmt(median(values))} ms | ${fmt(max(values))} ms | ${fmt(fs.statSync(entry).size / 1024)} KiB | ${fmt(chunksOf(path.dirname(entry)) / 1024)} KiB |`
    }),
    '',
    ...floor
  ]
}

/**
 * What the start is made of: Node alone, then each chosen package alone, bundled by ncc as dist/ is
 * (imported, nothing done), as process start → exit. Their sum is about the least an entry point that
 * loads them can take on this machine.
 */
async function startFloor(runs: number): Promise<string[]> {
  const parts: Array<[string, string]> = [
    ['Node alone (an empty module)', ''],
    ['@actions/core (its OIDC client loads undici whole)', '@actions/core'],
    ['undici', 'undici'],
    ['zod', 'zod'],
    ['yaml', 'yaml']
  ]
  // Inside node_modules, so that ncc resolves the packages from the entry's folder.
  const dir = fs.mkdtempSync(path.join(fileURLToPath(new URL('../node_modules/', import.meta.url)), '.floor-'))
  // @ts-expect-error ncc ships no types; its API is one function.
  const { default: ncc } = (await import('@vercel/ncc')) as { default: (entry: string, options: object) => Promise<{ code: string }> }
  const bundles = new Map<string, string>()
  for (const [name, pkg] of parts) {
    const entry = path.join(dir, `${bundles.size}.mjs`)
    fs.writeFileSync(entry, pkg ? `import * as loaded from '${pkg}'\nglobalThis.loaded = loaded\n` : '')
    const bundle = path.join(dir, `${bundles.size}.bundle.mjs`)
    fs.writeFileSync(bundle, (await ncc(entry, { quiet: true })).code)
    bundles.set(name, bundle)
  }
  const samples = new Map(parts.map(([name]) => [name, [] as number[]]))
  for (let i = 0; i < runs; i++) {
    for (const [name] of i % 2 ? [...parts].reverse() : parts) {
      const startedAt = performance.now()
      await promisify(execFile)(process.execPath, [bundles.get(name) as string])
      samples.get(name)?.push(performance.now() - startedAt)
    }
  }
  fs.rmSync(dir, { recursive: true, force: true })
  const node = median(samples.get(parts[0][0]) ?? [])
  return [
    `| what a start is made of: each part alone, bundled by ncc, process start → exit (${runs} runs each, alternating) | median | above Node alone |`,
    '|---|---|---|',
    ...parts.map(([name]) => {
      const value = median(samples.get(name) ?? [])
      return `| ${name} | ${fmt(value)} ms | ${name === parts[0][0] ? '' : `+${fmt(value - node)} ms`} |`
    })
  ]
}

/** Time to fail against an api-url that cannot be reached: a closed port, a name that does not resolve. */
async function unreachable(): Promise<string[]> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const closed = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  await new Promise((resolve) => server.close(resolve))
  const rows: string[] = []
  for (const [what, url] of [
    ['a closed port (connection refused)', closed],
    ['a host name that does not resolve', 'https://api.aistudios-bench.invalid']
  ]) {
    const samples: number[] = []
    for (let i = 0; i < 3; i++) {
      const started = Date.now()
      await runAction({ inputs: { 'api-key': 'bench-key', 'api-url': url, 'project-id': SAMPLE_PROJECT_ID } })
      samples.push(Date.now() - started)
    }
    rows.push(`| ${what} | ${fmt(median(samples))} ms | ${fmt(max(samples))} ms |`)
  }
  return ['| api-url unreachable: process start → failed (3 runs) | median | worst |', '|---|---|---|', ...rows]
}

const report = [
  `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${fmt(os.totalmem() / GiB)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
]
const sections = {
  'cold-start': coldStart,
  download: downloadThroughput,
  upload: uploadThroughput,
  renders,
  'url-lag': urlLag,
  unreachable,
  'poll-budget': () => pollBudget(quick),
  'batch-cost': () => batchCost(quick),
  'saved-export': () => savedExport(quick)
}
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
for (const [name, section] of Object.entries(sections)) if (!only || only === name) report.push((await section()).join('\n'))
// At the end, after the artifact client's own log lines.
console.log(`\n${report.join('\n\n')}`)
