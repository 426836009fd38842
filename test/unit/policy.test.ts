import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_INTERVAL_MS, estimateRemainingMs, nextPollDelayMs, type Sample } from '../../src/video/policy.ts'

const base = { floorMs: 1000, deadlineMs: 1_800_000 }
const linear = (upToMs: number, stepMs: number, totalMs: number): Sample[] => {
  const samples: Sample[] = []
  for (let t = 0; t <= upToMs; t += stepMs) samples.push({ atMs: t, progress: Math.min(100, (t / totalMs) * 100) })
  return samples
}

describe('nextPollDelayMs', () => {
  it('polls at the floor before anything is known and while the URL lags', () => {
    assert.equal(nextPollDelayMs({ ...base, samples: [], nowMs: 0 }), 1000)
    assert.equal(nextPollDelayMs({ ...base, samples: [{ atMs: 0, progress: 100 }], nowMs: 100 }), 1000)
  })

  it('never goes below the floor, even right at the estimated end', () => {
    const samples = linear(59_900, 100, 60_000)
    assert.equal(nextPollDelayMs({ ...base, samples, nowMs: 59_900 }), 1000)
    assert.equal(nextPollDelayMs({ ...base, floorMs: 5000, samples, nowMs: 59_900 }), 5000)
  })

  it('aims straight past the finish from three floor intervals out, with no halving step between', () => {
    // 60 s render, 57.5 s in: 2.5 s left, within three 1 s floors: one poll, 250 ms after the finish.
    assert.equal(Math.round(nextPollDelayMs({ ...base, samples: linear(57_500, 500, 60_000), nowMs: 57_500 })), 2750)
    // 3.5 s left: still halving.
    assert.equal(Math.round(nextPollDelayMs({ ...base, samples: linear(56_500, 500, 60_000), nowMs: 56_500 })), 1750)
  })

  it('aims the last poll just past the estimated finish', () => {
    // 60 s render, 58.5 s in: 1.5 s left, so the next poll lands 250 ms after the finish.
    assert.equal(nextPollDelayMs({ ...base, samples: linear(58_500, 500, 60_000), nowMs: 58_500 }), 1750)
  })

  it('polls sparsely early and densely near the estimated end', () => {
    const early = nextPollDelayMs({ ...base, samples: linear(20_000, 10_000, 600_000), nowMs: 20_000 })
    const late = nextPollDelayMs({ ...base, samples: linear(590_000, 10_000, 600_000), nowMs: 590_000 })
    assert.equal(early, MAX_INTERVAL_MS)
    assert.ok(late < 6000, `late ${late}`)
    assert.ok(late < early)
  })

  it('never sleeps past the deadline', () => {
    assert.equal(nextPollDelayMs({ ...base, deadlineMs: 10_500, samples: linear(10_000, 5000, 600_000), nowMs: 10_000 }), 500)
    assert.equal(nextPollDelayMs({ ...base, deadlineMs: 9000, samples: linear(10_000, 5000, 600_000), nowMs: 10_000 }), 0)
  })

  it('backs off with the time waited while progress stands still', () => {
    const stalled = [
      { atMs: 0, progress: 0 },
      { atMs: 20_000, progress: 0 }
    ]
    assert.equal(nextPollDelayMs({ ...base, samples: stalled, nowMs: 20_000 }), 5000)
    assert.equal(nextPollDelayMs({ ...base, samples: [...stalled, { atMs: 200_000, progress: 0 }], nowMs: 200_000 }), MAX_INTERVAL_MS)
  })

  it('stays sane on a curve that jumps', () => {
    const jumps = [
      { atMs: 0, progress: 0 },
      { atMs: 1000, progress: 0 },
      { atMs: 2000, progress: 85.7 }
    ]
    const delay = nextPollDelayMs({ ...base, samples: jumps, nowMs: 2000 })
    assert.ok(delay >= 1000 && delay <= MAX_INTERVAL_MS)
  })

  it('judges a curve that went backwards (a restarted render) from the restart on', () => {
    const restarted = [
      { atMs: 0, progress: 0 },
      { atMs: 10_000, progress: 90 },
      { atMs: 20_000, progress: 5 },
      { atMs: 30_000, progress: 10 }
    ]
    const remaining = estimateRemainingMs(restarted, 30_000)
    assert.equal(remaining, 180_000)
    assert.equal(nextPollDelayMs({ ...base, samples: restarted, nowMs: 30_000 }), MAX_INTERVAL_MS)
  })
})

describe('estimateRemainingMs', () => {
  it('is undefined until the curve moves', () => {
    assert.equal(estimateRemainingMs([{ atMs: 0, progress: 10 }], 0), undefined)
    assert.equal(
      estimateRemainingMs(
        [
          { atMs: 0, progress: 10 },
          { atMs: 5000, progress: 10 }
        ],
        5000
      ),
      undefined
    )
  })

  it('extrapolates the recent rate', () => {
    const halfwayIn10s = [
      { atMs: 0, progress: 0 },
      { atMs: 10_000, progress: 50 }
    ]
    assert.equal(estimateRemainingMs(halfwayIn10s, 10_000), 10_000)
    assert.equal(estimateRemainingMs(halfwayIn10s, 14_000), 6000)
  })
})
