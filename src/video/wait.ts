import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import type { Generation, WaitSettings } from '../domain.js'
import { ApiError, LostError, RenderError, StalledError } from '../errors.js'
import { estimateRemainingMs, nextPollDelayMs, type Sample } from './policy.js'
import { PollScheduler } from './poll-scheduler.js'
import { formatMinutes } from '../text.js'
import { withDeadline } from '../waits.js'

/**
 * How long a key the API says it does not know is given (at most stall-timeout) before the render is
 * declared lost: right after an export the API may not know it yet.
 */
const NOT_FOUND_GRACE_MS = 60_000
/** Progress polls at 100 without a URL before the export's record is asked for one. */
const URL_LAG_POLLS = 3
/**
 * Progress answers in a row that say nothing readable (a 2xx without a figure, a list for data) before
 * the wait gives up on them: one odd answer does not end a render that is still going.
 */
const MAX_UNREADABLE_ANSWERS = 5
/** A line is logged at least this often while progress stands still, so the log shows life. */
const HEARTBEAT_MS = 60_000

export interface Rendered {
  downloadUrl: string
  polls: number
}

const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.notFound
/** A 2xx answer that could not be read as progress. */
const isUnreadable = (error: unknown): boolean => error instanceof ApiError && error.status >= 200 && error.status < 300 && !error.notFound

/**
 * Polls the render until it is done and carries a download URL, within the timeout and stall bounds.
 * Progress at 0% may be the API's queue (1 to 10 minutes by its docs): only `timeout` bounds it; the
 * stall clock starts once progress has moved above 0.
 */
