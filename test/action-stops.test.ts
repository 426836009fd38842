/**
 * Stops keep what was paid for: fail-fast lets export requests already sent finish and reports their
 * keys; a runner cancel (SIGTERM) in any stage ends that stage at once and still writes the outputs,
 * the summary and how to resume.
 */
import assert from 'node:assert/strict'
import type { ChildProcess } from 'node:child_process'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, signalWhen, type ActionRun, type RunOptions, NO_POSIX_SIGNALS } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator, type Simulator, type SimulatorOptions } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi, type GitHubApi, type HeldCall } from './stand-ins/github-api.ts'

const exportPosts = (sim: Simulator) => sim.requests.filter((r) => r.method === 'POST' && /\/editor\/project(\/export)?$/.test(r.path))

describe('fail-fast with export answers still on the way', () => {
  it('lets every export already sent finish, reports each accepted key, and sends none again', async () => {
    const names = ['v1', 'v2', 'v3', 'v4', 'v5']
    const manifest = names.map((name) => `- name: ${name}\n  project-id: ${SAMPLE_PROJECT_ID}\n  script: Speech of ${name}.\n`).join('')
    const faults: SimulatorOptions['faults'] = [
      { route: 'export', kind: 'status', status: 400 },
      { route: 'export', kind: 'delay', ms: 1500, times: 4 }
    ]
    await withSimulator({ renderMs: 600_000, faults }, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'm.yml': manifest }),
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml', 'max-parallel': '5', 'fail-fast': 'true' },
        timeoutMs: 30_000
      })
      assert.equal(sim.options.faults.length, 0, 'one export was refused and four answered late')
      assert.equal(exportPosts(sim).length, 5, 'each video sent its export once')
      const accepted = sim.exports.map((e) => e.key).sort()
      assert.equal(accepted.length, 4)
      assert.equal(run.code, 1)
      const videos = JSON.parse(run.outputs.videos) as Array<{ status: string; 'export-key': string | null; error: string }>
      assert.deepEqual(videos.flatMap((v) => v['export-key'] ?? []).sort(), accepted, 'every accepted key is in the videos output')
      for (const key of accepted) {
        assert.match(run.stdout, new RegExp(`::error::(\\[v\\d\\] )?Export ${key} was accepted.*resume: ${key}`))
        assert.match(run.summary, new RegExp(`<code>${key}</code>`))
        assert.match(run.summary, new RegExp(`resume: ${key}`))
      }
      assert.doesNotMatch(run.stdout + run.summary, /cancelled while the export request was in flight/)
    })
  })
})

interface Stage {
  name: string
  simulator: SimulatorOptions
  inputs?: Record<string, string>
  /** Stand-ins that hold this stage's call; undefined when the simulator does. */
  artifacts?: RegExp
  github?: HeldCall
  /** The stage is under way. */
  started: (sim: Simulator, stdout: string, artifacts?: ArtifactService, github?: GitHubApi) => boolean
  /** Whether an export key exists by then. */
  keyed: boolean
  /** What the run may say of that export: only a render not seen finished "may still be rendering". */
  told?: string
}

const stages: Stage[] = [
  { name: 'the export', simulator: { faults: [{ route: 'export', kind: 'hold-answer' }] }, started: (sim) => sim.exports.length > 0, keyed: false },
  {
    name: 'the render wait',
    simulator: { renderMs: 600_000 },
    started: (_, stdout) => stdout.includes('% after'),
    keyed: true,
    told: 'was accepted and may still be rendering'
  },
  {
    name: 'the download',
    simulator: { renderMs: 0, faults: [{ route: 'cdn', kind: 'stall', fraction: 0.5 }] },
    started: (sim) => sim.requests.some((r) => r.origin === 'cdn'),
    keyed: true,
    told: 'finished rendering \\(its credits are spent\\), but its video was not saved'
  },
  {
    name: 'the artifact upload',
    simulator: { renderMs: 0 },
    artifacts: /^(?!aistudios-ledger-)/,
    started: (_, __, artifacts) => artifacts?.artifacts.some((a) => !a.name.startsWith('aistudios-ledger-')) === true,
    keyed: true,
    told: 'finished rendering and its video is saved as videos.ai-studios-video\\.mp4, but the artifact upload failed'
  },
  {
    name: 'the release upload',
    simulator: { renderMs: 0 },
    inputs: { 'release-upload': 'true' },
    github: 'asset-upload',
    started: (_, __, ___, github) => github?.requests.some((r) => r.path.startsWith('/uploads/')) === true,
    keyed: true,
    told: 'finished rendering and its video is saved as videos.ai-studios-video\\.mp4, but attaching the video to release v1\\.0 failed'
  },
  {
    name: 'the pull request comment',
    simulator: { renderMs: 0 },
    inputs: { comment: 'true' },
    github: 'comment',
    started: (_, __, ___, github) => github?.requests.some((r) => r.method === 'POST' && r.path.endsWith('/comments')) === true,
    keyed: true,
    told: 'finished rendering and its video is saved as videos.ai-studios-video\\.mp4, but the pull request comment failed'
  }
]

