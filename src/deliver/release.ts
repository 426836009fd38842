import * as core from '@actions/core'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Downloaded } from '../download/download.js'
import type { GitHub } from '../github/connect.js'

/**
 * Attaches videos to a release as assets. An asset of the same name is replaced only when asked;
 * otherwise the upload is refused, so a re-run never silently swaps a published video.
 * Returns each video's download URL by path.
 */
export async function attachToRelease({ octokit, context }: GitHub, tag: string, replace: boolean, videos: Downloaded[]): Promise<Map<string, string>> {
  const { data: release } = await octokit.rest.repos.getReleaseByTag({ ...context.repo, tag })
  const urls = new Map<string, string>()
  for (const video of videos) {
    const name = path.basename(video.path)
    const existing = release.assets.find((asset) => asset.name === name)
    if (existing && !replace) {
      throw new Error(`Release ${tag} already has an asset named ${name}; set 'release-replace: true' to replace it`)
    }
    if (existing) await octokit.rest.repos.deleteReleaseAsset({ ...context.repo, asset_id: existing.id })
    const { data: asset } = await octokit.request({
      method: 'POST',
      url: release.upload_url,
      name,
      // Streamed from disk: a video never has to fit in memory.
      data: fs.createReadStream(video.path),
      headers: { 'content-type': 'video/mp4', 'content-length': video.size }
    })
    core.info(`${existing ? 'Replaced' : 'Attached'} ${name} on release ${tag}`)
    urls.set(video.path, (asset as { browser_download_url: string }).browser_download_url)
  }
  return urls
}
