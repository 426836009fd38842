import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import type { Generation, WaitSettings } from '../domain.js'
import { ApiError, RenderError, StalledError } from '../errors.js'
import { estimateRemainingMs, nextPollDelayMs, type Sample } from './policy.js'
import { PollScheduler } from './poll-scheduler.js'

/** How long a key the API says it does not know is given (at most stall-timeout) before the render is declared lost. */
const NOT_FOUND_GRACE_MS = 60_000
/** Progress polls at 100 without a URL before the export's record is asked for one. */
const URL_LAG_POLLS = 3
/** A line is logged at least this often while progress stands still, so the log shows life. */
const HEARTBEAT_MS = 60_000

export interface Rendered {
  downloadUrl: string
  polls: number
}

const isNotFound = (error: unknown): boolean =>
  error instanceof ApiError && (error.status === 404 || error.code === '404' || /not ?found/i.test(error.apiMessage))

const minutes = (ms: number): string => `${(ms / 60_000).toFixed(ms < 600_000 ? 1 : 0)} min`

/** Polls the render until it is done and carries a download URL, within the timeout and stall bounds. */
export async function waitForVideo(
  client: AiStudiosClient,
  key: string,
  generation: Generation,
  settings: WaitSettings,
  context: CallContext,
  /** Another place to find the URL (the v3 export record) when progress reached 100 without one. */
  fallbackUrl?: () => Promise<string | undefined>,
  /** The job's one poll budget, shared by all its videos; alone, a video has one of its own. */
  scheduler = new PollScheduler()
): Promise<Rendered> {
  const { signal, log } = context
  const started = Date.now()
  const samples: Sample[] = []
  let polls = 0
  let lastChangeAt = 0
  let lastLogAt = -Infinity
  let notFoundSince: number | undefined
  let state: string | undefined
  let pollsAt100 = 0
  const notFoundGraceMs = Math.min(NOT_FOUND_GRACE_MS, settings.stallTimeoutMs)

  // Grouped for one video; in a batch each line is labelled instead (groups cannot interleave).
  return context.log.group(`Waiting for the render of ${key}`, async () => {
    await scheduler.turn(0, undefined, signal)
    for (;;) {
      const now = (): number => Date.now() - started
      polls++
      try {
        const answer = await client.getProgress(key, generation, context)
        notFoundSince = undefined
        const at = now()
        const previous = samples[samples.length - 1]
        samples.push({ atMs: at, progress: answer.progress })
        const moved = !previous || previous.progress !== answer.progress
        if (moved) lastChangeAt = at
        if (answer.state !== undefined && answer.state !== state) {
          state = answer.state
          log.info(`State: ${state}`)
        }
        // 'exported' is the one documented state, and means done; else progress at 100 does.
        const done = answer.progress >= 100 || answer.state === 'exported'
        if (done) pollsAt100++
        // The URL can trail progress; after a few polls without it, the export's record may have it.
        const url = answer.downloadUrl ?? (done && pollsAt100 >= URL_LAG_POLLS ? await fallbackUrl?.() : undefined)
        if (done && url) {
          log.info(`Rendered in ${(at / 1000).toFixed(1)} s (${polls} progress checks)`)
          return { downloadUrl: url, polls }
        }
        if (moved || at - lastLogAt >= HEARTBEAT_MS) {
          const extra = answer.progress >= 100 ? ', waiting for the download URL' : ''
          log.progress(answer.progress, `${answer.progress.toFixed(1)}% after ${(at / 1000).toFixed(0)} s${extra}`)
          lastLogAt = at
        }
      } catch (error) {
        if (!isNotFound(error)) throw error
        notFoundSince ??= now()
        if (now() - notFoundSince >= notFoundGraceMs) {
          throw new RenderError(`The API no longer knows export ${key} (${(error as Error).message}): the render was lost on the server side`)
        }
        log.info(`The API does not know ${key} yet; trying again`)
      }
      // While the key is not found, the grace period above is the bound, with its own message.
      if (notFoundSince === undefined && now() - lastChangeAt >= settings.stallTimeoutMs) {
        throw new StalledError(
          `The render of ${key} stalled: progress stayed at ${samples.at(-1)?.progress ?? 0}% for ` +
            `${minutes(now() - lastChangeAt)} ('stall-timeout' is ${minutes(settings.stallTimeoutMs)}). It may still ` +
            'be queued: the API gives 1 to 10 minutes depending on its queue, and reports no failed state'
        )
      }
      if (now() >= settings.timeoutMs) {
        throw new RenderError(
          `Timed out after ${minutes(now())} waiting for the render of ${key} ('timeout' is ` +
            `${minutes(settings.timeoutMs)}); last progress ${samples.at(-1)?.progress ?? 0}%`
        )
      }
      const last = samples.at(-1)
      await scheduler.turn(
        nextPollDelayMs({
          samples,
          nowMs: now(),
          floorMs: settings.pollFloorMs,
          // Wake for whichever bound comes first, so none is overshot by a long sleep.
          deadlineMs: Math.min(
            settings.timeoutMs,
            notFoundSince === undefined ? lastChangeAt + settings.stallTimeoutMs : notFoundSince + notFoundGraceMs
          )
        }),
        // Nearest its finish polls first; one done and waiting for its URL is as near as can be.
        last && last.progress >= 100 ? 0 : estimateRemainingMs(samples, now()),
        signal
      )
    }
  })
}
