/**
 * One poll budget per job, as a pure function: which waiting video polls next, and when. Every video of
 * a job asks here before each progress call, so the job as a whole stays polite however many videos
 * wait at once (the API documents no rate limit; its tutorials poll every 3 to 60 s).
 */

/** Progress calls per second for the whole job, whatever `max-parallel` is. */
export const POLLS_PER_SECOND = 2
/** The budget is counted over any window this long. */
export const WINDOW_MS = 1000
/** A video this close to its estimated finish (or done and waiting for its URL) is urgent. */
export const URGENT_MS = 5000
/** A video with no estimate yet ranks as if it finished this far off. */
const UNKNOWN_FINISH_MS = 15_000
/** Each millisecond a poll is overdue counts as this many nearer the finish, so none waits for ever. */
const AGING = 4

export interface Waiter {
  id: number
  /** When the video wants its next poll (its own policy's delay). */
  dueAtMs: number
  /** When its render is estimated to finish; undefined while there is no estimate. */
  finishAtMs: number | undefined
}

/** A poll granted: when, and whether its video was urgent then. */
export interface Grant {
  atMs: number
  urgent: boolean
}

/** Grant `grant` now (urgent or not), or, with nothing to grant, look again at `wakeAtMs`. */
export interface Turn {
  grant?: number
  urgent?: boolean
  wakeAtMs?: number
}

/** Time to the finish, capped: far ones rank alike, and waiting soon outweighs the difference. */
const finishInMs = (waiter: Waiter, nowMs: number): number =>
  waiter.finishAtMs === undefined ? UNKNOWN_FINISH_MS : Math.min(UNKNOWN_FINISH_MS, Math.max(0, waiter.finishAtMs - nowMs))

/** Not known to be far from its finish: near it, done and waiting for its URL, or with no estimate yet. */
const isUrgent = (waiter: Waiter, nowMs: number): boolean => waiter.finishAtMs === undefined || waiter.finishAtMs - nowMs <= URGENT_MS

/** Lower goes first: nearest its finish, less the time it has been kept waiting. */
const rank = (waiter: Waiter, nowMs: number): number => finishInMs(waiter, nowMs) - AGING * (nowMs - waiter.dueAtMs)

/**
 * The next turn: among the videos whose poll is due and for which the last second's calls leave room,
 * the one nearest its finish. Videos known to be far from their finish share one slot a second fewer
 * than the budget, so one about to finish never waits behind the others' sparse early polls.
 */
export function nextTurn(waiters: readonly Waiter[], grants: readonly Grant[], nowMs: number, perSecond = POLLS_PER_SECOND): Turn {
  const recent = grants.filter((grant) => grant.atMs > nowMs - WINDOW_MS)
  /** When the window holds fewer than `allowed` of these grants again. */
  const roomAt = (of: readonly Grant[], allowed: number): number => {
    const times = of.map((grant) => grant.atMs).sort((a, b) => a - b)
    return times.length < allowed ? nowMs : times[times.length - allowed] + WINDOW_MS
  }
  const anyRoom = roomAt(recent, perSecond)
  const calmRoom =
    perSecond < 2
      ? anyRoom
      : Math.max(
          anyRoom,
          roomAt(
            recent.filter((grant) => !grant.urgent),
            perSecond - 1
          )
        )
  const readyAt = (waiter: Waiter): number => Math.max(waiter.dueAtMs, isUrgent(waiter, Math.max(nowMs, waiter.dueAtMs)) ? anyRoom : calmRoom)
  const ready = waiters.filter((waiter) => readyAt(waiter) <= nowMs)
  if (ready.length === 0) return waiters.length === 0 ? {} : { wakeAtMs: Math.min(...waiters.map(readyAt)) }
  const best = ready.reduce((a, b) => {
    const order = rank(a, nowMs) - rank(b, nowMs)
    return order < 0 || (order === 0 && a.dueAtMs <= b.dueAtMs) ? a : b
  })
  return { grant: best.id, urgent: isUrgent(best, nowMs) }
}
