import type { Job, RunnerEnv, VideoSpec } from '../domain.js'
import type { GitHub } from '../github/connect.js'
import { fileAt, findChanges, isAffected } from '../github/changes.js'
import { manifestDefinitions } from './manifest.js'
import { workflowChanged } from './workflow-file.js'
import { info, notice } from '../log.js'

/**
 * With only-changed, the videos whose inputs changed in the triggering push or pull request's own
 * commits: a file they are made from, the workflow file where the step's inline inputs are written, or
 * (a manifest's) their own entry, compared with the manifest at the base commit. All of them where that
 * cannot be told: an unknown base, or a video made from no file.
 */
export async function planVideos(
  job: Pick<Job, 'videos' | 'manifest' | 'github'> & { plan?: boolean },
  github: GitHub | undefined,
  /** The checkout (whose git may list the changes where GitHub's list is cut short) and the run's workflow file. */
  runner: Pick<RunnerEnv, 'workspace' | 'workflowFile'>
): Promise<VideoSpec[]> {
  if (!github || !job.github.onlyChanged) return job.videos
  const { videos, manifest } = job
  if (!manifest && videos.every((video) => video.files.length === 0)) {
    notice('only-changed: this video is made from no repository file (template, script-file, …); rendering it')
    return videos
  }
  const changes = await findChanges(github, runner.workspace)
  if (!changes) return videos
  const before = manifest && changes.files.has(manifest) ? manifestDefinitions((await fileAt(github, manifest, changes.base)) ?? '') : undefined
  const inline = [...new Set(videos.flatMap((video) => video.inline ?? []))]
  const workflow = inline.length > 0 && workflowChanged(changes.files, runner.workflowFile, runner.workspace, inline)
  const changed = videos.filter(
    (video) =>
      // A resume the user asked for is downloaded whatever the commits changed: it is the point of the run.
      video.source.kind === 'resume' ||
      isAffected(video.files, changes.files) ||
      (workflow && (video.inline ?? []).length > 0) ||
      (video.name !== undefined && before !== undefined && before.get(video.name) !== video.definition)
  )
  const names = changed.map((video) => video.name ?? video.files.join(', '))
  if (changed.length === 0)
    notice(`only-changed: no video's inputs changed; ${job.plan ? 'the plan lists no video (count 0)' : 'nothing was rendered'}`)
  else info(`only-changed: ${changed.length} of ${videos.length} video(s) changed: ${names.join(', ')}`)
  return changed
}

/** GitHub's limit on the jobs of one matrix, and so the default of `max-jobs`. */
export const MAX_MATRIX_JOBS = 256

/** One matrix entry: which of the plan's shards it is, and the videos it renders (`manifest-entry`). */
export interface Shard {
  /** `3/40`: the third of forty, for people. */
  shard: string
  /** The videos' names, comma-separated, as `manifest-entry` takes them. */
  video: string
}

/**
 * The videos grouped into at most `maxJobs` matrix entries: one video a job when they fit, else runs
 * of neighbours in the manifest's order, sizes differing by one at most. Pure and stable: the same
 * list gives the same shards.
 */
export function shardVideos(names: string[], maxJobs: number): Shard[] {
  const count = Math.min(names.length, Math.max(1, maxJobs))
  return Array.from({ length: count }, (_, index) => ({
    shard: `${index + 1}/${count}`,
    video: names.slice(Math.floor((index * names.length) / count), Math.floor(((index + 1) * names.length) / count)).join(',')
  }))
}
