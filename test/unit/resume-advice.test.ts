import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { VideoResult } from '../../src/domain.ts'
import { parseArgs } from '../../src/cli/args.ts'
import { cliFrontEnd } from '../../src/cli/resume-command.ts'
import { resumeAdvice } from '../../src/resume.ts'

/** A failed video of export K1 that got as far as `stage`, with whatever else `more` says. */
const failed = (stage: VideoResult['stage'], more: Partial<VideoResult> = {}): VideoResult & { exportKey: string } => ({
  spec: { source: { kind: 'project', projectId: 'p' }, speech: [], tags: [], exportOptions: {}, files: [] },
  name: 'video',
  status: 'failed',
  stage,
  source: 'project p',
  startedAt: 0,
  generation: 'v3',
  exportKey: 'K1',
  ...more
})

describe('resumeAdvice', () => {
  it('in the CLI, never adds a flag already typed with that value, and leaves out one it sets anew', () => {
    const typed = parseArgs(['--manifest', 'm.yml', '--manifest-entry', 'intro', '--api-generation', 'auto', '--wait'])
    assert.match(
      resumeAdvice(failed('render', { generation: 'legacy', spec: { ...failed('render').spec, name: 'intro' } }), cliFrontEnd(typed)),
      /, run the same command again with --resume K1 --api-generation legacy added, leaving out --api-generation\.$/
    )
  })

  it('says "may still be rendering" only of a render not seen finished', () => {
    for (const stage of ['request', 'export', 'render'] as const) {
      assert.match(resumeAdvice(failed(stage)), /^Export K1 was accepted and may still be rendering/)
    }
    for (const stage of ['download', 'deliver'] as const) assert.doesNotMatch(resumeAdvice(failed(stage)), /may still be rendering/)
  })

  it('tells a finished render that was not saved, in each front end’s syntax, a legacy one with its generation', () => {
    const cli = cliFrontEnd(parseArgs(['--manifest', 'm.yml', '--no-wait', '--tag', 'a=1', '--tag', 'b=2', '--resolution', '720']))
    assert.equal(
      resumeAdvice(failed('download', { generation: 'legacy', spec: { ...failed('download').spec, name: 'intro' } }), cli),
      'Export K1 finished rendering (its credits are spent), but its video was not saved. To download it without exporting again, ' +
        'run the same command again with --manifest-entry intro --resume K1 --api-generation legacy added, leaving out --no-wait, every --tag and --resolution.'
    )
  })

  it('tells a saved video whose delivery failed where it is and how to deliver it', () => {
    const undelivered = { delivery: 'the artifact upload', reason: 'no', savedAs: 'videos/a.mp4' }
    assert.equal(
      resumeAdvice(failed('deliver', { undelivered })),
      'Export K1 finished rendering and its video is saved as videos/a.mp4, but the artifact upload failed. ' +
        "To deliver it without exporting again, re-run the failed job (its re-run attempt finds export K1 in the run's ledger), or re-run this step with the input resume: K1 (drop 'wait: false', 'tags', 'resolution', 'workspace-id' and 'webhook-url' if set); that downloads the finished video again."
    )
    assert.match(
      resumeAdvice(failed('deliver', { undelivered, reusedFromRun: 41 }), cliFrontEnd(parseArgs([]))),
      /but the artifact upload failed\. To deliver it, run the same command again: 'reuse' finds the video of run 41 again, exporting nothing\.$/
    )
  })
})
