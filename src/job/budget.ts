import type { VideoSpec } from '../domain.js'
import { InputError } from '../errors.js'

/** The exports a plan of videos would send before reuse: every video but a resumed one (already paid for). */
export const exportsPlanned = (videos: readonly VideoSpec[]): number => videos.filter((video) => video.source.kind !== 'resume').length

/**
 * The refusal `max-videos` calls for when a run would send `count` exports, if it does. A plan's
 * matrix is one run: its jobs each see only their shard, so the plan refuses for all of them (before
 * any reuse is known).
 */
export function budgetRefusal(count: number, max: number | undefined, of: 'run' | 'plan' = 'run'): InputError | undefined {
  if (max === undefined || count <= max) return undefined
  return new InputError(
    'max-videos',
    of === 'plan'
      ? `the plan's matrix would send ${count} exports, more than the ${max} one run may (resumed videos do not count); no matrix was output. ` +
          "Raise 'max-videos', or plan fewer videos ('only-changed', a smaller manifest)"
      : `this run would send ${count} exports, more than the ${max} it may (resumed and reused videos do not count); nothing was exported. ` +
          "Raise 'max-videos', or render fewer videos ('manifest-entry', 'only-changed')"
  )
}

/** What a plan or a dry run says about the exports a run would send, and whether `max-videos` would refuse it. */
export function budgetLine(count: number, max: number | undefined): { text: string; over: boolean } {
  const cap = max === undefined ? '' : ` (max-videos: ${max})`
  return {
    text: `A run would send ${count} export(s)${cap}; resumed videos do not count, nor do videos 'reuse' finds`,
    over: budgetRefusal(count, max) !== undefined
  }
}
