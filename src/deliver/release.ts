import * as fs from 'node:fs'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { z } from 'zod'
import { sha256File } from '../video/digest.js'
import { createAgent } from '../aistudios/transport.js'
import type { Downloaded } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { collectAsBytesMove } from '../memory.js'
import { info } from '../log.js'
import { parseAt } from '../schemas.js'
import { storedAssetName } from './asset-name.js'

/** An upload may take a while on a slow runner; its answer comes only once the whole file is sent. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000

/** GitHub's message from an error answer, or the start of whatever came back. */
function messageOf(text: string): string {
  try {
    const { message } = JSON.parse(text) as { message?: unknown }
    if (typeof message === 'string') return message
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200)
}

/** The file in 1 MiB reads, with memory kept flat while they are sent. */
async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  const moved = collectAsBytesMove()
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    moved((chunk as Buffer).length)
    yield chunk as Buffer
  }
}

/**
 * Where the token may go with an upload: GitHub's own hosts for this run's API. The upload URL comes
 * in GitHub's answer, so it is checked like any answer: api.github.com's uploads live on
 * uploads.github.com; a GitHub Enterprise Server's (and a stand-in's) on the API's own origin.
 */
export function uploadUrlAllowed(uploadUrl: URL, apiUrl: string): boolean {
  const api = new URL(apiUrl)
  if (uploadUrl.username || uploadUrl.password) return false
  if (uploadUrl.origin === api.origin) return true
  return api.origin === 'https://api.github.com' && uploadUrl.origin === 'https://uploads.github.com'
}

/** GitHub's answers the release delivery reads, parsed before use. */
const releaseSchema = z.object({ id: z.number().int().positive(), upload_url: z.string().url() })
const assetSchema = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  browser_download_url: z.string().url(),
  /** `sha256:HEX`, as GitHub gives it for assets it digested (older assets have none). */
  digest: z.string().max(200).nullish()
})

/**
 * Posts a video to the release's upload URL, streamed from disk. Sent with undici's request() rather
 * than Octokit, whose fetch reads a streamed body far ahead of the socket: a 256 MiB asset took the
 * process to 380 MB, where request() keeps pace (test/memory.test.ts holds it under 150 MB).
 * Returns the asset as GitHub stored it (its name may differ from the file's).
 */
async function uploadAsset(
  uploadUrl: string,
  apiUrl: string,
  token: string,
  name: string,
  video: Downloaded,
  signal?: AbortSignal
): Promise<z.infer<typeof assetSchema>> {
  const url = new URL(uploadUrl.replace(/\{[^}]*\}$/, ''))
  if (!uploadUrlAllowed(url, apiUrl)) {
    throw new Error(
      `GitHub's release answer names ${url.origin} for the upload, not a host of ${new URL(apiUrl).origin}; the token was not sent there`
    )
  }
  url.searchParams.set('name', name)
  const dispatcher = createAgent(UPLOAD_TIMEOUT_MS)
  try {
    const response = await request(url, {
      dispatcher,
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `token ${token}`,
        'content-type': 'video/mp4',
        'content-length': String(video.size),
        'user-agent': 'aistudios-video-action'
      },
      body: Readable.from(fileChunks(video.path), { objectMode: false }),
      signal
    })
    const text = await response.body.text()
    if (response.statusCode !== 201) {
      const hint = response.statusCode === 403 ? " (the token needs 'contents: write')" : ''
      throw new Error(`Uploading ${name} to the release failed: HTTP ${response.statusCode} ${messageOf(text)}${hint}`)
    }
    return parseAt(assetSchema, parseJson(text), "GitHub's answer to the asset upload")
  } finally {
    await dispatcher.close()
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** What became of one video: attached (`url`: its download link, when GitHub gives one to pass on), or refused and why. */
export type AssetOutcome = { video: Downloaded; attached: true; url?: string } | { video: Downloaded; attached: false; error: unknown }

/**
 * Attaches videos to a release as assets. An asset of the same name (as GitHub stores it) is replaced
 * only when asked; otherwise the upload is refused, so a re-run never silently swaps a published video.
 * Each video's outcome is told as it comes: a video refused does not keep the others from the release.
 * Throws only when the release itself cannot be read, or at a cancel.
 */
export async function attachToRelease(
  { octokit, context, token }: GitHub,
  tag: string,
  replace: boolean,
  videos: Downloaded[],
  onOutcome: (outcome: AssetOutcome) => void,
  /** The run's cancel: stops an upload under way. */
  signal?: AbortSignal,
  /** Told when a published asset is deleted to make room for the video: a failed upload then leaves none. */
  onDeleted: (video: Downloaded, asset: string) => void = () => undefined
): Promise<void> {
  const { data } = await octokit.rest.repos.getReleaseByTag({ ...context.repo, tag })
  const release = parseAt(releaseSchema, data, `GitHub's release ${tag}`)
  const listed = await octokit.paginate(octokit.rest.repos.listReleaseAssets, { ...context.repo, release_id: release.id, per_page: 100 })
  const assets = parseAt(z.array(assetSchema), listed, `GitHub's assets of release ${tag}`)
  for (const video of videos) {
    try {
      const name = path.basename(video.path)
      const stored = storedAssetName(name)
      const existing = assets.find((asset) => asset.name === name || asset.name === stored)
      // The very same bytes already there (a re-run attempt attaching what attempt 1 did): delivered, nothing uploaded.
      if (existing?.digest && existing.digest === `sha256:${await sha256File(video.path)}`) {
        info(`Release ${tag} already holds ${name} with the same SHA-256: nothing uploaded`)
        const download = new URL(existing.browser_download_url)
        const passed = download.protocol === 'https:' || download.origin === new URL(context.apiUrl).origin
        onOutcome({ video, attached: true, url: passed ? download.href : undefined })
        continue
      }
      if (existing && !replace) {
        const as = existing.name === name ? '' : ` (GitHub's name for ${name})`
        throw new Error(`Release ${tag} already has an asset named ${existing.name}${as}; set 'release-replace: true' to replace it`)
      }
      if (existing) {
        await octokit.rest.repos.deleteReleaseAsset({ ...context.repo, asset_id: existing.id })
        onDeleted(video, existing.name)
      }
      const asset = await uploadAsset(release.upload_url, context.apiUrl, token, name, video, signal)
      // Where the asset can be downloaded, as GitHub says; only a GitHub address is passed on as an output.
      const download = new URL(asset.browser_download_url)
      const passed = download.protocol === 'https:' || download.origin === new URL(context.apiUrl).origin
      const renamed = asset.name === name ? '' : ` (GitHub stores it as ${asset.name})`
      info(`${existing ? 'Replaced' : 'Attached'} ${name} on release ${tag}${renamed}`)
      onOutcome({ video, attached: true, url: passed ? download.href : undefined })
    } catch (error) {
      if (signal?.aborted) throw error
      onOutcome({ video, attached: false, error })
    }
  }
}
