import type { Job, VideoSpec } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { fileAt, findChanges, isAffected } from '../github/changes.js'
import { manifestDefinitions } from './manifest.js'
import { info, notice } from '../log.js'

/**
 * With only-changed, the videos whose inputs changed in the triggering push or pull request: a file
 * they are made from, or (a manifest's) their own entry, compared with the manifest at the base
 * commit. All of them where that cannot be told: an unknown base, or a video made from no file.
 */
export async function planVideos(job: Job, github: GitHub | undefined): Promise<VideoSpec[]> {
  if (!github || !job.github.onlyChanged) return job.videos
  const { videos, manifest } = job
  if (!manifest && videos.every((video) => video.files.length === 0)) {
    notice('only-changed: this video is made from no repository file (template, script-file, …); rendering it')
    return videos
  }
  const changes = await findChanges(github)
  if (!changes) return videos
  const before = manifest && changes.files.has(manifest) ? manifestDefinitions((await fileAt(github, manifest, changes.base)) ?? '') : undefined
  const changed = videos.filter(
    (video) =>
      isAffected(video.files, changes.files) || (video.name !== undefined && before !== undefined && before.get(video.name) !== video.definition)
  )
  const names = changed.map((video) => video.name ?? video.files.join(', '))
  if (changed.length === 0) notice("only-changed: no video's inputs changed; nothing was rendered")
  else info(`only-changed: ${changed.length} of ${videos.length} video(s) changed: ${names.join(', ')}`)
  return changed
}
