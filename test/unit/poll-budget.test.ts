import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { POLLS_PER_SECOND, URGENT_MS, nextTurn, type Grant, type Waiter } from '../../src/video/poll-budget.ts'

const waiter = (id: number, dueAtMs: number, finishAtMs?: number): Waiter => ({ id, dueAtMs, finishAtMs })
/** A poll granted at `atMs` to a video far from its finish, or (hot) to one near it. */
const calm = (atMs: number): Grant => ({ atMs, urgent: false })
const hot = (atMs: number): Grant => ({ atMs, urgent: true })

/**
 * Runs the policy on a simulated clock: each granted video asks again `everyMs` later (as a video
 * polling at the floor does). Returns each grant as [time, id].
 */
function simulate(waiters: Waiter[], untilMs: number, everyMs = 1000): Array<[number, number, boolean]> {
  const grants: Array<[number, number, boolean]> = []
  const queue = [...waiters]
  for (let now = 0; now <= untilMs;) {
    const turn = nextTurn(
      queue,
      grants.map(([atMs, , urgent]) => ({ atMs, urgent })),
      now
    )
    if (turn.grant === undefined) {
      assert.ok(turn.wakeAtMs !== undefined && turn.wakeAtMs > now, 'it wakes later, never now, when it grants nothing')
      now = turn.wakeAtMs
      continue
    }
    grants.push([now, turn.grant, turn.urgent ?? false])
    const granted = queue.findIndex((w) => w.id === turn.grant)
    queue[granted] = { ...queue[granted], dueAtMs: now + everyMs }
  }
  return grants
}

describe('nextTurn: one poll budget per job', () => {
  it(`never grants more than ${POLLS_PER_SECOND} polls in any second, however many videos wait`, () => {
    const grants = simulate(
      Array.from({ length: 20 }, (_, i) => waiter(i, 0, i % 2 ? 2000 : undefined)),
      60_000
    )
    for (const [at] of grants) assert.ok(grants.filter(([other]) => other >= at && other < at + 1000).length <= POLLS_PER_SECOND)
    assert.ok(grants.length >= 100, `it uses the budget it has (${grants.length} polls in 60 s)`)
  })

  it('gives the turn to the video nearest its finish', () => {
    const turn = nextTurn([waiter(1, 0, 60_000), waiter(2, 0), waiter(3, 0, 3000), waiter(4, 0, 9000)], [], 0)
    assert.equal(turn.grant, 3)
  })

  it('keeps the last slot of a second for a video about to finish', () => {
    const far = waiter(1, 0, 60_000)
    assert.deepEqual(nextTurn([far], [calm(-200)], 0), { wakeAtMs: 800 }, 'the far ones have one slot a second')
    assert.deepEqual(nextTurn([far, waiter(2, 0, 0)], [calm(-200)], 0), { grant: 2, urgent: true }, 'one waiting for its URL takes the other')
    assert.equal(nextTurn([far, waiter(2, 0, URGENT_MS)], [calm(-200)], 0).grant, 2, 'and so does one due to finish soon')
    assert.deepEqual(nextTurn([far], [calm(-1200)], 0), { grant: 1, urgent: false }, 'with the second free, the far one polls at once')
    assert.equal(nextTurn([far], [hot(-200)], 0).grant, 1, "an urgent poll does not take the far ones' slot")
    assert.equal(nextTurn([waiter(3, 0)], [calm(-200)], 0).grant, 3, 'nor is a video with no estimate yet held back')
    assert.deepEqual(nextTurn([far, waiter(2, 0, 0)], [hot(-300), hot(-200)], 0), { wakeAtMs: 700 }, 'the budget bounds the urgent ones too')
  })

  it('wakes when the next poll is due or when an urgent one may take the kept slot', () => {
    assert.deepEqual(nextTurn([waiter(1, 700, 60_000)], [], 0), { wakeAtMs: 700 })
    assert.deepEqual(nextTurn([waiter(1, 0, 60_000), waiter(2, 300, 1000)], [calm(-200)], 0), { wakeAtMs: 300 })
    assert.deepEqual(nextTurn([waiter(1, 0, 0), waiter(2, 0, 0)], [calm(-900), hot(-100)], 0), { wakeAtMs: 100 })
    assert.deepEqual(nextTurn([], [], 0), {})
  })

  it('lets a video kept waiting long enough go before one just due, so none waits for ever', () => {
    assert.equal(nextTurn([waiter(1, 0), waiter(2, 6000, 6000)], [], 6000).grant, 1)
    assert.equal(nextTurn([waiter(1, 5000), waiter(2, 6000, 6000)], [], 6000).grant, 2)
  })

  it('with polls to spare, lets a video whose URL exists poll within a second of asking', () => {
    // Ten videos far from their finish poll as often as they may; one done and waiting for its URL asks every second.
    const waiters = [...Array.from({ length: 10 }, (_, i) => waiter(i, 0, 600_000)), waiter(99, 0, 0)]
    const grants = simulate(waiters, 30_000)
    const urgent = grants.filter(([, id]) => id === 99).map(([at]) => at)
    const gaps = urgent.slice(1).map((at, i) => at - urgent[i])
    assert.ok(Math.max(...gaps) <= 1000 + 1, `its polls were at most a second apart: ${gaps.join(', ')}`)
    assert.ok(grants.length > urgent.length * 1.5, 'the others polled too')
  })
})
