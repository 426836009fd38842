import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { distrust, thisRun, workflowRunSchema, type WorkflowRun } from '../../src/github/reuse-trust.ts'

// Whose earlier run 'reuse' may take a video from (reuse-trust.ts): each refusal says why, in words a
// user can act on, and the run's description from GitHub is read only as far as trust needs it.

const run = (fields: Partial<WorkflowRun>): WorkflowRun => ({
  id: 1,
  event: 'push',
  head_branch: 'main',
  head_repository: { full_name: 'octo-org/videos' },
  pull_requests: [],
  ...fields
})
const here = { repository: 'Octo-Org/Videos', branch: 'feature', defaultBranch: 'main' }

describe('distrust: what it says', () => {
  it('trusts this repository whatever the case of its name, and says whose code a run came from otherwise', () => {
    assert.equal(distrust(run({ head_branch: 'feature' }), here, 'branch'), undefined)
    assert.equal(
      distrust(run({ head_repository: { full_name: 'fork/videos' } }), here, 'repository'),
      'its code came from another repository (fork/videos), not Octo-Org/Videos'
    )
  })

  it("names the branch and the scope's trusted branches", () => {
    assert.equal(distrust(run({ head_branch: 'main' }), here, 'branch'), "it ran on branch main, not this branch ('reuse-from: branch')")
    assert.equal(
      distrust(run({ head_branch: 'other' }), here, 'branch-or-default'),
      "it ran on branch other, not this branch or the default branch ('reuse-from: branch-or-default')"
    )
    assert.equal(
      distrust(run({ head_branch: null }), { ...here, branch: undefined, defaultBranch: undefined }, 'branch-or-default'),
      "it ran on no branch, not this branch or the default branch ('reuse-from: branch-or-default')"
    )
    assert.equal(distrust(run({ head_branch: '' }), { ...here, branch: '' }, 'branch'), "it ran on no branch, not this branch ('reuse-from: branch')")
  })

  it('names the pull requests a run was for, or says it was for one it cannot name', () => {
    const pulls = run({ event: 'pull_request_target', pull_requests: [{ number: 7 }, { number: 9 }] })
    assert.equal(
      distrust(pulls, { ...here, pullRequest: 8 }, 'branch'),
      'it ran for pull request #7, #9, and only runs of that pull request reuse its videos'
    )
    assert.equal(distrust(pulls, { ...here, pullRequest: 9 }, 'branch'), undefined)
    assert.equal(
      distrust(run({ event: 'pull_request', pull_requests: null }), here, 'branch-or-default'),
      'it ran for a pull request, and only runs of that pull request reuse its videos'
    )
    assert.equal(
      distrust(run({ event: 'pull_request', pull_requests: null }), { ...here, pullRequest: 1 }, 'branch'),
      'it ran for a pull request, and only runs of that pull request reuse its videos'
    )
  })

  it('takes a run of another event whose name only ends like a pull request’s as a branch run', () => {
    assert.equal(distrust(run({ event: 'not_pull_request', head_branch: 'feature' }), here, 'branch'), undefined)
  })
})

describe('workflowRunSchema', () => {
  it('reads a run as GitHub describes it, and refuses one without the fields trust needs', () => {
    const described = {
      id: 5,
      event: 'push',
      head_branch: 'main',
      head_repository: { full_name: 'o/r' },
      pull_requests: [{ number: 2 }],
      extra: true
    }
    assert.deepEqual(workflowRunSchema.parse(described), {
      id: 5,
      event: 'push',
      head_branch: 'main',
      head_repository: { full_name: 'o/r' },
      pull_requests: [{ number: 2 }]
    })
    assert.equal(workflowRunSchema.safeParse({ ...described, head_repository: {} }).success, false)
    assert.equal(workflowRunSchema.safeParse({ ...described, pull_requests: [{}] }).success, false)
    assert.equal(workflowRunSchema.safeParse({ ...described, id: 0 }).success, false)
  })
})

describe('thisRun', () => {
  it('has no branch where the context has no ref, and ignores a payload it cannot read', () => {
    const repo = { owner: 'o', repo: 'r' }
    assert.deepEqual(thisRun({ eventName: 'workflow_dispatch', ref: undefined as unknown as string, payload: { pull_request: 'x' }, repo }), {
      repository: 'o/r',
      branch: undefined,
      pullRequest: undefined,
      defaultBranch: undefined
    })
  })
})
