import * as fs from 'node:fs'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { createAgent } from '../aistudios/transport.js'
import type { Downloaded } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { collectAsBytesMove } from '../memory.js'
import { info } from '../log.js'

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
 * Posts a video to the release's upload URL, streamed from disk. Sent with undici's request() rather
 * than Octokit, whose fetch reads a streamed body far ahead of the socket: a 256 MiB asset took the
 * process to 380 MB, where request() keeps pace (test/memory.test.ts holds it under 150 MB).
 */
async function uploadAsset(uploadUrl: string, token: string, name: string, video: Downloaded, signal?: AbortSignal): Promise<string> {
  const url = new URL(uploadUrl.replace(/\{[^}]*\}$/, ''))
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
    return (JSON.parse(text) as { browser_download_url: string }).browser_download_url
  } finally {
    await dispatcher.close()
  }
}

/**
 * Attaches videos to a release as assets. An asset of the same name is replaced only when asked;
 * otherwise the upload is refused, so a re-run never silently swaps a published video.
 * Returns each video's download URL by path.
 */
export async function attachToRelease(
  { octokit, context, token }: GitHub,
  tag: string,
  replace: boolean,
  videos: Downloaded[],
  /** The run's cancel: stops an upload under way. */
  signal?: AbortSignal
): Promise<Map<string, string>> {
  const { data: release } = await octokit.rest.repos.getReleaseByTag({ ...context.repo, tag })
  const urls = new Map<string, string>()
  for (const video of videos) {
    const name = path.basename(video.path)
    const existing = release.assets.find((asset) => asset.name === name)
    if (existing && !replace) {
      throw new Error(`Release ${tag} already has an asset named ${name}; set 'release-replace: true' to replace it`)
    }
    if (existing) await octokit.rest.repos.deleteReleaseAsset({ ...context.repo, asset_id: existing.id })
    urls.set(video.path, await uploadAsset(release.upload_url, token, name, video, signal))
    info(`${existing ? 'Replaced' : 'Attached'} ${name} on release ${tag}`)
  }
  return urls
}
