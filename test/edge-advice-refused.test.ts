/**
 * The "how to deliver it" advice, followed as written (resume added, what it names dropped), works: found
 * by an attack, when the advice named one change where two were needed.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

describe('"re-run this step with the input resume: KEY" is refused for a step with resolution', () => {
  // PROVES: a single video with `resolution: 480` (a cheaper preview) whose release asset was refused is told
  // "re-run this step with the input resume: KEY". Done so, the step is refused before anything happens:
  // "'resume' downloads an export already made, so 'resolution' would change nothing ... drop it". The advice
  // names one change where two are needed.
  it('following the advice delivers the video', async () => {
    world.github.releases.push({ id: 951, tag: 'v95', assets: [], readOnly: true })
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      resolution: '480',
      'release-upload': 'true',
      'release-tag': 'v95',
      'github-token': GITHUB_TOKEN
    }
    const first = await runAction({ inputs, env: { ...world.artifacts.envForRun(9501), ...eventEnv('push', {}, world.github.url) } })
    assert.equal(first.code, 1, first.stdout)
    const key = first.outputs['export-key']
    assert.match(
      first.stdout,
      new RegExp(`::error::Export ${key} finished rendering .* re-run this step with the input resume: ${key} \\(drop [^)]*'resolution'[^)]*\\);`)
    )
    world.github.releases.find((r) => r.id === 951)!.readOnly = false
    // As written: resume added, what the advice names dropped.
    const kept: Record<string, string> = { ...inputs }
    delete kept.resolution
    const again = await runAction({
      inputs: { ...kept, resume: key },
      env: { ...world.artifacts.envForRun(9502), ...eventEnv('push', {}, world.github.url) }
    })
    assert.doesNotMatch(again.stdout, /so 'resolution' would change nothing/, 'observed: the advice, followed, is refused')
    assert.equal(again.code, 0, again.stdout)
  })
})

describe('wait: false tells to "re-run this step with the input resume: KEY", which that step refuses', () => {
  // PROVES: a `wait: false` step prints "To download it without exporting again, re-run this step with the input
  // resume: KEY". This step, re-run with resume added, is refused: "'wait: false' with 'resume' would neither export
  // nor download; drop one of them".
  it('following the hint downloads the export', async () => {
    const inputs = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, wait: 'false' }
    const first = await runAction({ inputs, env: world.artifacts.envForRun(9521) })
    assert.equal(first.code, 0, first.stdout)
    const key = first.outputs['export-key']
    assert.match(first.stdout, new RegExp(`re-run this step with the input resume: ${key} \\(drop 'wait: false'[^)]*\\)\\.`))
    const kept: Record<string, string> = { ...inputs }
    delete kept.wait
    const again = await runAction({ inputs: { ...kept, resume: key }, env: world.artifacts.envForRun(9522) })
    assert.doesNotMatch(again.stdout, /'wait: false' with 'resume'/, 'observed: the hint, followed, is refused')
    assert.equal(again.code, 0, again.stdout)
  })
})
