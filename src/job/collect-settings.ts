import type { GitHubSettings, Pipeline, RunnerEnv, VideoSpec } from '../domain.js'
import { InputError } from '../errors.js'
import { readGitHubSettings } from './github-settings.js'
import { readManifest } from './manifest.js'
import { readPipeline } from './pipeline.js'
import { parseBoolean, type InputReader } from './parse.js'

/** What the collect job needs: the plan's videos (the manifest, with only-changed) and the comment. No credentials. */
export interface CollectJob {
  videos: VideoSpec[]
  manifest: string
  /** The pipeline whose records it gathers: its plan's, and no other's. */
  pipeline: Pipeline
  github: GitHubSettings
}

/** Whether the step collects a matrix's results (`collect`) instead of rendering. */
export const isCollect = (get: InputReader): boolean => parseBoolean('collect', get('collect'), false)

/** The collect job's inputs: the same `manifest` and `only-changed` as the plan, so it knows every video planned. */
export function readCollectJob(get: InputReader, runner: RunnerEnv): CollectJob {
  if (!get('manifest').trim())
    throw new InputError('manifest', "'collect' gathers the videos a plan made from a 'manifest'; set the plan's 'manifest'")
  for (const input of ['plan', 'manifest-entry', 'dry-run', 'release-upload', 'reuse']) {
    const value = get(input).trim()
    if (value && value !== 'false') throw new InputError(input, "'collect' renders nothing: it only gathers the matrix's result records")
  }
  const { path, videos } = readManifest(get, runner.workspace)
  return { videos, manifest: path, pipeline: readPipeline(get, path), github: readGitHubSettings(get, runner) }
}
