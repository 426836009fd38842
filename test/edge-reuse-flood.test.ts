/**
 * Found by an attack: reuse read only the first page (20) of the repository's world.artifacts named after the request's
 * fingerprint, newest first. A fork's pull request runs upload world.artifacts too (the README says so) and the
 * fingerprint is computable from public files: 20 newer records from fork runs push the trusted one off the
 * page, and the video is exported (paid) again. The GitHub stand-in pages as GitHub does (toolkit notes:
 * "at most 100 a page: a name shared by many runs needs paging"); reuse now reads page after page.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { DIALOGUE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN, type WorkflowRun } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

const MAIN_PUSH: WorkflowRun = { event: 'push', headBranch: 'main', headRepository: 'octo-org/videos' }
const FORK: WorkflowRun = { event: 'pull_request', headBranch: 'main', headRepository: 'evil-fork/videos', pullRequests: [] }

describe('20 records from fork runs hide the trusted one', () => {
  // PROVES: run 120 (a push to main) rendered the request and left its reuse record. Twenty fork runs then leave
  // records of the same name. Run 121 (a push to main, reuse: true) reads the first page, refuses all twenty
  // (fork code), never sees run 120's, and exports the video again: paid twice, by an outsider's doing.
  it('still reuses the trusted video', async () => {
    const inputs = {
      'api-key': world.sim.mintToken(),
      'api-url': world.sim.apiUrl,
      'github-token': GITHUB_TOKEN,
      reuse: 'true',
      'project-id': DIALOGUE_PROJECT_ID,
      scripts: '1.1: Flooded words.'
    }
    const run = (runId: number) => {
      world.github.runs.set(runId, MAIN_PUSH)
      return runAction({
        inputs,
        env: {
          ...world.artifacts.envForRun(runId),
          ...eventEnv('push', { repository: { default_branch: 'main' } }, world.github.url),
          GITHUB_REF: 'refs/heads/main'
        },
        timeoutMs: 120_000
      })
    }
    const first = await run(120)
    assert.equal(first.code, 0, first.stdout)
    const record = world.artifacts.artifacts.find((a) => a.runId === 120 && a.name.startsWith('aistudios-reuse-'))
    assert.ok(record)
    for (let i = 0; i < Number(process.env.FLOOD ?? 20); i++) {
      const runId = 600 + i
      world.github.runs.set(runId, FORK)
      world.artifacts.artifacts.push({ ...record, id: 70_000 + i, runId, run: `fork-run-${i}`, bytes: Buffer.from(record.bytes) })
    }
    const exports = world.sim.exports.length
    const second = await run(121)
    assert.equal(second.code, 0, second.stdout)
    assert.equal(
      world.sim.exports.length,
      exports,
      `observed: exported again; ${second.stdout.split('\n').filter((l) => l.startsWith('::warning::reuse')).length} reuse warnings, ${second.stdout
        .split('\n')
        .filter((l) => /reuse:/.test(l) && !l.startsWith('::warning'))
        .join(' | ')}`
    )
  })
})
