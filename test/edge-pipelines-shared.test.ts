/**
 * Attack (attack1): two pipelines of one manifest in one run whose render and collect jobs were not given the
 * plan's `pipeline` output (a hand-written workflow, or one written before the input existed). Both use the
 * manifest's own ID, so their records share a name: the second render job's upload is refused (409) and it
 * warns "the collect job will report this job's videos as not reported" — but its collect job reads the OTHER
 * pipeline's record and reports the failed video as delivered, green. Expected to FAIL while the bug is there.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 300 })

describe('two pipelines of one manifest without the pipeline input', () => {
  it("a collect job never reports another pipeline's delivered video as its own failed one", async () => {
    const runId = 9500
    const files = { 'videos.yml': `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n` }
    const base = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, manifest: 'videos.yml' }
    // Pipeline A (previews): renders and delivers a.
    const renderA = await runAction({
      workspace: makeWorkspace(files),
      inputs: { ...base, 'manifest-entry': 'a' },
      env: world.artifacts.envForRun(runId, 'render-a')
    })
    assert.equal(renderA.code, 0, renderA.stdout)
    // Pipeline B (releases): same manifest, a release it cannot write: a fails.
    world.github.releases.push({ id: 9501, tag: 'v9501', assets: [], readOnly: true })
    const releaseInputs = { 'release-upload': 'true', 'release-tag': 'v9501', 'github-token': GITHUB_TOKEN }
    const env = (job: string) => ({ ...world.artifacts.envForRun(runId, job), ...eventEnv('push', {}, world.github.url) })
    const renderB = await runAction({
      workspace: makeWorkspace(files),
      inputs: { ...base, ...releaseInputs, 'manifest-entry': 'a' },
      env: env('render-b')
    })
    assert.equal(renderB.code, 1, renderB.stdout)
    const collectB = await runAction({ workspace: makeWorkspace(files), inputs: { manifest: 'videos.yml', collect: 'true' }, env: env('collect-b') })
    assert.equal(
      collectB.code,
      1,
      `observed: pipeline B's collect is green on pipeline A's record.\nrender B: ${renderB.stdout
        .split('\n')
        .filter((l) => /record/.test(l))
        .join('\n')}\ncollect B: ${collectB.stdout}`
    )
  })
})
