/**
 * The review-before-paying flow as its tests drive it: runs of one repository's workflow (a pull
 * request's draft run, a push's merge run, their re-run attempts) against the stand-ins, and the
 * export and create calls the simulator saw.
 */
import assert from 'node:assert/strict'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './run-action.ts'
import type { useStandIns } from './stand-ins.ts'
import { MINIMAL_V3_BODY } from '../simulator/server.ts'
import { GITHUB_TOKEN, type WorkflowRun } from '../stand-ins/github-api.ts'

export const MAIN_PUSH: WorkflowRun = { event: 'push', headBranch: 'main', headRepository: 'octo-org/videos' }
export const PULL: WorkflowRun = { event: 'pull_request', headBranch: 'feature', headRepository: 'octo-org/videos', pullRequests: [9] }
export const CREATE = '/api/odin/v3/editor/project'
export const EXPORT = '/api/odin/v3/editor/project/export'

/** The lines of a run's log that say what happened to drafts, exports and resumes: what a failed assertion shows. */
export const told = (stdout: string): string =>
  stdout
    .split('\n')
    .filter((l) => /notice|warning|error|Draft|draft|Export|cleanup|reuse|resume/.test(l))
    .join('\n')

/** A workspace whose `t.json` is the minimal v3 template saying `words`. */
export const templateWith = (words: string): string => {
  const body = structuredClone(MINIMAL_V3_BODY)
  body.scenes[0].scripts[0].org = words
  return makeWorkspace({ 't.json': JSON.stringify(body) })
}

/** More of a run than its attempt: environment beside the runner's, the `${{ }}` context, a time limit. */
export interface RunOptions {
  attempt?: number
  env?: Record<string, string>
  context?: Record<string, string>
  timeoutMs?: number
}

/** The flow in `world`: its runs, and how many POSTs to `path` the simulator saw since request `from`. */
export function draftFlow(world: ReturnType<typeof useStandIns>) {
  const posts = (path: string, from = 0): number => world.sim.requests.slice(from).filter((r) => r.method === 'POST' && r.path === path).length

  /**
   * One workflow run numbered `runId` (its attempt `attempt`, or with more of the runner's environment,
   * its `${{ }}` context and a time limit): a run of the pull request, or a push to its branch.
   */
  function run(
    runId: number,
    workflowRun: WorkflowRun,
    inputs: Record<string, string>,
    workspace: string,
    options: number | RunOptions = 1
  ): Promise<ActionRun> {
    const { attempt = 1, env = {}, context, timeoutMs } = typeof options === 'number' ? { attempt: options } : options
    world.github.runs.set(runId, workflowRun)
    const pull = workflowRun.pullRequests?.[0]
    const event = pull
      ? eventEnv(
          'pull_request',
          { repository: { default_branch: 'main' }, pull_request: { number: pull, head: { ref: workflowRun.headBranch } } },
          world.github.url
        )
      : eventEnv(workflowRun.event, { repository: { default_branch: 'main' } }, world.github.url)
    return runAction({
      workspace,
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'github-token': GITHUB_TOKEN, template: 't.json', ...inputs },
      env: {
        ...world.artifacts.envForRun(runId, `job-attempt-${attempt}`),
        ...event,
        GITHUB_RUN_ATTEMPT: String(attempt),
        GITHUB_REF: pull ? `refs/pull/${pull}/merge` : `refs/heads/${workflowRun.headBranch}`,
        ...env
      },
      context,
      timeoutMs
    })
  }
  /** Another pull request of this repository (a branch's, not a fork's) leaves an artifact named `name` holding `body`. */
  function plant(runId: number, name: string, body: string): void {
    world.github.runs.set(runId, { event: 'pull_request', headBranch: `other-${runId}`, headRepository: 'octo-org/videos', pullRequests: [runId] })
    world.artifacts.envForRun(runId)
    world.artifacts.artifacts.push({
      id: 9000 + world.artifacts.artifacts.length,
      name,
      job: `job-${runId}`,
      run: `run-${runId}`,
      runId,
      mimeType: 'application/json',
      finalized: true,
      bytes: Buffer.from(body)
    })
  }

  /** The name of the draft record run `runId` left. */
  const draftRecordOf = (runId: number): string => {
    const name = world.artifacts.artifacts.find((a) => a.runId === runId && a.name.startsWith('aistudios-draft-'))?.name
    assert.ok(name, `run ${runId} left a draft record`)
    return name
  }
  return { run, posts, plant, draftRecordOf }
}
