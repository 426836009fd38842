/**
 * Batches: one poll budget for twenty videos at once against twenty independent tutorial loops, and
 * how the cost of a job (wall time, API calls, memory) grows from 10 to 100 to 500 videos.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeWorkspace, runAction } from '../test/helpers/run-action.ts'
import { watchPeakRss } from '../test/helpers/rss.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from '../test/simulator/server.ts'

const BASELINE = fileURLToPath(new URL('./baseline.mjs', import.meta.url))

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const fmt = (value: number, digits = 0): string => value.toFixed(digits)

const manifest = (count: number): string =>
  `videos:\n${Array.from({ length: count }, (_, i) => `  - name: v${i}\n    project-id: ${SAMPLE_PROJECT_ID}\n`).join('')}`

/** Gives each export its own render time, `nominalMs` ± 10%, as real renders vary. */
function varyRenders(sim: Simulator, nominalMs: number): () => void {
  const pick = (): number => Math.round(nominalMs * (0.9 + 0.2 * Math.random()))
  sim.options.renderMs = pick()
  let seen = 0
  const timer = setInterval(() => {
    if (sim.exports.length !== seen) {
      seen = sim.exports.length
      sim.options.renderMs = pick()
    }
  }, 2)
  return () => clearInterval(timer)
}

/**
 * The most progress calls the simulator saw in any `seconds`, per second. Over one second this counts
 * the calls as they arrived, which the client's event loop and the network jitter by some milliseconds.
 */
function peakPerSecond(sim: Simulator, seconds: number): number {
  const polls = sim.requests.filter((r) => r.path.includes('/editor/progress/')).map((r) => r.at)
  return Math.max(...polls.map((at) => polls.filter((other) => other >= at && other < at + seconds * 1000).length)) / seconds
}

interface BatchSample {
  finishToFileMs: number[]
  progressCalls: number
  apiCalls: number
  peakPerSecond: number
  peakPer10s: number
  wallMs: number
}

const finishToFile = (sim: Simulator, key: string, file: string): number =>
  fs.statSync(file).mtimeMs - (sim.exports.find((e) => e.key === key)?.finishesAt ?? NaN)

const sampleOf = (sim: Simulator, pairs: Array<[string, string]>, startedAt: number): BatchSample => ({
  finishToFileMs: pairs.map(([key, file]) => finishToFile(sim, key, file)),
  progressCalls: sim.requests.filter((r) => r.path.includes('/editor/progress/')).length,
  apiCalls: sim.requests.filter((r) => r.origin === 'api').length,
  peakPerSecond: peakPerSecond(sim, 1),
  peakPer10s: peakPerSecond(sim, 10),
  wallMs: Date.now() - startedAt
})

/** This action: one job of `count` videos at max-parallel 20. */
async function actionBatch(count: number, renderMs: number): Promise<BatchSample> {
  const sim = await startSimulator({ renderMs })
  const stop = varyRenders(sim, renderMs)
  const startedAt = Date.now()
  const run = await runAction({
    workspace: makeWorkspace({ 'videos.yml': manifest(count) }),
    inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'max-parallel': '20', 'upload-artifact': 'false' },
    timeoutMs: renderMs * 4 + 600_000
  })
  stop()
  await sim.close()
  if (run.code !== 0) throw new Error(`the action exited ${run.code}: ${run.stdout.slice(-2000)}`)
  const videos = JSON.parse(run.outputs.videos) as Array<{ 'export-key': string; path: string }>
  return sampleOf(
    sim,
    videos.map((video) => [video['export-key'], path.resolve(run.workspace, video.path)]),
    startedAt
  )
}

