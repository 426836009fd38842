import * as core from '@actions/core'
import type { Dispatcher } from 'undici'
import { ApiError, ExportUnconfirmedError, errorMessage } from '../errors.js'
import { parseEnvelope } from './envelope.js'
import { READ_RETRY, withRetries, type RetryPolicy } from './retry.js'
import { createAgent, provablyNotSent, send } from './transport.js'
import type { Credentials, ExportRequest, Generation, JsonObject, Progress } from './types.js'

export interface ApiConfig {
  /** Base URL of the v3 API, e.g. https://app.aistudios.com */
  v3Url: URL
  /** Base URL of the legacy API, e.g. https://aistudios.com */
  legacyUrl: URL
  credentials: Credentials
  requestTimeoutMs: number
  retry?: RetryPolicy
}

const PREFIX: Record<Generation, string> = { v3: '/api/odin/v3', legacy: '/api/odin' }

/** How many times a POST that provably never left is tried before giving up. */
const NOT_SENT_ATTEMPTS = 3

/** The only place that knows the API's URLs, headers and envelopes. */
export class AiStudiosClient {
  private readonly dispatcher: Dispatcher
  private readonly retry: RetryPolicy
  private authorization?: string

  constructor(private readonly config: ApiConfig) {
    this.dispatcher = createAgent(config.requestTimeoutMs)
    this.retry = config.retry ?? READ_RETRY
  }

  url(generation: Generation, path: string): URL {
    const base = generation === 'v3' ? this.config.v3Url : this.config.legacyUrl
    return new URL(base.pathname.replace(/\/$/, '') + PREFIX[generation] + path, base)
  }

  /** The method and URL an export request goes to (printed by a dry run). */
  exportTarget(request: ExportRequest): { method: 'POST'; url: string } {
    return { method: 'POST', url: this.url(request.generation, '/editor/project').toString() }
  }

  async getProject(projectId: string, signal?: AbortSignal): Promise<JsonObject> {
    const data = await this.read(
      `Fetching project ${projectId}`,
      this.url('v3', `/editor/project/${encodeURIComponent(projectId)}`),
      signal
    )
    const project = data.project
    if (typeof project !== 'object' || project === null || Array.isArray(project)) {
      throw new ApiError(`Fetching project ${projectId}`, 200, undefined, 'the answer carries no project', false)
    }
    return project as JsonObject
  }

  /**
   * Sends the export: the one call that spends credits. Sent at most once, unless the failure proves
   * the request never reached the server. Returns the key to poll.
   */
  async startExport(request: ExportRequest, signal?: AbortSignal): Promise<string> {
    const call = 'Starting the export'
    const url = this.url(request.generation, '/editor/project')
    const headers = await this.headers(signal)
    const body = JSON.stringify(request.body)
    for (let attempt = 1; ; attempt++) {
      let answer
      try {
        answer = await send(this.dispatcher, url, 'POST', headers, body, signal)
      } catch (error) {
        if (provablyNotSent(error) && attempt < NOT_SENT_ATTEMPTS && !signal?.aborted) {
          core.warning(`${call}: ${errorMessage(error)}; the request never left, so it is safe to send again`)
          await new Promise((resolve) => setTimeout(resolve, 1000 * attempt))
          continue
        }
        if (provablyNotSent(error)) throw new Error(`${call} failed: could not connect to ${url.origin} (${errorMessage(error)})`)
        throw new ExportUnconfirmedError(errorMessage(error))
      }
      let data
      try {
        data = parseEnvelope(call, answer.status, answer.headers, answer.body)
      } catch (error) {
        // A gateway page or a 5xx says nothing about whether the API behind it took the export.
        if (error instanceof ApiError && error.transient) throw new ExportUnconfirmedError(error.message)
        throw error
      }
      const key = request.generation === 'v3' ? data.projectId : data.key
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new ExportUnconfirmedError(`the answer carries no ${request.generation === 'v3' ? 'projectId' : 'key'}`)
      }
      return String(key)
    }
  }

  async getProgress(key: string, generation: Generation, signal?: AbortSignal): Promise<Progress> {
    const data = await this.read(
      `Checking progress of ${key}`,
      this.url(generation, `/editor/progress/${encodeURIComponent(key)}`),
      signal
    )
    const progress = Number(data.progress)
    if (data.progress === undefined || data.progress === null || !Number.isFinite(progress)) {
      throw new ApiError(`Checking progress of ${key}`, 200, undefined, 'the answer carries no progress', true)
    }
    // v3 says downloadUrl; legacy says url (tutorial) or videoUrl (reference); records say download_url.
    const url = [data.downloadUrl, data.url, data.videoUrl, data.download_url].find(
      (value): value is string => typeof value === 'string' && value !== ''
    )
    return {
      progress,
      downloadUrl: url,
      state: typeof data.state === 'string' ? data.state : undefined
    }
  }

  private async read(call: string, url: URL, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.retried(call, url, 'GET', await this.headers(signal), undefined, signal)
  }

  /** A call that spends nothing, so it may be repeated: sent, parsed, retried within the policy. */
  private retried(
    call: string,
    url: URL,
    method: 'GET' | 'POST',
    headers: Record<string, string>,
    body: string | undefined,
    signal?: AbortSignal
  ): Promise<Record<string, unknown>> {
    return withRetries(
      call,
      async () => {
        const answer = await send(this.dispatcher, url, method, headers, body, signal)
        return parseEnvelope(call, answer.status, answer.headers, answer.body)
      },
      this.retry,
      (message) => core.warning(message),
      signal
    )
  }

  private async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    this.authorization ??= await this.obtainAuthorization(signal)
    return { Authorization: this.authorization, 'Content-Type': 'application/json', Accept: 'application/json' }
  }

  /** The raw API key, or a token exchanged for an app ID and user key (valid 24 hours). */
  private async obtainAuthorization(signal?: AbortSignal): Promise<string> {
    const credentials = this.config.credentials
    if ('apiKey' in credentials) return credentials.apiKey
    const call = 'Exchanging app-id and user-key for a token'
    const url = this.url('v3', '/auth/token')
    const body = JSON.stringify({ appId: credentials.appId, userKey: credentials.userKey })
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' }
    // Getting a token spends nothing, so it is retried like a read.
    const data = await this.retried(call, url, 'POST', headers, body, signal)
    if (typeof data.token !== 'string' || data.token === '') {
      throw new ApiError(call, 200, undefined, 'the answer carries no token', false)
    }
    core.setSecret(data.token)
    return data.token
  }
}
