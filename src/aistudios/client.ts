import type { Dispatcher } from 'undici'
import { authAnswer, exportAnswer, exportRecordAnswer, savedExportAnswer, progressAnswer, projectAnswer, tokenAnswer } from './answers.js'
import type { ApiConfig, ExportRequest, Generation, JsonObject, Log, Progress } from '../domain.js'
import {
  ApiError,
  AuthError,
  ExportNotSentError,
  ExportUnconfirmedError,
  UnreachableError,
  errorMessage,
  type CredentialInput,
  type HostInput
} from '../errors.js'
import { parseDeletedCount } from './delete-projects.js'
import { parseEnvelope } from './envelope.js'
import { parseLegacyProject, type LegacyProject } from './legacy-project.js'
import { READ_RETRY, attemptsFor, backoffDelayMs, withRetries } from './retry.js'
import { abortReason, sleep, untilCancelled } from '../waits.js'
import { RequestDeadlineError, createAgent, provablyNotSent, send, unreached } from './transport.js'
import { mask } from '../log.js'

/** What each call is told: the run's cancel signal, and where its warnings go (the video's log). */
export interface CallContext {
  signal?: AbortSignal
  log: Log
}

const PREFIX: Record<Generation, string> = { v3: '/api/odin/v3', legacy: '/api/odin' }

const headersWith = (authorization: string): Record<string, string> => ({
  Authorization: authorization,
  'Content-Type': 'application/json',
  Accept: 'application/json'
})

/** What the project record of an export says once it is done. */
export interface ExportRecord {
  state?: string
  /** 0–100 (an Int on this record, by get-project.md). */
  progress?: number
  downloadUrl?: string
  thumbnailUrl?: string
}

/** HTTP 429, or its code in the API's own refusal (not a 5xx, which a gateway may write): the API refused the request unprocessed. */
const isTooManyRequests = (error: ApiError): boolean => error.status === 429 || (error.code === '429' && error.status < 500)

/** Whether an export's failed answer proves the API did not take it: credentials refused, 429, or its own non-5xx `success: false`. */
const provenRefusal = (error: unknown): boolean =>
  error instanceof AuthError || (error instanceof ApiError && (isTooManyRequests(error) || (error.refused && !error.transient)))

const NOT_SENT_IN_TIME = "the render's 'timeout' ran out before it could be sent"

/**
 * The credentials' exchange, waited for only until the export's deadline: it happens before the send,
 * so running out there means nothing was sent. The exchange itself goes on (other videos share it).
 */
function beforeDeadline(authorization: Promise<string>, deadlineAt: number | undefined): Promise<string> {
  if (deadlineAt === undefined) return authorization
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ExportNotSentError(`${NOT_SENT_IN_TIME}: no token came from the exchange of app-id and user-key`)),
      Math.max(0, deadlineAt - Date.now())
    )
  })
  return Promise.race([authorization, late]).finally(() => clearTimeout(timer))
}

/** How many times a POST that provably never left is tried before giving up. */
const NOT_SENT_ATTEMPTS = 3

/**
 * The only place that knows the API's URLs, headers and envelopes. One per job: one connection pool,
 * closed at the end, and one token exchange shared by every video.
 */
export class AiStudiosClient {
  private readonly dispatcher: Dispatcher
  private authorization?: Promise<string>
  /** Aborted by close(): what still runs then (a token exchange nobody waits for, its retries) stops. */
  private readonly closing = new AbortController()
  /** Export requests sent and not yet answered: close() never cuts one. */
  private exportsInFlight = 0

  constructor(private readonly config: ApiConfig) {
    this.dispatcher = createAgent(config.requestTimeoutMs)
  }

  /**
   * Ends the job's calls. What is left then was abandoned (a read past its deadline, a connect that
   * hangs, an exchange nobody waits for) and is destroyed, unless an export is in flight: that one is
   * let finish, as the action itself never cuts an export.
   */
  close(): Promise<void> {
    this.closing.abort(new Error('The API client was closed'))
    return this.exportsInFlight > 0 ? this.dispatcher.close() : this.dispatcher.destroy()
  }

  url(generation: Generation, path: string): URL {
    const base = generation === 'v3' ? this.config.v3Url : this.config.legacyUrl
    return new URL(base.pathname.replace(/\/$/, '') + PREFIX[generation] + path, base)
  }

