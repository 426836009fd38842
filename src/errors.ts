import type { FileLocation, Unreached } from './domain.js'
import { redact } from './log.js'

/** Finds line and column (1-based) of offsets in one text: its lines are indexed once, each look-up a binary search. */
export function locator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length))
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle] <= at) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: at - starts[low] + 1 }
  }
}

/** Line and column (1-based) of a character offset. */
export const locate = (text: string, offset: number): { line: number; column: number } => locator(text)(offset)

/** An input the user gave is unusable. Raised before anything that spends credits is sent. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    /** What is wrong, without the input's name: each front end names the input its own way. */
    readonly detail: string,
    readonly location?: FileLocation
  ) {
    super(`Input '${input}': ${detail}`)
    this.name = 'InputError'
  }
}

/** Which credential input the API refused: a ready key or token, or the app ID and user key. */
export type CredentialInput = 'api-key' | 'app-id'

const CREDENTIAL_ADVICE: Record<CredentialInput | 'either', string> = {
  'api-key':
    "If 'api-key' holds a v3 access token: tokens expire 24 hours after they are issued, so a stored one " +
    "stops working within a day. Give 'app-id' and 'user-key' (repository secrets) instead; the action " +
    "exchanges them for a fresh token on every run. If it is the legacy API's secret key, check that it is the current one.",
  'app-id':
    "Check the 'app-id' and 'user-key' secrets: AI Studios issues them together (profile, Issue API Key) " +
    'and cannot show them again once activated; issue a new pair if unsure.',
  either: "Check 'app-id' and 'user-key' (or 'api-key'), each passed from a repository secret."
}

/** The API refused the credentials. Never retried as it is: another try cannot succeed. */
export class AuthError extends Error {
  constructor(
    readonly detail: string,
    credential?: CredentialInput,
    /** A 401 (status or code): the credential was not accepted, so the request was not processed. */
    readonly unauthorized = false
  ) {
    super(`The AI Studios API rejected the credentials (${detail}). ${CREDENTIAL_ADVICE[credential ?? 'either']}`)
    this.name = 'AuthError'
  }
}

/** The input that names an API host, for messages. */
export type HostInput = 'api-url' | 'legacy-api-url'

/** A call could not reach the API: names the input the host came from, the host, and what happened. */
export class UnreachableError extends Error {
  constructor(
    call: string,
    readonly input: HostInput,
    readonly host: string,
    readonly kind: Unreached,
    what: string,
    cause?: unknown
  ) {
    super(
      kind === 'no-answer'
        ? `${call} failed: the AI Studios API at ${host} (from '${input}') did not answer: ${what}`
        : `${call} failed: could not reach the AI Studios API at ${host} (from '${input}'): ${what}. Check '${input}' and that the runner can reach that host`,
      { cause }
    )
    this.name = 'UnreachableError'
  }
}

/** The API answered, but not with success; carries what the API said. */
export class ApiError extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly apiMessage: string,
    /** Whether repeating the same read might succeed (5xx, 429, gateway pages). */
    readonly transient: boolean,
    /** Seconds the server asked us to wait (Retry-After), if any. */
    readonly retryAfterSeconds?: number,
    /** Whether the API itself said no (its envelope with `success: false`): proof it did not carry out the request. */
    readonly refused = false
  ) {
    const codePart = code === undefined ? '' : ` code ${code}:`
    super(`${call} failed: HTTP ${status}${codePart} ${apiMessage}`.trim())
    this.name = 'ApiError'
  }

  /** Whether the API says it does not know what was asked for, in any shape it uses: status 404, code 404 or NOT_FOUND, or its message. */
  get notFound(): boolean {
    return this.status === 404 || /^(404|not[ _-]?found)$/i.test(this.code ?? '') || /not[ _-]?found/i.test(this.apiMessage)
  }
}

/**
 * The export request may have reached the server, so it may be rendering (and spending credits)
 * even though no answer arrived. Never re-sent blindly.
 */
export class ExportUnconfirmedError extends Error {
  constructor(cause: string, cancelled = false) {
    super(
      `${cancelled ? 'The run was cancelled while the export request was in flight' : 'The export request was sent but no usable answer came back'} ` +
        `(${cause}). The export may have been accepted and spent credits, so it was not sent again. Look for the ` +
        'new project in AI Studios (My Studio), or list your projects with GET /api/odin/v3/editor/project; if it ' +
        "is there, re-run this step with the 'resume' input set to its project ID to download it without paying again."
    )
    this.name = 'ExportUnconfirmedError'
  }
}

/** The export request never left: nothing was spent, and running the step again starts it anew. */
export class ExportNotSentError extends Error {
  constructor(cause: string, advice = 'Nothing was spent; run the step again to export.') {
    super(`The export request was not sent (${cause}). ${advice}`)
    this.name = 'ExportNotSentError'
  }
}

/** Anything that ends a run after the export was accepted: the user must learn the key. */
export class RenderError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RenderError'
  }
}

/** Progress stood still past stall-timeout after it had started: the render is taken for dead, and a re-run exports anew. */
export class StalledError extends RenderError {
  constructor(message: string) {
    super(message)
    this.name = 'StalledError'
  }
}

/** The API stopped knowing the export key past the grace given after an export: a re-run exports anew. */
export class LostError extends RenderError {
  constructor(message: string) {
    super(message)
    this.name = 'LostError'
  }
}

/** What went wrong, for a message; with any masked secret an answer echoed hidden (see redact). */
export function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error))
}
