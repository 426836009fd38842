import { abortReason } from '../waits.js'
import { nextTurn, POLLS_PER_SECOND, WINDOW_MS, type Grant, type Waiter } from './poll-budget.js'

interface Pending extends Waiter {
  resolve: () => void
}

/**
 * The job's one poll budget at work (poll-budget.ts decides): each video asks for its turn before a
 * progress call, and is let go when its own delay has passed and the job's budget allows.
 */
export class PollScheduler {
  private readonly pending = new Map<number, Pending>()
  private grants: Grant[] = []
  private nextId = 0
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly perSecond = POLLS_PER_SECOND) {}

  /**
   * Resolves when the caller may poll: not before `delayMs` from now, and within the budget. `finishInMs`
   * is its render's estimated time left (undefined while unknown), which orders the queue.
   */
  turn(delayMs: number, finishInMs: number | undefined, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal))
      const now = Date.now()
      const id = this.nextId++
      const onAbort = (): void => {
        this.pending.delete(id)
        this.schedule()
        if (signal) reject(abortReason(signal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.pending.set(id, {
        id,
        dueAtMs: now + delayMs,
        finishAtMs: finishInMs === undefined ? undefined : now + finishInMs,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      })
      this.schedule()
    })
  }

  /** Grants every turn the budget allows now, and sets one timer for the next look. */
  private schedule(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    for (;;) {
      const now = Date.now()
      this.grants = this.grants.filter((grant) => grant.atMs > now - WINDOW_MS)
      const { grant, urgent = false, wakeAtMs } = nextTurn([...this.pending.values()], this.grants, now, this.perSecond)
      if (grant === undefined) {
        if (wakeAtMs !== undefined) this.timer = setTimeout(() => this.schedule(), Math.max(0, wakeAtMs - now))
        return
      }
      const granted = this.pending.get(grant) as Pending
      this.pending.delete(grant)
      this.grants.push({ atMs: now, urgent })
      granted.resolve()
    }
  }
}
