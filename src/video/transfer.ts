import * as fs from 'node:fs'
import { util, type Dispatcher } from 'undici'
import { abortReason } from '../waits.js'

type ResponseHeaders = Record<string, string | string[] | undefined>

export interface Response {
  statusCode: number
  headers: ResponseHeaders
}

/** Where a response's body goes: into a file (appended to, or written from the start). */
export interface FileTarget {
  path: string
  append: boolean
}

export interface TransferOptions {
  headers: Record<string, string>
  signal?: AbortSignal
  /** Chooses, once the headers are in, the file the body goes to; without one it is read and dropped. */
  target: (response: Response) => FileTarget | undefined
  /** Bytes that reached the file, as each write lands. */
  onWritten: (count: number) => void
  /** The most the body may carry: refused at once when its stated length is more, else as soon as it passes. */
  maxBytes?: number
}

/** The file could not be written (disk full, no permission): no transfer again would help. */
export class FileWriteError extends Error {
  constructor(file: string, cause: unknown) {
    super(`Could not write the video to ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'FileWriteError'
  }
}

/** A body larger than the transfer may carry: stopped, and not worth trying again. */
export class TooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`)
    this.name = 'TooLargeError'
  }
}

/**
 * Received bytes held in memory before the socket pauses. About 1 MiB keeps each write's bytes still
 * in the CPU's cache; larger batches measured slower (bench/RESULTS.md).
 */
const HIGH_WATER_BYTES = 1 << 20

/**
 * Writes what it is given in arrival order, batching whatever arrives while a write is under way into
 * one writev. It opens and closes its file itself, closing only after the last write landed: the
 * descriptor is never closed (and perhaps reused) beneath a write, and the file is final once
 * close() settles.
 */
class FileWriter {
  private readonly fd: number
  private pending: Buffer[] = []
  private pendingBytes = 0
  private writing = false
  private full = false
  private failure: Error | undefined
  private landed: (() => void) | undefined

  constructor(
    private readonly target: FileTarget,
    private readonly onWritten: (count: number) => void,
    private readonly onDrained: () => void,
    private readonly onFailed: (error: Error) => void
  ) {
    try {
      this.fd = fs.openSync(target.path, target.append ? 'a' : 'w')
    } catch (error) {
      throw new FileWriteError(target.path, error)
    }
  }

  /** False when the sender should pause until onDrained is called. */
  push(chunk: Buffer): boolean {
    if (this.failure) return true
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    this.flush()
    this.full = this.pendingBytes >= HIGH_WATER_BYTES
    return !this.full
  }

  /** Waits for every write to land, then closes the file; rejects with a write's failure. */
  async close(): Promise<void> {
    if (this.writing) await new Promise<void>((resolve) => (this.landed = resolve))
    await new Promise<void>((resolve, reject) =>
      fs.close(this.fd, (error) => (error ? reject(new FileWriteError(this.target.path, error)) : resolve()))
    )
    if (this.failure) throw this.failure
  }

  private flush(): void {
    if (this.writing || this.failure || this.pending.length === 0) return
    const buffers = this.pending
    const bytes = this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    this.writing = true
    fs.writev(this.fd, buffers, (error, count) => {
      this.writing = false
      if (error || count === 0) {
        this.failure = new FileWriteError(this.target.path, error ?? `wrote 0 of ${bytes} bytes (is the disk full?)`)
        this.onFailed(this.failure)
      } else {
        // A short write is no failure yet: the rest is written next, and a real one (EFBIG, ENOSPC) says why.
        if (count < bytes) {
          const rest = Buffer.concat(buffers).subarray(count)
          this.pending.unshift(rest)
          this.pendingBytes += rest.length
        }
        this.onWritten(count)
        this.flush()
        if (this.full && this.pendingBytes < HIGH_WATER_BYTES) {
          this.full = false
          this.onDrained()
        }
      }
      if (!this.writing) this.landed?.()
    })
  }
}

/**
 * One GET through undici's handler interface, the body going from the socket straight into a file
 * with no stream in between: measured 1.3–1.7× the throughput of request() piped into a Writable
 * (bench/RESULTS.md), which matters on a two-core runner where the copy competes with everything else.
 * Resolves with the response once its body is on disk; rejects when the transfer or a write fails,
 * after the file was closed, so what is on disk is final.
 */
export function transfer(dispatcher: Dispatcher, url: string, options: TransferOptions): Promise<Response> {
  const { signal } = options
  const { origin, pathname, search } = new URL(url)
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    let abort: ((error?: Error) => void) | undefined
    let resume: (() => void) | undefined
    let response: Response | undefined
    let writer: FileWriter | undefined
    let received = 0
    const maxBytes = options.maxBytes ?? Infinity
    const onAbort = (): void => {
      if (!signal) return
      // Not connected yet (a handshake that hangs): undici could not cut it now, so it is left behind.
      if (abort) abort(abortReason(signal))
      else settle(abortReason(signal))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    let settled = false
    const settle = (error?: Error): void => {
      // undici ends a request once; the guard keeps the file from being closed twice whatever happens.
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      void (writer?.close() ?? Promise.resolve()).then(
        () => (error ? reject(error) : resolve(response as Response)),
        (writeError: Error) => reject(error ?? writeError)
      )
    }
    dispatcher.dispatch(
      { origin, path: pathname + search, method: 'GET', headers: options.headers },
      {
        onConnect(abortRequest) {
          abort = abortRequest
          if (signal?.aborted) abortRequest(abortReason(signal))
        },
        onHeaders(statusCode, rawHeaders, resumeRequest) {
          resume = resumeRequest
          if (statusCode < 200) return true
          response = { statusCode, headers: util.parseHeaders(rawHeaders) }
          if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
            abort?.(new TooLargeError(maxBytes))
            return true
          }
          const target = options.target(response)
          if (target) {
            try {
              writer = new FileWriter(
                target,
                options.onWritten,
                () => resume?.(),
                (error) => abort?.(error)
              )
            } catch (error) {
              abort?.(error as Error)
            }
          }
          return true
        },
        onData(chunk) {
          received += chunk.length
          if (received > maxBytes) {
            abort?.(new TooLargeError(maxBytes))
            return true
          }
          return writer ? writer.push(chunk) : true
        },
        onComplete() {
          settle()
        },
        onError(error) {
          settle(error)
        }
      }
    )
  })
}
