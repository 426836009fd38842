/**
 * A 600-video batch through the matrix as GitHub would run it, on this machine: plan (3 shards), the
 * three render jobs at once, then collect, each as dist/index.js against the simulator and the
 * artifact-service stand-in. Prints the wall time and peak RSS of each step as a Markdown table.
 *
 *   npm run build && node --import tsx bench/matrix.ts [videos] [jobs]
 */
import { makeWorkspace, runAction, type ActionRun } from '../test/helpers/run-action.ts'
import { watchPeakRss } from '../test/helpers/rss.ts'
import { SAMPLE_PROJECT_ID, startSimulator } from '../test/simulator/server.ts'
import { startArtifactService } from '../test/stand-ins/artifact-service.ts'

const videos = Number(process.argv[2] ?? 600)
const jobs = Number(process.argv[3] ?? 3)
const sim = await startSimulator({ renderMs: 200 })
const artifacts = await startArtifactService()
const names = Array.from({ length: videos }, (_, index) => `clip-${index + 1}`)
const workspace = makeWorkspace({
  'videos.yml': `videos:\n${names.map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n`).join('')}`
})
const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml' }

interface Step {
  name: string
  wallMs: number
  peakRssMb: number
  run: ActionRun
}

async function step(name: string, inputs: Record<string, string>, job: string): Promise<Step> {
  let peak = { kb: 0 }
  const started = Date.now()
  const run = await runAction({ workspace, inputs, env: artifacts.envFor(job), timeoutMs: 900_000, onStart: (child) => (peak = watchPeakRss(child)) })
  if (run.code !== 0) throw new Error(`${name} failed:\n${run.stdout.slice(-3000)}`)
  return { name, wallMs: Date.now() - started, peakRssMb: peak.kb / 1024, run }
}

const plan = await step('plan', { ...base, plan: 'true', 'max-jobs': String(jobs) }, 'plan')
const { include } = JSON.parse(plan.run.outputs.matrix) as { include: Array<{ shard: string; video: string }> }
const renderStart = Date.now()
const renders = await Promise.all(
  include.map((entry) =>
    step(
      `render ${entry.shard} (${entry.video.split(',').length} videos)`,
      { ...base, 'manifest-entry': entry.video, 'max-parallel': '20' },
      `render-${entry.shard.replace('/', '-')}`
    )
  )
)
const renderWall = Date.now() - renderStart
const collect = await step('collect', { manifest: 'videos.yml', collect: 'true' }, 'collect')
const delivered = (JSON.parse(collect.run.outputs.videos) as Array<{ status: string }>).filter((v) => v.status === 'downloaded').length

console.log(`| step (${videos} videos, ${include.length} shards) | wall | peak RSS |`)
console.log('|---|---|---|')
for (const s of [plan, ...renders, collect]) console.log(`| ${s.name} | ${(s.wallMs / 1000).toFixed(1)} s | ${s.peakRssMb.toFixed(0)} MiB |`)
console.log(`| the three render jobs at once | ${(renderWall / 1000).toFixed(1)} s | |`)
console.log(`\ncollect: ${delivered} of ${videos} delivered; ${sim.exports.length} exports; ${artifacts.artifacts.length} artifacts`)
await sim.close()
await artifacts.close()
