import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Dispatcher } from 'undici'
import { createAgent } from '../aistudios/transport.js'
import type { Downloaded, Log, Mp4Facts } from '../domain.js'
import { errorMessage } from '../errors.js'
import { formatBytes } from '../text.js'
import { sleep } from '../waits.js'
import { collectAsBytesMove } from '../memory.js'
import { videoFileName } from './filename.js'
import { NotMp4Error, readMp4Facts } from './mp4.js'
import { WriteError } from '../write-file.js'
import { FileWriteError, TooLargeError, transfer, type Response } from './transfer.js'
import { MAX_REDIRECTS, RefusedAddressError, guardedLookup, refusedUrl } from './url-policy.js'

export interface DownloadOptions {
  outputDir: string
  /** The file's name, when chosen by the user; otherwise taken from the URL. */
  fileName?: string
  /** Names the file when the URL gives no usable name (the export key). */
  fallbackStem: string
  /** The idle bound between two parts of the body (and the bound on connecting and on the headers). */
  requestTimeoutMs: number
  /** The most bytes a video may have (`max-video-size`): what bounds a body without a Content-Length, or one that never ends. */
  maxBytes: number
  /** Whether the video may come from loopback: only when the API itself is there (tests, a local simulator). */
  allowLoopback: boolean
  /** Asks the API for a fresh download URL when the signed one expired or was refused. */
  refreshUrl: () => Promise<string>
  log: Log
  signal?: AbortSignal
  /** Told once, when the video's bytes first come: what is not the video waits until then. */
  onReceiving?: () => void
}

/** Tries in all, counting resumed and restarted transfers. */
const MAX_TRANSFERS = 6
/** Fresh URLs asked for after a 403/404/410 from the CDN. */
const MAX_REFRESHES = 2
/** Downloads started over after a file that is no whole MP4 (an error page, a cut render). */
const MAX_REFETCHES = 2

/**
 * No Authorization header is ever set here, redirects are followed by hand, each checked, and every
 * connection's address is checked again as it is made (url-policy.ts).
 */
