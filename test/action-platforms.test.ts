/**
 * Every runner a user may pick: file names Windows cannot keep are refused before anything is sent
 * (through dist/index.js), and a run is cancelled by the signals Windows has (SIGINT, SIGBREAK) as well
 * as SIGTERM.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

describe('file names on every runner', () => {
  for (const name of ['CON', 'COM0', 'lpt0.mp4', 'CONIN$', 'CONOUT$', 'nul .mp4']) {
    it(`refuses the output-name ${JSON.stringify(name)}, which Windows reserves, before anything is sent`, () =>
      withSimulator({}, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'output-name': name }
        })
        assert.equal(run.code, 1, run.stdout)
        assert.ok(run.stdout.includes(`::error::Input 'output-name': '${name}' is a device name on Windows`), run.stdout)
        assert.equal(sim.requests.length, 0)
        assert.equal(sim.exports.length, 0)
      }))
  }

  it('refuses a manifest entry whose name would be a Windows device file (nul.mp4)', () =>
    withSimulator({}, async (sim) => {
      const workspace = makeWorkspace({ 'm.yml': `- name: nul\n  project-id: ${SAMPLE_PROJECT_ID}\n` })
      const run = await runAction({ workspace, inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml' } })
      assert.equal(run.code, 1, run.stdout)
      assert.match(
        run.stdout,
        /::error file=m\.yml,line=1,col=3::.*each video needs a "name" .*nor a Windows device name such as CON, and not ending with a dot \(got "nul"\)/
      )
      assert.equal(sim.requests.length, 0)
    }))
})

describe('cancellation where SIGTERM does not exist', () => {
  const cancel = fileURLToPath(new URL('../src/cancel.ts', import.meta.url))
  for (const signal of ['SIGINT', 'SIGBREAK', 'SIGTERM']) {
    it(`${signal} cancels the run`, async () => {
      // In a child: the signal is delivered as Windows delivers it, to the listeners the run installs.
      const script = `import { cancelOnSignals } from ${JSON.stringify(cancel)}
const { signal, dispose } = cancelOnSignals()
process.emit(${JSON.stringify(signal)}, ${JSON.stringify(signal)})
console.log(signal.aborted ? signal.reason.message : 'not cancelled')
dispose()`
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('..', import.meta.url))
      })
      assert.equal(stdout.trim(), `The run was cancelled (${signal})`)
    })
  }
})