/** `count` tutorial loops (3 s), each a process of its own, started as the action starts its videos. */
async function baselineBatch(count: number, renderMs: number): Promise<BatchSample> {
  const sim = await startSimulator({ renderMs })
  const stop = varyRenders(sim, renderMs)
  const startedAt = Date.now()
  const runs: Array<Promise<[string, string]>> = []
  for (let i = 0; i < count; i++) {
    const before = sim.exports.length
    const out = makeWorkspace()
    const child = spawn(process.execPath, [BASELINE, sim.apiUrl, sim.mintToken(), SAMPLE_PROJECT_ID, out], { stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    // One at a time until its export exists, so the i-th loop owns the i-th export.
    let exited = false
    child.on('exit', () => (exited = true))
    while (sim.exports.length === before) {
      if (exited) throw new Error(`baseline ${i} ended before it exported`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const key = sim.exports[before].key
    runs.push(
      new Promise((resolve, reject) =>
        child.on('close', (code) => (code === 0 ? resolve([key, stdout.trim()]) : reject(new Error(`baseline exited ${code}`))))
      )
    )
  }
  const pairs = await Promise.all(runs)
  stop()
  await sim.close()
  return sampleOf(sim, pairs, startedAt)
}

/** Twenty videos at max-parallel 20: one budget against twenty independent 3 s loops. */
export async function pollBudget(quick: boolean): Promise<string[]> {
  const count = 20
  const renderMs = quick ? 10_000 : 20_000
  const runs = quick ? 1 : 3
  const lines = [
    `| ${count} videos at once, ${renderMs / 1000} s renders ± 10% (${runs} runs) | progress calls, median | API calls, median | progress calls in the busiest second (10 s, per second), worst | finish → file, median (worst of all videos) | wall, median |`,
    '|---|---|---|---|---|---|'
  ]
  for (const [name, batch] of [
    ['this action (one budget)', actionBatch],
    [`${count} tutorial loops (3 s)`, baselineBatch]
  ] as const) {
    const samples: BatchSample[] = []
    for (let i = 0; i < runs; i++) samples.push(await batch(count, renderMs))
    const all = samples.flatMap((s) => s.finishToFileMs)
    lines.push(
      `| ${name} | ${fmt(median(samples.map((s) => s.progressCalls)))} | ${fmt(median(samples.map((s) => s.apiCalls)))} | ` +
        `${Math.max(...samples.map((s) => s.peakPerSecond))} (${fmt(Math.max(...samples.map((s) => s.peakPer10s)), 1)}) | ${fmt(median(all))} ms (${fmt(Math.max(...all))} ms) | ${fmt(median(samples.map((s) => s.wallMs)) / 1000, 1)} s |`
    )
  }
  return lines
}

interface CostSample {
  wallMs: number
  apiCalls: number
  peakRssMb: number
}

/** One job of `count` videos: a plan, a dry run, or a render of short renders. */
async function costOf(kind: 'plan' | 'dry-run' | 'render', count: number): Promise<CostSample> {
  const sim = await startSimulator({ renderMs: 3000 })
  const stop = varyRenders(sim, 3000)
  const startedAt = Date.now()
  let peak = { kb: 0 }
  const run = await runAction({
    workspace: makeWorkspace({ 'videos.yml': manifest(count) }),
    inputs: {
      'api-key': sim.mintToken(),
      'api-url': sim.apiUrl,
      manifest: 'videos.yml',
      'max-parallel': '20',
      'upload-artifact': 'false',
      ...(kind === 'render' ? {} : { [kind]: 'true' })
    },
    onStart: (child) => (peak = watchPeakRss(child)),
    timeoutMs: 1_800_000
  })
  stop()
  await sim.close()
  if (run.code !== 0) throw new Error(`the action (${kind}, ${count}) exited ${run.code}: ${run.stdout.slice(-2000)}`)
  return { wallMs: Date.now() - startedAt, apiCalls: sim.requests.filter((r) => r.origin === 'api').length, peakRssMb: peak.kb / 1024 }
}

/** How a job's cost grows with its videos: plans and dry runs of 10, 100, 500; renders of 10 and 100. */
export async function batchCost(quick: boolean): Promise<string[]> {
  const lines = ['| job (max-parallel 20; renders of 3 s ± 10%) | videos | wall | API calls per video | peak RSS |', '|---|---|---|---|---|']
  const plan: Array<['plan' | 'dry-run' | 'render', number[]]> = [
    ['plan', quick ? [10, 100] : [10, 100, 500]],
    ['dry-run', quick ? [10, 100] : [10, 100, 500]],
    ['render', quick ? [10] : [10, 100]]
  ]
  for (const [kind, counts] of plan) {
    for (const count of counts) {
      const sample = await costOf(kind, count)
      lines.push(`| ${kind} | ${count} | ${fmt(sample.wallMs / 1000, 1)} s | ${fmt(sample.apiCalls / count, 2)} | ${fmt(sample.peakRssMb)} MB |`)
    }
  }
  return lines
}
