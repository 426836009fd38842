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
    progress: z
      .union([z.number(), z.string().min(1)])
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
      [generation === 'v3' ? 'projectId' : 'key']: z.union([z.string(), z.number()]).transform(String).pipe(exportKey),
      cube_used: z.union([z.number(), z.string()]).transform(Number).pipe(z.number()).optional().catch(undefined)
    })
    .transform((answer) => ({ key: String(answer[generation === 'v3' ? 'projectId' : 'key']), credits: answer.cube_used as number | undefined }))
