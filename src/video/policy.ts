/** When to poll next: a pure function of what the progress curve has shown so far. */

export interface Sample {
  /** Milliseconds since the wait began. */
  atMs: number
  progress: number
}

export interface PollState {
  samples: readonly Sample[]
  nowMs: number
  /** Never poll more often than this (the `poll-interval` input; 1 s for `auto`). */
  floorMs: number
  /** The wait ends here (the `timeout` input): never sleep past it. */
  deadlineMs: number
}

/** Sparse polling never waits longer than this, so a render that finishes early is seen soon. */
export const MAX_INTERVAL_MS = 15_000
/**
 * Within this many floor intervals of the estimated finish, the next poll is aimed past it. Three,
 * not two: halving from 2–3 s left cost one more call than the tutorials' 3 s loop at 20 s renders.
 */
const AIM_FLOORS = 3
/** How long after the estimated finish the last poll lands, to be past it rather than just before. */
const END_MARGIN_MS = 250
/** The progress curve is judged over this much recent time; older samples say little about the end. */
const WINDOW_MS = 120_000

/** Samples since progress last went backwards (a restarted render), within the window. */
function recent(samples: readonly Sample[]): readonly Sample[] {
  let start = 0
  for (let i = 1; i < samples.length; i++) if (samples[i].progress < samples[i - 1].progress) start = i
  const last = samples[samples.length - 1]
  while (start < samples.length - 2 && last.atMs - samples[start].atMs > WINDOW_MS) start++
  return samples.slice(start)
}

/**
 * Milliseconds until the remaining work is done at the recent rate, or undefined if the curve has not
 * moved. Progress is a float that need not move smoothly, so the rate is taken across the window.
 */
export function estimateRemainingMs(samples: readonly Sample[], nowMs: number): number | undefined {
  const window = recent(samples)
  if (window.length < 2) return undefined
  const first = window[0]
  const last = window[window.length - 1]
  const rate = (last.progress - first.progress) / (last.atMs - first.atMs)
  if (!(rate > 0)) return undefined
  return Math.max(0, (100 - last.progress) / rate - (nowMs - last.atMs))
}

/**
 * Poll sparsely early and densely near the estimated end: sleeping half the estimated remaining time
 * converges on the finish in few requests; once it is within three floor intervals, the next poll is
 * aimed just past the estimated finish. Where the estimate is off, polling goes on at the floor.
 */
export function nextPollDelayMs({ samples, nowMs, floorMs, deadlineMs }: PollState): number {
  const last = samples[samples.length - 1]
  let delay: number
  if (!last || last.progress >= 100) {
    // Nothing known yet, or done and waiting for the download URL (it can lag a few polls).
    delay = floorMs
  } else {
    const remaining = estimateRemainingMs(samples, nowMs)
    // Without a rate, back off with the time already waited: a quick render is still caught early.
    if (remaining === undefined) delay = nowMs / 4
    else delay = remaining <= AIM_FLOORS * floorMs ? remaining + END_MARGIN_MS : remaining / 2
  }
  delay = Math.min(Math.max(delay, floorMs), Math.max(MAX_INTERVAL_MS, floorMs))
  return Math.max(0, Math.min(delay, deadlineMs - nowMs))
}