  /**
   * The method and URL an export request goes to (printed by a dry run): create-and-export
   * (`POST /editor/project`, create-project.md), or a saved project exported as it is
   * (`POST /editor/project/export`, export-project.md, v3 only). A draft is created where a project is,
   * its body saying `isExport: false`.
   */
  exportTarget(request: ExportRequest): { method: 'POST'; url: string } {
    if (request.kind && request.generation !== 'v3') throw new Error(`Only the v3 API takes a ${request.kind} project`)
    return { method: 'POST', url: this.url(request.generation, request.kind === 'saved' ? '/editor/project/export' : '/editor/project').toString() }
  }

  /**
   * Where a draft is opened in AI Studios: the project dashboard, the page create-project.md names for a
   * project saved with `isExport: false`. The docs give no per-project editor address.
   */
  draftUrl(): string {
    return new URL('/dashboard', this.config.v3Url).toString()
  }

  async getProject(projectId: string, context: CallContext): Promise<JsonObject> {
    const call = `Fetching project ${projectId}`
    const data = await this.read(call, 'v3', `/editor/project/${encodeURIComponent(projectId)}`, context)
    const parsed = projectAnswer.safeParse(data)
    if (!parsed.success) throw new ApiError(call, 200, undefined, 'the answer carries no project', false)
    return parsed.data.project
  }

  /** A saved legacy project (the legacy host, `GET /api/odin/editor/project/{key}`), as the legacy tutorial fetches it. */
  async getLegacyProject(key: string, context: CallContext): Promise<LegacyProject> {
    const answer = await this.read(`Fetching legacy project ${key}`, 'legacy', `/editor/project/${encodeURIComponent(key)}`, context)
    return parseLegacyProject(answer, key)
  }

  /**
   * Deletes v3 projects, all in one call (`DELETE /editor/project` takes a list of `ids`); returns how
   * many the API says it removed. Deleting spends nothing and is the same if repeated, so it is retried like a read.
   */
  async deleteProjects(ids: string[], context: CallContext): Promise<number> {
    const url = this.url('v3', '/editor/project')
    const headers = headersWith(await this.authorizationFor(context))
    return parseDeletedCount(await this.retried('Deleting exported projects', url, 'DELETE', headers, JSON.stringify({ ids }), context))
  }

  /** What the v3 project record of a finished export says: its thumbnail and (a fallback) download URL. */
  async getExportRecord(key: string, context: CallContext): Promise<ExportRecord> {
    return exportRecordAnswer.parse(await this.getProject(key, context))
  }

  /** Whether the API accepts the credentials (`GET /auth`, v3): spends nothing, so a dry run can ask. */
  async credentialsAccepted(context: CallContext): Promise<boolean> {
    try {
      const data = await this.read('Checking the credentials', 'v3', '/auth', context)
      return authAnswer.parse(data).isAuthenticated === true
    } catch (error) {
      if (error instanceof AuthError) return false
      throw error
    }
  }

