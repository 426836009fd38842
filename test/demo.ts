/**
 * The demo: the bundled action (dist/index.js) run as the Actions runner runs it, against the API
 * simulator and the artifact stand-in on loopback. No account, no network. Leaves the video in .demo/.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from './helpers/run-action.ts'
import { CURVES, SAMPLE_PROJECT_ID, startSimulator } from './simulator/server.ts'
import { startArtifactService } from './stand-ins/artifact-service.ts'

const workspace = fileURLToPath(new URL('../.demo/', import.meta.url))
fs.rmSync(workspace, { recursive: true, force: true })
fs.mkdirSync(workspace, { recursive: true })

/** The demo account's app ID and user key: the action exchanges them for a 24-hour token, as with a real account. */
const DEMO_APP = { id: 'demo-app', userKey: 'demo-user-key' }
const sim = await startSimulator({ renderMs: 6000, curve: CURVES.steps, urlLagPolls: 1, withState: true, apps: { [DEMO_APP.id]: DEMO_APP.userKey } })
const artifacts = await startArtifactService()
console.log(`AI Studios simulator on ${sim.apiUrl} (CDN ${sim.cdnUrl}); artifact service stand-in on ${artifacts.url}\n`)

const run = await runAction({
  workspace,
  inputs: {
    'app-id': DEMO_APP.id,
    'user-key': DEMO_APP.userKey,
    'api-url': sim.apiUrl,
    'project-id': SAMPLE_PROJECT_ID,
    script: 'Hello! This video was rendered by the AI Studios action, running against its simulator.'
  },
  env: artifacts.env
})
/**
 * As a runner shows it: debug lines and masks consumed, a group as its heading, and the artifact
 * client's own lines (folded under their group on a runner) left folded.
 */
function asRunnerShows(log: string): string {
  let folded = false
  const shown: string[] = []
  for (const line of log.split('\n')) {
    if (/^::(debug|add-mask)::/.test(line)) continue
    const group = /^::group::(.*)$/.exec(line)
    if (group) {
      folded = /^(Artifact upload|Export ledger)/.test(group[1])
      shown.push(`▸ ${group[1]}${folded ? ' (folded)' : ''}`)
    } else if (line === '::endgroup::') {
      folded = false
    } else if (!folded) {
      shown.push(line)
    }
  }
  return shown.join('\n')
}
process.stdout.write(asRunnerShows(run.stdout))
process.stderr.write(run.stderr)
await sim.close()
await artifacts.close()

if (run.code !== 0) {
  console.error(`\nThe action failed (exit ${run.code}).`)
  process.exit(1)
}
const video = run.outputs['video-path']
console.log(`\nOutputs: ${JSON.stringify(run.outputs, null, 2)}`)
const stored = artifacts.artifacts.find((artifact) => artifact.name.endsWith('.mp4'))
console.log(`\nExports sent: ${sim.exports.length}; video artifact stored: ${stored?.name} (${stored?.bytes.length} bytes)`)
console.log(`\nThe video is at ${path.relative(process.cwd(), video)}: open it in any player.`)