describe('SIGTERM during each stage', { skip: NO_POSIX_SIGNALS }, () => {
  for (const stage of stages) {
    it(`during ${stage.name}: stops it, writes the outputs, the summary and how to resume, then exits`, async (t) => {
      const artifacts = stage.artifacts ? await startArtifactService({ holdUploads: stage.artifacts }) : undefined
      const github = stage.github ? await startGitHubApi(undefined, [stage.github]) : undefined
      try {
        await withSimulator(stage.simulator, async (sim) => {
          let killedAt = 0
          const onStart: RunOptions['onStart'] = (child: ChildProcess, stdout) => {
            const poll = setInterval(() => {
              if (!stage.started(sim, stdout(), artifacts, github)) return
              clearInterval(poll)
              killedAt = Date.now()
              child.kill('SIGTERM')
            }, 20)
            child.on('exit', () => clearInterval(poll))
          }
          const env = {
            ...artifacts?.env,
            ...(github
              ? eventEnv(
                  stage.github === 'comment' ? 'pull_request' : 'release',
                  { pull_request: { number: 7 }, release: { tag_name: 'v1.0' } },
                  github.url
                )
              : {})
          }
          github?.releases.push({ id: 1, tag: 'v1.0', assets: [] })
          const run: ActionRun = await runAction({
            inputs: {
              'api-key': sim.mintToken(),
              'api-url': sim.apiUrl,
              'project-id': SAMPLE_PROJECT_ID,
              ...(github ? { 'github-token': GITHUB_TOKEN } : {}),
              ...stage.inputs
            },
            env,
            timeoutMs: 30_000,
            onStart
          })
          t.diagnostic(`exited ${Date.now() - killedAt} ms after SIGTERM`)
          assert.ok(killedAt > 0, 'the stage was reached and the run signalled')
          assert.equal(run.signal, null, 'exited by itself')
          assert.equal(run.code, 1)
          assert.equal(sim.exports.length, 1)
          const [video] = JSON.parse(run.outputs.videos) as Array<{ status: string; error: string }>
          assert.equal(video.status, 'failed')
          if (stage.keyed) {
            const { key } = sim.exports[0]
            assert.match(run.stdout, /::error::.*The run was cancelled \(SIGTERM\)/)
            assert.equal(run.outputs['export-key'], key)
            assert.match(run.stdout, new RegExp(`::error::Export ${key} ${stage.told}\\b.*resume: ${key}`))
            assert.match(run.summary, new RegExp(`Resume:.*resume: ${key}`))
            if (stage.name !== 'the render wait') assert.doesNotMatch(run.stdout + run.summary, /may still be rendering/)
          } else {
            assert.match(video.error, /may have been accepted/)
            assert.match(run.summary, /may have been accepted/)
            assert.doesNotMatch(run.stdout + run.summary, /not exported|nothing was exported/)
          }
        })
      } finally {
        await artifacts?.close()
        await github?.close()
      }
    })
  }
})

describe('the export key, from the moment it exists', () => {
  it('is in the project-id output even when the run is killed outright during the render wait', async () => {
    await withSimulator({ renderMs: 600_000 }, async (sim) => {
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
        timeoutMs: 30_000,
        onStart: signalWhen((stdout) => stdout.includes('% after'), 'SIGKILL')
      })
      assert.equal(run.signal, 'SIGKILL', 'killed: nothing could be written at the end')
      assert.equal(sim.exports.length, 1)
      assert.equal(run.outputs['export-key'], sim.exports[0].key)
      assert.equal(run.outputs['project-id'], sim.exports[0].key)
    })
  })

  it('is written before the export is recorded in the ledger, so a kill while that upload hangs still leaves it', async () => {
    const artifacts = await startArtifactService({ holdUploads: /^aistudios-ledger-/ })
    try {
      await withSimulator({ renderMs: 600_000 }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
          env: artifacts.env,
          timeoutMs: 30_000,
          onStart: (child) => {
            const poll = setInterval(() => {
              if (!artifacts.artifacts.some((a) => a.name.startsWith('aistudios-ledger-'))) return
              clearInterval(poll)
              setTimeout(() => child.kill('SIGKILL'), 200)
            }, 20)
            child.on('exit', () => clearInterval(poll))
          }
        })
        assert.equal(run.signal, 'SIGKILL')
        assert.equal(sim.exports.length, 1)
        assert.ok(!artifacts.artifacts.some((a) => a.finalized), 'the ledger upload was held')
        assert.equal(run.outputs['export-key'], sim.exports[0].key)
      })
    } finally {
      await artifacts.close()
    }
  })
})
