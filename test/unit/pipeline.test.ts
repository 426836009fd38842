/** A batch pipeline's identity: the same for a manifest's three jobs, apart for another manifest or plan. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { manifestPipelineId, pipelineOfRefused, planPipelineId, readPipeline } from '../../src/job/pipeline.ts'
import { readRunnerEnv } from '../../src/job/runner.ts'

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? ''
const runner = readRunnerEnv({ GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_WORKSPACE: os.tmpdir() })

describe('manifestPipelineId', () => {
  it('is the same for one manifest, apart for another, and fits an artifact name', () => {
    assert.equal(manifestPipelineId('video/en.yml'), manifestPipelineId('video/en.yml'))
    assert.notEqual(manifestPipelineId('video/en.yml'), manifestPipelineId('video/ko.yml'))
    assert.match(manifestPipelineId('video/en.yml'), /^m[0-9a-f]{15}$/)
  })
})

describe('readPipeline', () => {
  it('takes the plan’s ID as given, or the manifest’s own, with the manifest', () => {
    assert.deepEqual(readPipeline(reader({ pipeline: ' p0123456789abcde ' }), 'a.yml'), { id: 'p0123456789abcde', manifest: 'a.yml' })
    assert.deepEqual(readPipeline(reader({}), 'a.yml'), { id: manifestPipelineId('a.yml'), manifest: 'a.yml' })
  })

  it('refuses what could not name an artifact, naming the input and quoting the value', () => {
    for (const bad of ['a.b', 'a/b', 'x'.repeat(65), 'a b', '../x']) {
      assert.throws(
        () => readPipeline(reader({ pipeline: bad }), 'a.yml'),
        (error: Error) => error.message.startsWith("Input 'pipeline': ") && error.message.includes(JSON.stringify(bad.slice(0, 100))),
        bad
      )
    }
    assert.equal(readPipeline(reader({ pipeline: 'x'.repeat(64) }), 'a.yml').id, 'x'.repeat(64))
  })
})

describe('planPipelineId', () => {
  it('echoes a given ID, and makes a new one for each plan otherwise', () => {
    const pipeline = { id: 'given', manifest: 'a.yml' }
    assert.equal(planPipelineId(pipeline, true, runner), 'given')
    const one = planPipelineId(pipeline, false, runner)
    const two = planPipelineId(pipeline, false, runner)
    assert.match(one, /^p[0-9a-f]{15}$/)
    assert.notEqual(one, two, 'two plans of one manifest in one run keep apart')
  })
})

describe('pipelineOfRefused', () => {
  it('names the same pipeline a read job would, from the raw inputs', () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'))
    assert.deepEqual(pipelineOfRefused(reader({ manifest: './video/m.yml' }), workspace), {
      id: manifestPipelineId('video/m.yml'),
      manifest: 'video/m.yml'
    })
    assert.deepEqual(pipelineOfRefused(reader({ manifest: 'm.yml', pipeline: 'p1' }), workspace), { id: 'p1', manifest: 'm.yml' })
  })

  it('falls back to the manifest’s own when even the pipeline input is refused', () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'))
    assert.deepEqual(pipelineOfRefused(reader({ manifest: 'm.yml', pipeline: 'bad value' }), workspace), {
      id: manifestPipelineId('m.yml'),
      manifest: 'm.yml'
    })
  })
})
