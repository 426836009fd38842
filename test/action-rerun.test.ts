/** Never pay twice on a re-run: attempt 2 of a failed job re-attaches to the export of attempt 1. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { runAction, type ActionRun } from './helpers/run-action.ts'
import { CURVES, SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

describe('re-running a failed job', () => {
  let sim: Simulator
  let artifacts: ArtifactService
  let first: ActionRun
  let second: ActionRun
  let changed: ActionRun
  const inputs = (): Record<string, string> => ({
    'api-key': sim.mintToken(),
    'api-url': sim.apiUrl,
    'project-id': SAMPLE_PROJECT_ID,
    script: 'Same words'
  })

  before(async () => {
    sim = await startSimulator({ renderMs: 600_000 })
    artifacts = await startArtifactService()
    // Attempt 1 times out while the render is still going.
    first = await runAction({ inputs: { ...inputs(), timeout: '0.1' }, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
    sim.options.renderMs = 1000
    // Attempt 2 of the same job, same request.
    second = await runAction({ inputs: inputs(), env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
    // Attempt 3 with other words is another video: it is exported.
    changed = await runAction({
      inputs: { ...inputs(), script: 'Other words' },
      env: { ...artifacts.envFor('job-attempt-3'), GITHUB_RUN_ATTEMPT: '3' }
    })
  })
  after(async () => {
    await sim.close()
    await artifacts.close()
  })

  it('records the export in the ledger as soon as attempt 1 has it', () => {
    assert.equal(first.code, 1)
    const key = sim.exports[0].key
    assert.equal(first.outputs['project-id'], key)
    assert.ok(artifacts.artifacts.some((a) => a.job !== 'job-attempt-2' && a.name.startsWith('aistudios-ledger-') && a.name.endsWith(`-v3-${key}`)))
  })

  it('re-attaches attempt 2 to that export instead of paying again', () => {
    const key = sim.exports[0].key
    assert.equal(second.code, 0, second.stdout)
    assert.match(second.stdout, new RegExp(`::notice::Re-run attempt 2: an earlier attempt already exported this request as ${key}`))
    assert.equal(second.outputs['project-id'], key)
    assert.deepEqual(fs.readFileSync(second.outputs['video-path']), SAMPLE_VIDEO)
    const video = artifacts.artifacts.find((a) => a.job === 'job-attempt-2' && a.name.endsWith('.mp4'))
    assert.equal(video?.name, `ai-studios-video-${key}-attempt-2.mp4`)
  })

  it('exports a changed request anew', () => {
    assert.equal(changed.code, 0, changed.stdout)
    assert.equal(sim.exports.length, 2)
    assert.equal(changed.outputs['project-id'], sim.exports[1].key)
  })
})

describe('re-running after a render declared dead', () => {
  it('exports anew and says so, instead of waiting on the dead render again', async () => {
    const sim = await startSimulator({ renderMs: 2000, curve: CURVES.dead })
    const artifacts = await startArtifactService()
    try {
      const inputs = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'stall-timeout': '0.1' }
      const first = await runAction({ inputs, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' }, timeoutMs: 60_000 })
      assert.equal(first.code, 1)
      assert.match(first.stdout, /::error::The render of \w+ stalled: progress stayed at 42\.5%/, 'the stall fired')
      const dead = sim.exports[0].key
      assert.ok(
        artifacts.artifacts.some((a) => a.name.endsWith(`-dead-${dead}`)),
        'marked dead in the ledger'
      )

      sim.options.curve = CURVES.linear
      const second = await runAction({ inputs, env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
      assert.equal(second.code, 0, second.stdout)
      assert.match(
        second.stdout,
        new RegExp(`::notice::An earlier attempt's export of this request \\(${dead}\\) stalled and was declared dead; exporting anew`)
      )
      assert.equal(sim.exports.length, 2)
      assert.equal(second.outputs['project-id'], sim.exports[1].key)
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })
})

describe('re-running after an export the API lost', () => {
  it('records the key as lost, and the re-run attempt exports anew saying why', async () => {
    const sim = await startSimulator({ renderMs: 300, faults: [{ route: 'progress', kind: 'not-found', times: 1000 }] })
    const artifacts = await startArtifactService()
    try {
      const inputs = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'stall-timeout': '0.1' }
      const first = await runAction({ inputs, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
      assert.equal(first.code, 1)
      const lost = sim.exports[0].key
      assert.ok(sim.options.faults[0].times! < 1000, 'the API answered not found')
      assert.match(first.stdout, new RegExp(`::error::The API no longer knows export ${lost} .*the render was lost`))
      assert.ok(
        artifacts.artifacts.some((a) => a.name.endsWith(`-lost-${lost}`)),
        'marked lost in the ledger'
      )

      sim.options.faults.length = 0
      const second = await runAction({ inputs, env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
      assert.equal(second.code, 0, second.stdout)
      assert.match(
        second.stdout,
        new RegExp(`::notice::An earlier attempt's export of this request \\(${lost}\\) was lost: the API no longer knew its key; exporting anew`)
      )
      assert.equal(sim.exports.length, 2)
      assert.equal(second.outputs['project-id'], sim.exports[1].key)
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })
})

describe('a ledger entry whose key is no export key', () => {
  it('is ignored with a warning, never used as a key: the video is exported anew', async () => {
    const sim = await startSimulator({ renderMs: 600_000 })
    const artifacts = await startArtifactService()
    try {
      const inputs = (): Record<string, string> => ({ 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID })
      const first = await runAction({ inputs: { ...inputs(), timeout: '0.1' }, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
      assert.equal(first.code, 1)
      const entry = artifacts.artifacts.find((a) => a.name.startsWith('aistudios-ledger-'))
      assert.ok(entry, 'attempt 1 left its ledger entry')
      // As a hostile job of the run could have named it.
      const hostile = 'k1 `$(id)` &amp; <b>'
      entry.name = entry.name.replace(/-v3-.+$/, `-v3-${hostile}`)
      sim.options.renderMs = 200
      const second = await runAction({ inputs: inputs(), env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
      assert.equal(second.code, 0, second.stdout)
      assert.match(second.stdout, /::warning::1 export ledger entry of this request held no export key and was ignored/)
      assert.equal(sim.exports.length, 2, 'exported anew')
      // The artifact client's own debug lines quote its whole answer, escaped by @actions/core; ours never name it.
      const ours = second.stdout.split('\n').filter((line) => !line.startsWith('::debug::'))
      assert.ok(!ours.some((line) => line.includes(hostile)))
      assert.equal(second.outputs['project-id'], sim.exports[1].key)
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })
})

describe('re-running a job whose cleanup deleted the project it delivered', () => {
  it('takes the video from the earlier attempt’s artifact: neither waits for the deleted project nor pays again', async () => {
    const sim = await startSimulator({ renderMs: 300 })
    const artifacts = await startArtifactService()
    try {
      const inputs = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, script: 'Same words', cleanup: 'true' }
      const first = await runAction({ inputs, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
      assert.equal(first.code, 0, first.stdout)
      assert.equal(sim.exports.length, 1)
      const { key } = sim.exports[0]
      // The fault under test: attempt 1's cleanup deleted the project on the simulator.
      assert.ok(
        sim.requests.some((r) => r.method === 'DELETE' && r.body.includes(key)),
        'attempt 1 deleted its project'
      )
      assert.ok(
        artifacts.artifacts.some((a) => a.name.endsWith(`-delivered-${key}`)),
        'the ledger marks it delivered before the delete'
      )
      const polls = sim.requests.length

      for (const attempt of ['2', '3']) {
        const again = await runAction({ inputs, env: { ...artifacts.envFor(`job-attempt-${attempt}`), GITHUB_RUN_ATTEMPT: attempt } })
        assert.equal(again.code, 0, again.stdout)
        assert.match(
          again.stdout,
          new RegExp(`::notice::Re-run attempt ${attempt}: attempt 1 delivered this request \\(export ${key}\\) as the artifact`)
        )
        assert.deepEqual(fs.readFileSync(again.outputs['video-path']), SAMPLE_VIDEO)
        assert.equal(again.outputs['export-key'], key)
      }
      assert.equal(sim.exports.length, 1, 'no attempt exported again')
      // Each attempt reads its source project to make the request it looks up, and asks once whether the
      // deleted export is gone (the ledger's mark is believed only then); nothing else, and nothing sent.
      const asked = sim.requests.slice(polls).filter((r) => r.path.includes(key) || r.path.includes('/progress/') || r.method !== 'GET')
      assert.deepEqual(
        asked.map((r) => `${r.method} ${r.path}`),
        [`GET /api/odin/v3/editor/progress/${key}`, `GET /api/odin/v3/editor/progress/${key}`],
        'one free read an attempt about the deleted project'
      )
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })

  it('keeps the project when its video went up as no artifact: a re-run attempt downloads it again, paying nothing', async () => {
    const sim = await startSimulator({ renderMs: 300 })
    const artifacts = await startArtifactService()
    try {
      const inputs = {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        cleanup: 'true',
        'upload-artifact': 'false'
      }
      const first = await runAction({ inputs, env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '1' } })
      assert.equal(first.code, 0, first.stdout)
      const { key } = sim.exports[0]
      assert.deepEqual(sim.deleted, [], 'kept: no artifact could give its video back to a re-run attempt')
      assert.match(first.stdout, new RegExp(`cleanup: ${key} is kept in AI Studios: its video went up as no artifact of this run`))
      const again = await runAction({ inputs, env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
      assert.equal(again.code, 0, again.stdout)
      assert.deepEqual(fs.readFileSync(again.outputs['video-path']), SAMPLE_VIDEO)
      assert.equal(sim.exports.length, 1)
    } finally {
      await sim.close()
      await artifacts.close()
    }
  })
})
