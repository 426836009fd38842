import { z } from 'zod'
import { exportKey } from '../schemas.js'

/**
 * The API's answers, as far as the action reads them: each parsed here before use. A field of the
 * wrong type counts as absent (an answer may carry more, or less, than the contract says); what the
 * action cannot do without (a progress figure, an export key) is required.
 */

/** A non-empty string, or absent. */
const text = z.string().min(1).optional().catch(undefined)

/** A progress answer: v3 names the video downloadUrl; legacy url (tutorial) or videoUrl (reference); records download_url. */
export const progressAnswer = z
  .object({
    // A decimal figure, as a number or its digits ("0x64" or "1e3" are no percentage).
    progress: z
      .union([z.number(), z.string().regex(/^\d{1,3}(\.\d{1,6})?$/)])
      .transform(Number)
      .pipe(z.number()),
    downloadUrl: text,
    url: text,
    videoUrl: text,
    download_url: text,
    state: text
  })
  .transform(({ progress, downloadUrl, url, videoUrl, download_url, state }) => ({
    progress,
    downloadUrl: downloadUrl ?? url ?? videoUrl ?? download_url,
    state
  }))

/** The export's answer: its key (v3 `projectId`, legacy `key`, a string or a number) and, legacy, the credits it cost. */
export const exportAnswer = (generation: 'v3' | 'legacy') =>
  z
    .object({
      // A number only as a safe integer: anything else (1E21, 2.5) names no key exactly.
      [generation === 'v3' ? 'projectId' : 'key']: z
        .union([z.string(), z.number().refine(Number.isSafeInteger)])
        .transform(String)
        .pipe(exportKey),
      cube_used: z.union([z.number(), z.string()]).transform(Number).pipe(z.number()).optional().catch(undefined)
    })
    .transform((answer) => ({ key: String(answer[generation === 'v3' ? 'projectId' : 'key']), credits: answer.cube_used as number | undefined }))

/**
 * `POST /editor/project/export` (export-project.md): the export's own `projectId`, polled as any
 * export's. Credits are not in this answer (v3 reports them in the webhook).
 */
export const savedExportAnswer = exportAnswer('v3')

/** A code as the API writes it, a number or a string; anything else counts as absent. */
const code = z.union([z.string(), z.number()]).transform(String).optional().catch(undefined)
const message = z.string().optional().catch(undefined)

/**
 * The envelope every answer comes in (the contract, section 6): `success`, then `data`, or a failure
 * under `error` (v3) or at the top level (legacy). Read loosely: what it carries decides what it means.
 */
export const envelopeAnswer = z.looseObject({
  success: z.boolean().optional().catch(undefined),
  data: z.unknown().optional(),
  error: z.object({ code, msg: message, message }).optional().catch(undefined),
  code,
  msg: message,
  message
})

/** The `data` of a success: an object (an array or a bare value is no answer the API gives). */
export const answerData = z.record(z.string(), z.unknown())

/** `POST /auth/token`: the token exchanged for an app ID and user key. */
export const tokenAnswer = z.object({ token: z.string().min(1) })

/** `GET /auth`: whether the credentials are accepted; anything but `true` is no. */
export const authAnswer = z.object({ isAuthenticated: z.literal(true).optional().catch(undefined) })

/** `GET /editor/project/{id}`: the saved project, a JSON object the request step edits. */
export const projectAnswer = z.object({ project: z.record(z.string(), z.json()) })

/** What the action reads of an export's project record: its state, progress, download URL and thumbnail. */
export const exportRecordAnswer = z
  .object({
    state: text,
    progress: z.number().finite().optional().catch(undefined),
    download_url: text,
    thumbnailUrl: text
  })
  .transform(({ state, progress, download_url, thumbnailUrl }) => ({ state, progress, downloadUrl: download_url, thumbnailUrl }))