  /**
   * Sends the export: the one call that spends credits. Sent at most once, unless the answer proves
   * the server did not process it: no connection was made, it answered 429 (sent again after
   * Retry-After or a backoff), or it refused an exchanged token with a 401 (sent once more with a new
   * token). Returns the key to poll, and the credits the answer says it cost.
   * `context.signal` is the only thing that may cut the request once sent (the runner's cancel);
   * `stop` (the run's own, such as fail-fast) only keeps it from being sent. Each try ends within
   * `request-timeout`, and all of them by `deadlineAt` (the render's `timeout`) when given.
   */
  async startExport(
    request: ExportRequest,
    { signal, log }: CallContext,
    { stop, deadlineAt }: { stop?: AbortSignal; deadlineAt?: number } = {}
  ): Promise<{ key: string; credits?: number }> {
    const call = 'Starting the export'
    const url = new URL(this.exportTarget(request).url)
    let authorization = this.authorizationFor({ signal, log })
    let headers = headersWith(await beforeDeadline(authorization, deadlineAt))
    let renewed = false
    const body = JSON.stringify(request.body)
    const started = Date.now()
    const pause = stop && signal ? AbortSignal.any([signal, stop]) : (stop ?? signal)
    for (let attempt = 1; ; attempt++) {
      if (stop?.aborted) throw abortReason(stop)
      const left = (deadlineAt ?? Infinity) - Date.now()
      if (left <= 0) throw new ExportNotSentError(NOT_SENT_IN_TIME)
      const deadlineMs = Math.min(this.config.requestTimeoutMs, left)
      let answer
      try {
        this.exportsInFlight++
        answer = await send(this.dispatcher, url, 'POST', headers, body, { signal, deadlineMs })
      } catch (error) {
        if (provablyNotSent(error) && attempt < Math.min(NOT_SENT_ATTEMPTS, attemptsFor(error, READ_RETRY)) && !signal?.aborted) {
          log.warning(`${call}: ${errorMessage(error)}; the request never left, so it is safe to send again`)
          await sleep(1000 * attempt, pause)
          continue
        }
        if (provablyNotSent(error)) throw this.unreachable(call, url, error)
        const bound = deadlineMs < this.config.requestTimeoutMs ? "the render's 'timeout' ends there" : "'request-timeout'"
        const how = unreached(error)
        const cause =
          error instanceof RequestDeadlineError
            ? `${error.message} (from '${this.hostInput(url)}'), ${bound}`
            : how
              ? `${url.host} (from '${this.hostInput(url)}'): ${how.what}`
              : errorMessage(error)
        throw new ExportUnconfirmedError(cause, signal?.aborted === true)
      } finally {
        this.exportsInFlight--
      }
      let data
      try {
        data = parseEnvelope(call, answer.status, answer.headers, answer.body, { flatAllowed: request.generation === 'legacy' })
      } catch (error) {
        if (error instanceof AuthError && error.unauthorized && this.exchangesTokens && !renewed && !signal?.aborted) {
          renewed = true
          log.warning(
            `${call}: the token was refused (a 401: the export was not processed); exchanging app-id and user-key for a new one and sending it again`
          )
          authorization = this.renewed(authorization, { signal, log })
          headers = headersWith(await beforeDeadline(authorization, deadlineAt))
          continue
        }
        // Waited out within the reads' bounds: a Retry-After of an hour must not hold the run for an hour.
        const delay = error instanceof ApiError ? backoffDelayMs(attempt, READ_RETRY, error.retryAfterSeconds) : 0
        const inBounds =
          attempt < READ_RETRY.maxAttempts && Date.now() - started + delay <= READ_RETRY.maxElapsedMs && Date.now() + delay < (deadlineAt ?? Infinity)
        if (error instanceof ApiError && isTooManyRequests(error) && inBounds && !signal?.aborted) {
          log.warning(`${error.message}; the API did not process it, so it is sent again in ${(delay / 1000).toFixed(1)} s`)
          await sleep(delay, pause)
          continue
        }
        // Only a refusal proves the export was not taken: the API's own `success: false` (not a 5xx), a 401/403, a 429.
        // Anything else (a gateway page, a 5xx, a 2xx without data, a redirect) says the POST was processed somewhere.
        if (provenRefusal(error)) throw this.explained(error)
        throw new ExportUnconfirmedError(errorMessage(error))
      }
      const accepted = (request.kind === 'saved' ? savedExportAnswer : exportAnswer(request.generation)).safeParse(data)
      if (!accepted.success) {
        throw new ExportUnconfirmedError(`the answer carries no usable ${request.generation === 'v3' ? 'projectId' : 'key'}`)
      }
      return accepted.data
    }
  }

  /**
   * Creates a draft: a v3 project saved with `isExport: false` (create-project.md), shown on the dashboard,
   * not rendered. Sent as an export is (once, unless provably not sent), so a lost answer leaves no second
   * draft; returns the draft's project ID.
   */
  async createDraft(request: ExportRequest, context: CallContext, bounds: { stop?: AbortSignal; deadlineAt?: number } = {}): Promise<string> {
    if (request.kind !== 'draft' || request.body.isExport !== false) throw new Error('A draft is created with "isExport": false')
    return (await this.startExport(request, context, bounds)).key
  }

  async getProgress(key: string, generation: Generation, context: CallContext): Promise<Progress> {
    const call = `Checking progress of ${key}`
    const data = await this.read(call, generation, `/editor/progress/${encodeURIComponent(key)}`, context)
    const parsed = progressAnswer.safeParse(data)
    if (!parsed.success) throw new ApiError(call, 200, undefined, 'the answer carries no progress', true)
    return parsed.data
  }

  /** The input that holds the job's credentials, for messages. */
  get credentialInput(): CredentialInput {
    return 'apiKey' in this.config.credentials ? 'api-key' : 'app-id'
  }

