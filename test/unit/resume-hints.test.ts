import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { VideoResult } from '../../src/domain.ts'
import { ACTION, exported, redeliverHint, resumeAdvice, resumeHint, type FrontEnd } from '../../src/resume.ts'

/** A front end of a terminal's, as the CLI is: its own words, no job to re-run. */
const TERMINAL: FrontEnd = {
  resumeWith: (inputs) => `run it with ${inputs.map(([name, value]) => `--${name} ${value}`).join(' ')}`,
  again: 'run the same command again',
  rerunsJobs: false
}

// How a user picks up an export without paying for it again (resume.ts), in each front end's words:
// the action's step inputs, or the CLI's flags.

const result = (more: Partial<VideoResult> = {}): VideoResult => ({
  spec: { source: { kind: 'project', projectId: 'p' }, speech: [], tags: [], exportOptions: {}, files: [] },
  name: 'video',
  status: 'failed',
  stage: 'deliver',
  source: 'project p',
  startedAt: 0,
  generation: 'v3',
  ...more
})

describe('resumeHint', () => {
  it("names the action's inputs, plural where there are several, and what to drop", () => {
    assert.equal(
      resumeHint('K1', 'v3'),
      'Export K1 was accepted and may still be rendering (its credits are spent). To download it without exporting again, ' +
        "re-run this step with the input resume: K1 (drop 'wait: false', 'tags', 'resolution', 'workspace-id' and 'webhook-url' if set)."
    )
    assert.equal(
      resumeHint('K2', 'legacy', 'intro', ACTION),
      'Export K2 was accepted and may still be rendering (its credits are spent). To download it without exporting again, ' +
        "re-run this step with the inputs manifest-entry: intro and resume: K2 and api-generation: legacy (drop 'wait: false', 'tags', 'resolution', 'workspace-id' and 'webhook-url' if set)."
    )
  })
})

describe('exported', () => {
  it('tells a video whose export was accepted (it has a key) from one whose was not', () => {
    assert.equal(exported(result({ exportKey: 'K1' })), true)
    assert.equal(exported(result()), false)
  })
})

describe('redeliverHint', () => {
  it("sends a reused video back to 'reuse', in each front end's words", () => {
    const reused = { ...result({ exportKey: 'K1', reusedFromRun: 42 }), exportKey: 'K1' }
    assert.equal(redeliverHint(reused), "To deliver it, re-run this step as it is: 'reuse' finds the video of run 42 again, exporting nothing.")
    assert.equal(
      redeliverHint(reused, TERMINAL),
      "To deliver it, run the same command again: 'reuse' finds the video of run 42 again, exporting nothing."
    )
  })

  it('offers the CLI no job to re-run', () => {
    assert.equal(
      redeliverHint({ ...result({ exportKey: 'K1' }), exportKey: 'K1' }, TERMINAL),
      'To deliver it without exporting again, run it with --resume K1; that downloads the finished video again.'
    )
  })
})

describe('a video an earlier attempt delivered before cleanup deleted its project', () => {
  const delivered = { ...result({ exportKey: 'K1', deliveredByAttempt: 1 }), exportKey: 'K1' }
  it('is not offered resume, whose key is gone: the earlier attempt’s artifacts hold it', () => {
    assert.equal(
      resumeAdvice(delivered),
      "Export K1 was delivered by attempt 1 of this run, and 'cleanup' deleted its project, so it cannot be resumed: download its video from that attempt's artifacts; nothing more was spent."
    )
  })
  it('is delivered again by running as it was, which takes it from that artifact', () => {
    const saved = { ...delivered, undelivered: { delivery: 'the artifact upload', reason: 'x', savedAs: 'videos/a.mp4' } }
    assert.equal(
      redeliverHint(saved),
      "To deliver it, re-run this step as it is: it takes the video from attempt 1's artifact again, exporting nothing."
    )
    assert.match(
      resumeAdvice(saved),
      /but the artifact upload failed\. To deliver it, re-run this step as it is: it takes the video from attempt 1's artifact/
    )
  })
})
