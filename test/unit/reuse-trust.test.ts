import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { distrust, thisRun, type WorkflowRun } from '../../src/github/reuse-trust.ts'

const run = (fields: Partial<WorkflowRun>): WorkflowRun => ({
  id: 1,
  event: 'push',
  head_branch: 'main',
  head_repository: { full_name: 'octo-org/videos' },
  pull_requests: [],
  ...fields
})
const onFeature = { repository: 'octo-org/videos', branch: 'feature', defaultBranch: 'main' }

describe('distrust', () => {
  it("never trusts a fork's run, whatever the scope", () => {
    for (const scope of ['branch', 'branch-or-default', 'repository'] as const) {
      assert.match(distrust(run({ head_repository: { full_name: 'fork/videos' } }), onFeature, scope) ?? '', /another repository \(fork\/videos\)/)
      assert.match(distrust(run({ head_repository: null }), onFeature, scope) ?? '', /an unknown repository/)
    }
  })

  it('trusts this branch, and the default branch unless narrowed', () => {
    assert.equal(distrust(run({ head_branch: 'feature' }), onFeature, 'branch'), undefined)
    assert.equal(distrust(run({}), onFeature, 'branch-or-default'), undefined)
    assert.match(distrust(run({}), onFeature, 'branch') ?? '', /branch main, not this branch/)
    assert.match(distrust(run({ head_branch: 'other' }), onFeature, 'branch-or-default') ?? '', /branch other/)
    assert.equal(distrust(run({ head_branch: 'other' }), onFeature, 'repository'), undefined)
  })

  it("keeps a pull request's run to runs of that pull request", () => {
    const pr = run({ event: 'pull_request', head_branch: 'feature', pull_requests: [{ number: 7 }] })
    assert.match(distrust(pr, onFeature, 'branch-or-default') ?? '', /pull request #7/)
    assert.equal(distrust(pr, { ...onFeature, pullRequest: 7 }, 'branch'), undefined)
    assert.match(distrust(pr, { ...onFeature, pullRequest: 8 }, 'branch-or-default') ?? '', /pull request #7/)
  })

  it("reads this run's branch from the ref, or from a pull request's head", () => {
    const repo = { owner: 'octo-org', repo: 'videos' }
    assert.deepEqual(thisRun({ eventName: 'push', ref: 'refs/heads/dev', payload: { repository: { default_branch: 'main' } }, repo }), {
      repository: 'octo-org/videos',
      branch: 'dev',
      pullRequest: undefined,
      defaultBranch: 'main'
    })
    const pull = thisRun({
      eventName: 'pull_request',
      ref: 'refs/pull/3/merge',
      payload: { pull_request: { number: 3, head: { ref: 'fix' } } },
      repo
    })
    assert.equal(pull.branch, 'fix')
    assert.equal(pull.pullRequest, 3)
    assert.equal(thisRun({ eventName: 'push', ref: 'refs/tags/v1', payload: {}, repo }).branch, undefined)
  })
})