  /** Which input a URL's host came from. */
  private hostInput(url: URL): HostInput {
    const { v3Url, legacyUrl } = this.config
    return url.origin === legacyUrl.origin && legacyUrl.origin !== v3Url.origin ? 'legacy-api-url' : 'api-url'
  }

  /** A network failure as a message naming the input, the host and what happened; anything else as it is. */
  private unreachable(call: string, url: URL, error: unknown): unknown {
    const how = unreached(error)
    return how ? new UnreachableError(call, this.hostInput(url), url.host, how.kind, how.what, error) : error
  }

  /** An AuthError that says which credential was refused and what to do about it. */
  private explained(error: unknown): unknown {
    return error instanceof AuthError ? new AuthError(error.detail, this.credentialInput, error.unauthorized) : error
  }

  /** Whether the authorization is a token exchanged for app-id and user-key, which can be exchanged again. */
  private get exchangesTokens(): boolean {
    return !('apiKey' in this.config.credentials)
  }

  /**
   * A new token for a call refused with `refused`: one exchange per refusal wave, shared by every call
   * refused with the same token (they all hold the same promise); a later wave gets its own.
   */
  private renewed(refused: Promise<string>, context: CallContext): Promise<string> {
    if (this.authorization === refused) this.authorization = undefined
    return this.authorizationFor(context)
  }

  /**
   * A GET, repeated within the retry policy. A token refused mid-run (it lives 24 hours) is exchanged
   * once more and the read repeated; reads spend nothing.
   */
  private async read(call: string, generation: Generation, path: string, context: CallContext): Promise<Record<string, unknown>> {
    const url = this.url(generation, path)
    const flatAllowed = generation === 'legacy'
    // The exchange may be another video's, bounded by its signal: each read waits for it only within its own.
    const authorization = this.authorizationFor(context)
    const used = await untilCancelled(authorization, context.signal)
    try {
      return await this.retried(call, url, 'GET', headersWith(used), undefined, context, flatAllowed)
    } catch (error) {
      if (!(error instanceof AuthError) || !this.exchangesTokens) throw error
      context.log.warning(`${call}: the token was refused; exchanging app-id and user-key for a new one`)
      const renewed = await untilCancelled(this.renewed(authorization, context), context.signal)
      return this.retried(call, url, 'GET', headersWith(renewed), undefined, context, flatAllowed)
    }
  }

  /** A call that spends nothing, so it may be repeated: sent, parsed, retried within the policy; a refusal says which credential. */
  private async retried(
    call: string,
    url: URL,
    method: 'GET' | 'POST' | 'DELETE',
    headers: Record<string, string>,
    body: string | undefined,
    context: CallContext,
    flatAllowed = false
  ): Promise<Record<string, unknown>> {
    const { log } = context
    const signal = context.signal ? AbortSignal.any([context.signal, this.closing.signal]) : this.closing.signal
    try {
      return await withRetries(
        call,
        async () => {
          const answer = await send(this.dispatcher, url, method, headers, body, { signal, deadlineMs: this.config.requestTimeoutMs })
          return parseEnvelope(call, answer.status, answer.headers, answer.body, { flatAllowed })
        },
        READ_RETRY,
        (message) => log.warning(message),
        signal
      )
    } catch (error) {
      throw this.unreachable(call, url, this.explained(error))
    }
  }

  /** Shared by videos that start at once, so a job exchanges its credentials once; forgotten if the exchange fails. */
  private authorizationFor(context: CallContext): Promise<string> {
    if (!this.authorization) {
      const pending = this.obtainAuthorization(context)
      this.authorization = pending
      pending.catch(() => {
        if (this.authorization === pending) this.authorization = undefined
      })
    }
    return this.authorization
  }

  /** The raw API key, or a token exchanged for an app ID and user key (valid 24 hours). */
  private async obtainAuthorization(context: CallContext): Promise<string> {
    const credentials = this.config.credentials
    if ('apiKey' in credentials) return credentials.apiKey
    const call = 'Exchanging app-id and user-key for a token'
    const url = this.url('v3', '/auth/token')
    const body = JSON.stringify({ appId: credentials.appId, userKey: credentials.userKey })
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' }
    // Getting a token spends nothing, so it is retried like a read.
    const answer = tokenAnswer.safeParse(await this.retried(call, url, 'POST', headers, body, context))
    if (!answer.success) throw new ApiError(call, 200, undefined, 'the answer carries no token', false)
    mask(answer.data.token)
    return answer.data.token
  }
}
