/**
 * The harness is the runner: a run gets every input action.yml declares with a default, as the runner
 * sets it (`${{ github.token }}` evaluated), whether the step gives it or not; and the action, so run,
 * accepts each of its own defaults in every mode.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { ACTION_DEFAULTS, asGiven } from '../src/job/action-defaults.ts'
import { HARNESS_GITHUB_TOKEN, inputVariable, makeWorkspace, runAction, tempDir } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

const ACTION = parse(fs.readFileSync(fileURLToPath(new URL('../action.yml', import.meta.url)), 'utf8')) as {
  inputs: Record<string, { default?: string }>
}

/** An entry point that prints the environment it was started with, in place of the action. */
function environmentProbe(): string {
  const file = path.join(tempDir('aistudios-probe-'), 'probe.mjs')
  fs.writeFileSync(file, 'process.stdout.write(JSON.stringify(process.env))\n')
  return file
}

describe('the harness sets inputs as the runner does', () => {
  it('gives every default action.yml declares, expressions evaluated, and nothing for an input without one', async () => {
    const run = await runAction({ inputs: { 'project-id': 'given' }, entry: environmentProbe() })
    const env = JSON.parse(run.stdout) as Record<string, string>
    const declaredWithDefault = Object.entries(ACTION.inputs).filter(([, input]) => input.default !== undefined)
    assert.ok(declaredWithDefault.length >= 20, 'action.yml declares defaults')
    for (const [name, input] of declaredWithDefault) {
      const expected = input.default === '${{ github.token }}' ? HARNESS_GITHUB_TOKEN : String(input.default)
      assert.equal(env[inputVariable(name)], expected, name)
    }
    assert.equal(env['INPUT_PROJECT-ID'], 'given')
    for (const [name, input] of Object.entries(ACTION.inputs)) {
      if (input.default === undefined && name !== 'project-id') assert.equal(env[inputVariable(name)], undefined, name)
    }
  })

  it('names variables as the runner does: upper case, spaces as underscores, hyphens kept', () => {
    assert.equal(inputVariable('resume-mismatch'), 'INPUT_RESUME-MISMATCH')
    assert.equal(inputVariable('a b'), 'INPUT_A_B')
  })

  it('lets no test set an input around it, nor give one action.yml does not declare', async () => {
    await assert.rejects(runAction({ inputs: {}, env: { 'INPUT_RESUME-MISMATCH': 'accept' } }), /give inputs through 'inputs'/)
    await assert.rejects(runAction({ inputs: { 'no-such-input': 'x' } }), /'no-such-input' is not an input of action\.yml/)
  })
})

describe("the action's own defaults", () => {
  it('are the ones action.yml declares (the action reads a default as not given)', () => {
    const declared = Object.fromEntries(
      Object.entries(ACTION.inputs)
        .filter(([, input]) => input.default !== undefined && !String(input.default).includes('${{'))
        .map(([name, input]) => [name, String(input.default)])
    )
    assert.deepEqual(ACTION_DEFAULTS, declared)
  })

  it('reads a default, in any case, as not given, and anything else as written', () => {
    const get = asGiven((name) => ({ 'resume-mismatch': 'Refuse', timeout: '30', wait: 'false', script: 'refuse' })[name] ?? '')
    assert.equal(get('resume-mismatch'), '')
    assert.equal(get('timeout'), '')
    assert.equal(get('wait'), 'false')
    assert.equal(get('script'), 'refuse')
  })

  it('folds case only where the parser does: a keyword, never a folder or a URL', () => {
    const given: Record<string, string> = { wait: 'TRUE', 'output-dir': 'Videos', 'api-url': 'https://APP.aistudios.com', 'poll-interval': 'Auto' }
    const get = asGiven((name) => given[name] ?? '')
    assert.equal(get('wait'), '')
    assert.equal(get('poll-interval'), '')
    assert.equal(get('output-dir'), 'Videos')
    assert.equal(get('api-url'), 'https://APP.aistudios.com')
  })
})

describe('every mode runs with nothing but its own inputs and the defaults', () => {
  let sim: Simulator
  let artifacts: ArtifactService
  const app = { id: 'harness-app', userKey: 'harness-user-key' }
  before(async () => {
    sim = await startSimulator({ renderMs: 200, apps: { [app.id]: app.userKey } })
    artifacts = await startArtifactService()
  })
  after(async () => {
    await sim.close()
    await artifacts.close()
  })
  const credentials = (): Record<string, string> => ({ 'app-id': app.id, 'user-key': app.userKey, 'api-url': sim.apiUrl })
  const manifest = `videos:\n  - name: one\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: two\n    project-id: ${SAMPLE_PROJECT_ID}\n`

  it('a single video, a dry run and a resume each succeed', async () => {
    const exportsBefore = sim.exports.length
    const single = await runAction({ inputs: { ...credentials(), 'project-id': SAMPLE_PROJECT_ID, script: 'Hello.' }, env: artifacts.env })
    assert.equal(single.code, 0, single.stdout)
    assert.equal(sim.exports.length, exportsBefore + 1)
    const key = sim.exports.at(-1)?.key ?? ''
    assert.equal(single.outputs['export-key'], key)
    const dry = await runAction({ inputs: { ...credentials(), 'project-id': SAMPLE_PROJECT_ID, 'dry-run': 'true' } })
    assert.equal(dry.code, 0, dry.stdout)
    const resumed = await runAction({ inputs: { ...credentials(), resume: key }, env: artifacts.envForRun(2) })
    assert.equal(resumed.code, 0, resumed.stdout)
    assert.equal(sim.exports.length, exportsBefore + 1, 'neither the dry run nor the resume exported')
  })

  it('a manifest, its plan and a matrix job each succeed', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifest })
    const exportsBefore = sim.exports.length
    const plan = await runAction({ workspace, inputs: { ...credentials(), manifest: 'videos.yml', plan: 'true' } })
    assert.equal(plan.code, 0, plan.stdout)
    assert.equal(plan.outputs.count, '2')
    const all = await runAction({ workspace, inputs: { ...credentials(), manifest: 'videos.yml' }, env: artifacts.env })
    assert.equal(all.code, 0, all.stdout)
    assert.equal(sim.exports.length, exportsBefore + 2)
  })
})
