import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nextTurn, type Waiter } from '../../src/video/poll-budget.ts'

// The job's poll budget (poll-budget.ts) with a budget of one call a second: no slot is kept apart for
// videos near their finish, so a video far from its finish still gets its turn.

const waiter = (id: number, dueAtMs: number, finishAtMs?: number): Waiter => ({ id, dueAtMs, finishAtMs })

describe('nextTurn with one call a second', () => {
  it('grants a video far from its finish when the window is free', () => {
    assert.deepEqual(nextTurn([waiter(1, 0, 600_000)], [], 0, 1), { grant: 1, urgent: false })
  })

  it('makes it wait for the window after a grant, then grants it', () => {
    assert.deepEqual(nextTurn([waiter(1, 0, 600_000)], [{ atMs: 500, urgent: true }], 900, 1), { wakeAtMs: 1500 })
    assert.deepEqual(nextTurn([waiter(1, 0, 600_000)], [{ atMs: 500, urgent: true }], 1500, 1), { grant: 1, urgent: false })
  })

  it('wakes for the earliest due video when none is due yet', () => {
    assert.deepEqual(nextTurn([waiter(1, 3000, 600_000), waiter(2, 2000)], [], 0, 1), { wakeAtMs: 2000 })
  })
})