export async function waitForVideo(
  client: AiStudiosClient,
  key: string,
  generation: Generation,
  settings: WaitSettings,
  context: CallContext,
  /** Another place to find the URL (the v3 export record) when progress reached 100 without one. */
  fallbackUrl?: (context: CallContext) => Promise<string | undefined>,
  /** When `timeout` started counting: when the export was sent (its answer counts too), else now. */
  started = Date.now(),
  /** The job's one poll budget, shared by all its videos; alone, a video has one of its own. */
  scheduler = new PollScheduler(),
  /**
   * Whether this run made the export just now: only then may the API not know its key for a while. A key
   * the user resumes was made long ago, so an unknown one ends the wait at once.
   */
  justExported = true
): Promise<Rendered> {
  const { log } = context
  // `timeout` is a deadline, not a check between polls: it cuts a progress answer trickling in too.
  const { deadline, signal } = withDeadline(started + settings.timeoutMs - Date.now(), context.signal)
  const bounded: CallContext = { signal, log }
  const samples: Sample[] = []
  let polls = 0
  let lastChangeAt = 0
  /** Whether progress has ever been above 0: before that the render may only be queued, never stalled. */
  let begun = false
  let lastLogAt = -Infinity
  let notFoundSince: number | undefined
  let state: string | undefined
  let pollsAt100 = 0
  let unreadable = 0
  const notFoundGraceMs = Math.min(NOT_FOUND_GRACE_MS, settings.stallTimeoutMs)
  const timedOut = (): RenderError =>
    new RenderError(
      `Timed out after ${formatMinutes(Date.now() - started)} waiting for the render of ${key} ('timeout' is ` +
        `${formatMinutes(settings.timeoutMs)}); ` +
        (begun
          ? `last progress ${samples.at(-1)?.progress ?? 0}%`
          : 'progress never moved above 0%: the render may still be queued (the API gives 1 to 10 minutes depending on its queue) and may yet finish')
    )

  // Grouped for one video; in a batch each line is labelled instead (groups cannot interleave).
  return context.log.group(`Waiting for the render of ${key}`, async () => {
    try {
      return await poll()
    } catch (error) {
      throw deadline.aborted && !context.signal?.aborted ? timedOut() : error
    }
  })

  async function poll(): Promise<Rendered> {
    await scheduler.turn(0, undefined, signal)
    for (;;) {
      const now = (): number => Date.now() - started
      polls++
      try {
        const answer = await client.getProgress(key, generation, bounded)
        notFoundSince = undefined
        unreadable = 0
        const at = now()
        const previous = samples[samples.length - 1]
        samples.push({ atMs: at, progress: answer.progress })
        const moved = !previous || previous.progress !== answer.progress
        if (moved) lastChangeAt = at
        if (answer.progress > 0) begun = true
        if (answer.state !== undefined && answer.state !== state) {
          state = answer.state
          log.info(`State: ${state}`)
        }
        // 'exported' is the one documented state, and means done; else progress at 100 does.
        const done = answer.progress >= 100 || answer.state === 'exported'
        if (done) pollsAt100++
        // The URL can trail progress; after a few polls without it, the export's record may have it.
        const url = answer.downloadUrl ?? (done && pollsAt100 >= URL_LAG_POLLS ? await fallbackUrl?.(bounded) : undefined)
        if (done && url) {
          log.info(`Rendered in ${(at / 1000).toFixed(1)} s (${polls} progress checks)`)
          return { downloadUrl: url, polls }
        }
        if (moved || at - lastLogAt >= HEARTBEAT_MS) {
          const extra = answer.progress >= 100 ? ', waiting for the download URL' : begun ? '' : ', not started yet (it may be queued)'
          log.progress(answer.progress, `${answer.progress.toFixed(1)}% after ${(at / 1000).toFixed(0)} s${extra}`)
          lastLogAt = at
        }
      } catch (error) {
        if (isUnreadable(error) && ++unreadable < MAX_UNREADABLE_ANSWERS) {
          log.warning(`${(error as Error).message}; asking again at the next check (${unreadable} such answer(s) in a row)`)
        } else {
          if (!isNotFound(error)) throw error
          if (!justExported) {
            throw new Error(
              `The API does not know export ${key} (${(error as Error).message}): check that 'resume' holds a key this account ` +
                'exported (one from another account or API host, or one deleted since, is unknown); nothing was exported',
              { cause: error }
            )
          }
          notFoundSince ??= now()
          if (now() - notFoundSince >= notFoundGraceMs) {
            throw new LostError(
              `The API no longer knows export ${key} (${(error as Error).message}) after ${formatMinutes(now() - notFoundSince)} of asking: ` +
                'the render was lost on the server side, and a re-run attempt exports anew'
            )
          }
          log.info(`The API does not know ${key} yet; trying again`)
        }
      }
      // While the key is not found, the grace period above is the bound, with its own message.
      const stalling = notFoundSince === undefined && begun
      if (stalling && now() - lastChangeAt >= settings.stallTimeoutMs) {
        throw new StalledError(
          `The render of ${key} stalled: progress stayed at ${samples.at(-1)?.progress ?? 0}% for ` +
            `${formatMinutes(now() - lastChangeAt)} after it had started ('stall-timeout' is ${formatMinutes(settings.stallTimeoutMs)}); ` +
            'the API reports no failed state, so it is taken for dead and a re-run attempt exports anew'
        )
      }
      if (now() >= settings.timeoutMs) throw timedOut()
      const last = samples.at(-1)
      await scheduler.turn(
        nextPollDelayMs({
          samples,
          nowMs: now(),
          floorMs: settings.pollFloorMs,
          // Wake for whichever bound comes first, so none is overshot by a long sleep.
          deadlineMs: Math.min(
            settings.timeoutMs,
            notFoundSince !== undefined ? notFoundSince + notFoundGraceMs : begun ? lastChangeAt + settings.stallTimeoutMs : settings.timeoutMs
          )
        }),
        // Nearest its finish polls first; one done and waiting for its URL is as near as can be.
        last && last.progress >= 100 ? 0 : estimateRemainingMs(samples, now()),
        signal
      )
    }
  }
}
