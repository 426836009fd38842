/**
 * A saved project exported as it is (`POST /editor/project/export`, the step changes nothing in it)
 * beside the re-create path (the step gives speech: the project is read and created anew with it).
 * Each run is dist/index.js as the runner runs it, against the simulator on loopback: API calls by kind, process
 * start → export request sent (all that stands before paying), and wall time.
 */
import { makeWorkspace, runAction } from '../test/helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from '../test/simulator/server.ts'

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const fmt = (value: number, digits = 0): string => value.toFixed(digits)

const CREATE = '/api/odin/v3/editor/project'
const EXPORT = '/api/odin/v3/editor/project/export'

interface Sample {
  calls: Record<string, number>
  toExportMs: number
  wallMs: number
}

/** The API calls a run made, by kind; the first paid call's arrival after the process started. */
function sampleOf(sim: Simulator, from: number, startedAt: number): Sample {
  const requests = sim.requests.slice(from).filter((r) => r.origin === 'api')
  const kind = (method: string, path: string): string => {
    if (method === 'POST' && path === EXPORT) return 'export as is'
    if (method === 'POST' && path === CREATE) return 'create (and export)'
    if (method === 'GET' && path.endsWith(`/editor/project/${SAMPLE_PROJECT_ID}`)) return 'read saved project'
    if (method === 'GET' && /\/editor\/project\/[^/]+$/.test(path)) return "read export's record"
    if (path.includes('/editor/progress/')) return 'progress'
    return 'other'
  }
  const calls: Record<string, number> = {}
  for (const r of requests) calls[kind(r.method, r.path)] = (calls[kind(r.method, r.path)] ?? 0) + 1
  const paid = requests.find((r) => r.method === 'POST' && (r.path === EXPORT || r.path === CREATE))
  return { calls, toExportMs: paid ? paid.at - startedAt : NaN, wallMs: Date.now() - startedAt }
}

async function once(sim: Simulator, inputs: Record<string, string>): Promise<Sample> {
  const from = sim.requests.length
  const startedAt = Date.now()
  const run = await runAction({
    workspace: makeWorkspace({}),
    inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false', ...inputs }
  })
  if (run.code !== 0) throw new Error(`the action exited ${run.code}: ${run.stdout}`)
  return sampleOf(sim, from, startedAt)
}

export async function savedExport(quick: boolean): Promise<string[]> {
  const runs = quick ? 3 : 9
  const sim = await startSimulator({ renderMs: 2000 })
  const paths: Array<[string, Record<string, string>]> = [
    ['exported as it is (nothing changed)', {}],
    ['re-created with new speech (`script`)', { script: 'New speech for the saved project.' }]
  ]
  const samples = new Map(paths.map(([label]) => [label, [] as Sample[]]))
  // Alternating, so that neither path always runs on a warmer machine.
  for (let i = 0; i < runs; i++) {
    for (const [label, inputs] of i % 2 ? [...paths].reverse() : paths) samples.get(label)?.push(await once(sim, inputs))
  }
  await sim.close()
  const kinds = ['read saved project', 'create (and export)', 'export as is', 'progress', "read export's record", 'other']
  return [
    `| saved project, render 2 s (${runs} runs each, alternating) | ${kinds.map((k) => `${k}, median`).join(' | ')} | start → paid call sent, median | wall time, median |`,
    `|---|${kinds.map(() => '---|').join('')}---|---|`,
    ...paths.map(([label]) => {
      const all = samples.get(label) ?? []
      const calls = kinds.map((k) => fmt(median(all.map((s) => s.calls[k] ?? 0))))
      return `| ${label} | ${calls.join(' | ')} | ${fmt(median(all.map((s) => s.toExportMs)))} ms | ${fmt(median(all.map((s) => s.wallMs)) / 1000, 1)} s |`
    })
  ]
}
