import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readJob } from '../../src/job/inputs.ts'
import { readManifest } from '../../src/job/manifest.ts'
import { readRunnerEnv, workflowPath } from '../../src/job/runner.ts'
import { makeWorkspace } from '../helpers/run-action.ts'

describe('the workflow file of a run', () => {
  it("is the path part of GITHUB_WORKFLOW_REF, between the repository's name and the ref", () => {
    assert.equal(workflowPath('octo-org/videos/.github/workflows/render.yml@refs/heads/main'), '.github/workflows/render.yml')
    assert.equal(workflowPath('octo-org/videos/.github/workflows/preview.yaml@refs/pull/7/merge'), '.github/workflows/preview.yaml')
    assert.equal(workflowPath('octo-org/videos/.github/workflows/video@v2.yml@refs/heads/main'), '.github/workflows/video@v2.yml')
    assert.equal(readRunnerEnv({ GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/a.yml@v1' }).workflowFile, '.github/workflows/a.yml')
  })

  it('is unknown where the runner names none, or not in that shape', () => {
    for (const ref of [undefined, '', 'render.yml', 'o/r/.github/workflows/a.yml']) assert.equal(workflowPath(ref), undefined, String(ref))
    assert.equal(readRunnerEnv({}).workflowFile, undefined)
  })
})

describe("a video's inline inputs", () => {
  const workspace = makeWorkspace({
    'speech.txt': 'Hello.',
    'videos.yml': 'videos:\n  - name: m\n    project-id: p1\n    script: inline in the manifest\n    tags:\n      t: v\n'
  })
  const runner = readRunnerEnv({ GITHUB_WORKSPACE: workspace })
  const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

  it("are the step's own speech, variables and tags given as text, not the files it names", () => {
    const inline = readJob(reader({ 'api-key': 'k', 'project-id': 'p1', scripts: '0: Hi', tags: 't: v' }), runner).videos[0].inline
    assert.deepEqual(inline, ['scripts', 'tags'])
    assert.deepEqual(readJob(reader({ 'api-key': 'k', 'project-id': 'p1', 'script-file': 'speech.txt' }), runner).videos[0].inline, [])
  })

  it("are never a manifest entry's: its inline keys are written in the manifest", () => {
    const [entry] = readManifest(reader({ manifest: 'videos.yml' }), workspace).videos
    assert.equal(entry.inline, undefined)
  })
})