export function createDownloadDispatcher(timeoutMs: number, allowLoopback: boolean): Dispatcher {
  return createAgent(timeoutMs, guardedLookup(allowLoopback))
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** The API's download URL, once checked: where it may not be fetched from, it fails at once naming why. */
async function checkedApiUrl(url: string, allowLoopback: boolean): Promise<string> {
  const refused = await refusedUrl(new URL(assertHttp(url)), allowLoopback)
  if (refused) throw new Error(`The API gave a download URL that was not fetched: ${refused}`)
  return url
}

/** Where a redirect points, once checked; throws naming why it is not followed. */
async function redirectTarget(response: Response, from: string, hops: number, allowLoopback: boolean): Promise<string> {
  if (hops >= MAX_REDIRECTS) throw new Error(`Download failed: the video URL redirected more than ${MAX_REDIRECTS} times in a row`)
  const location = header(response, 'location')
  let next: URL
  try {
    next = new URL(location ?? '', from)
  } catch {
    throw new Error(`Download failed: the video URL answered HTTP ${response.statusCode} with no usable Location`)
  }
  const refused = location ? await refusedUrl(next, allowLoopback) : 'it names no place'
  if (refused) throw new Error(`Download failed: the video URL redirected where it is not followed (${refused})`)
  return next.href
}

/** The first free name: an existing file is never overwritten. */
export function freePath(dir: string, name: string, log: Log): string {
  const ext = path.extname(name)
  const stem = name.slice(0, name.length - ext.length)
  let candidate = path.join(dir, name)
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${stem}-${n}${ext}`)
  if (candidate !== path.join(dir, name)) log.warning(`${name} already exists in ${dir}; saving as ${path.basename(candidate)}`)
  return candidate
}

/** The API's download URLs are fetched over http(s) only: a `file:` or other scheme fails at once, naming it. */
function assertHttp(url: string): string {
  let protocol: string
  try {
    protocol = new URL(url).protocol
  } catch {
    throw new Error('The API gave a download URL that is not a URL; it was not fetched')
  }
  if (protocol !== 'https:' && protocol !== 'http:')
    throw new Error(`The API gave a download URL with the scheme ${protocol}, not http(s); it was not fetched`)
  return url
}

/** The connect-time refusal inside an error undici may have wrapped, if that is what it is. */
function refusedAddress(error: unknown): RefusedAddressError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) if (e instanceof RefusedAddressError) return e
  return undefined
}

const header = (response: Response, name: string): string | undefined => {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Whether an answer carries the video from the start (200) or from `size`, as a resume asked (206). */
function carriesVideo(response: Response, size: number): boolean {
  if (response.statusCode === 200) return true
  return response.statusCode === 206 && size > 0 && header(response, 'content-range')?.startsWith(`bytes ${size}-`) === true
}

/** The video's whole length as the answer states it, when it does. */
function totalLength(response: Response): number | undefined {
  const stated = response.statusCode === 206 ? header(response, 'content-range')?.split('/')[1] : header(response, 'content-length')
  const total = Number(stated ?? NaN)
  return Number.isFinite(total) ? total : undefined
}

/**
 * Streams the video to a temporary file beside its final name (flat memory whatever its size), checks
 * its length and that it is an MP4, then renames it: a partial file never sits under the final name.
 * A cut transfer resumes with Range where the CDN allows, else restarts, within a bound.
 */
export async function downloadVideo(initialUrl: string, options: DownloadOptions): Promise<Downloaded> {
  const { outputDir, signal, log, allowLoopback } = options
  await checkedApiUrl(initialUrl, allowLoopback)
  fs.mkdirSync(outputDir, { recursive: true })
  const name = options.fileName ?? videoFileName(initialUrl, options.fallbackStem)
  const partial = path.join(outputDir, `.${name}.${process.pid}.part`)
  const dispatcher = createDownloadDispatcher(options.requestTimeoutMs, allowLoopback)
  let url = initialUrl
  let refreshes = 0
  let hops = 0
  let refetches = 0
  let mp4: Mp4Facts | undefined
  let size = 0
  let expected: number | undefined
  const onWritten = collectAsBytesMove()
  fs.rmSync(partial, { force: true })

  try {
    for (let attempt = 1; ; attempt++) {
      if (attempt > MAX_TRANSFERS) {
        throw new Error(`Download failed: ${MAX_TRANSFERS} transfers ended early (have ${size} of ${expected ?? '?'} bytes)`)
      }
      let writing = false
      let response: Response
      try {
        response = await transfer(dispatcher, url, {
          headers: size > 0 ? { Range: `bytes=${size}-` } : {},
          signal,
          target: (answer) => {
            writing = carriesVideo(answer, size)
            if (writing) options.onReceiving?.()
            return writing ? { path: partial, append: answer.statusCode === 206 } : undefined
          },
          onWritten,
          // What is on disk already counts: a resumed transfer may carry only the rest.
          maxBytes: options.maxBytes - size
        })
      } catch (error) {
        if (error instanceof TooLargeError) {
          throw new Error(
            `Download stopped: the video is larger than 'max-video-size' (${formatBytes(options.maxBytes)}); nothing was kept. ` +
              "If the video really is this large, raise 'max-video-size'",
            { cause: error }
          )
        }
        if (signal?.aborted || error instanceof FileWriteError) throw error
        const refusal = refusedAddress(error)
        if (refusal) throw new Error(`Download failed: the video URL was not fetched: ${refusal.message}`, { cause: error })
        if (!writing) {
          log.warning(`Download: ${errorMessage(error)}; trying again`)
          await sleep(1000 * attempt, signal)
          continue
        }
        // The file on disk is what the next transfer resumes from.
        size = fs.statSync(partial).size
        log.warning(`Download cut off after ${size} bytes (${errorMessage(error)}); resuming`)
        continue
      }
      const status = response.statusCode
      if (REDIRECTS.has(status)) {
        url = await redirectTarget(response, url, hops++, allowLoopback)
        continue
      }
      hops = 0
      if ([401, 403, 404, 410].includes(status)) {
        if (refreshes >= MAX_REFRESHES) throw new Error(`Download failed: the video URL answered HTTP ${status} even after ${refreshes} fresh URLs`)
        refreshes++
        log.warning(`Download: the video URL answered HTTP ${status} (expired or refused); asking the API for a fresh one`)
        url = await checkedApiUrl(await options.refreshUrl(), allowLoopback)
        continue
      }
      if (status >= 500 || status === 429) {
        log.warning(`Download: HTTP ${status}; trying again`)
        await sleep(1000 * attempt, signal)
        continue
      }
      if (!writing) {
        if (status === 206 || status === 416) {
          // The CDN does not resume the way we asked: start over.
          size = 0
          continue
        }
        throw new Error(`Download failed: the video URL answered HTTP ${status}`)
      }
      if (status === 200 && size > 0) log.info('Download: the server does not resume transfers; started over')
      expected = totalLength(response) ?? expected
      size = fs.statSync(partial).size
      if (expected !== undefined && size < expected) {
        log.warning(`Download ended at ${size} of ${expected} bytes; resuming`)
        continue
      }
      if (expected !== undefined && size > expected) throw new Error(`Download failed: got ${size} bytes, expected ${expected}`)
      // Whole by its length, but is it a video? An error page or a cut render is fetched again, a bounded number of times.
      try {
        mp4 = readMp4Facts(partial)
        break
      } catch (error) {
        if (!(error instanceof NotMp4Error) || refetches >= MAX_REFETCHES)
          throw new Error(`${errorMessage(error)}; it was not kept`, { cause: error })
        refetches++
        log.warning(`Download: ${errorMessage(error)}; fetching it again`)
        size = 0
        expected = undefined
        fs.rmSync(partial, { force: true })
        await sleep(1000 * refetches, signal)
      }
    }
    const final = freePath(outputDir, name, log)
    fs.renameSync(partial, final)
    return { path: final, size, mp4 }
  } catch (error) {
    // Named as the video's file, not its partial one, which is removed below.
    if (error instanceof FileWriteError) throw new WriteError(path.join(outputDir, name), error.cause, 'the video')
    throw error
  } finally {
    fs.rmSync(partial, { force: true })
    // Whatever is left (a connect that hangs) was given up: it is destroyed, not waited for.
    await dispatcher.destroy()
  }
}
