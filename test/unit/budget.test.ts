import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { VideoSpec } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { budgetLine, budgetRefusal, exportsPlanned } from '../../src/job/budget.ts'

const video = (source: VideoSpec['source']): VideoSpec => ({ source, speech: [], tags: [], exportOptions: {}, files: [] })
const fresh = video({ kind: 'project', projectId: 'p1' } as unknown as VideoSpec['source'])
const resumed = video({ kind: 'resume', key: 'k1' })

describe('exportsPlanned', () => {
  it('counts every video that would send an export, and no resumed one (already paid for)', () => {
    assert.equal(exportsPlanned([fresh, resumed, fresh]), 2)
    assert.equal(exportsPlanned([resumed, resumed]), 0)
    assert.equal(exportsPlanned([]), 0)
  })
})

describe('budgetRefusal', () => {
  it('refuses nothing without max-videos, or at or under it', () => {
    assert.equal(budgetRefusal(1000, undefined), undefined)
    assert.equal(budgetRefusal(3, 3), undefined)
    assert.equal(budgetRefusal(0, 0), undefined)
    assert.equal(budgetRefusal(2, 3, 'plan'), undefined)
  })

  it("refuses a run over max-videos on 'max-videos', saying how many, the cap, and what to do", () => {
    const refusal = budgetRefusal(4, 3)
    assert.ok(refusal instanceof InputError)
    assert.equal(refusal.input, 'max-videos')
    assert.equal(
      refusal.detail,
      'this run would send 4 exports, more than the 3 it may (resumed and reused videos do not count); nothing was exported. ' +
        "Raise 'max-videos', or render fewer videos ('manifest-entry', 'only-changed')"
    )
  })

  it('refuses a plan over max-videos for its whole matrix, before any reuse is known', () => {
    const refusal = budgetRefusal(1, 0, 'plan')
    assert.ok(refusal instanceof InputError)
    assert.equal(refusal.input, 'max-videos')
    assert.equal(
      refusal.detail,
      "the plan's matrix would send 1 exports, more than the 0 one run may (resumed videos do not count); no matrix was output. " +
        "Raise 'max-videos', or plan fewer videos ('only-changed', a smaller manifest)"
    )
  })
})

describe('budgetLine', () => {
  it('states the exports a run would send and the cap, and that it is not over', () => {
    assert.deepEqual(budgetLine(2, 5), {
      text: "A run would send 2 export(s) (max-videos: 5); resumed videos do not count, nor do videos 'reuse' finds",
      over: false
    })
  })

  it('says no cap where max-videos is not set', () => {
    assert.deepEqual(budgetLine(7, undefined), {
      text: "A run would send 7 export(s); resumed videos do not count, nor do videos 'reuse' finds",
      over: false
    })
  })

  it('is over exactly where a run would be refused', () => {
    assert.equal(budgetLine(6, 5).over, true)
    assert.equal(budgetLine(5, 5).over, false)
  })
})
