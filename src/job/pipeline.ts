import { createHash, randomUUID } from 'node:crypto'
import type { Pipeline, RunnerEnv } from '../domain.js'
import { InputError } from '../errors.js'
import * as path from 'node:path'
import { repoPath, type InputReader } from './parse.js'
import { quotedValue } from '../text.js'

/** What a pipeline's ID may hold: it goes into artifact names, so a short plain word. */
const PIPELINE_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * A manifest's pipeline when the step names none: the same for its plan, render and collect jobs, and
 * apart for another manifest. Two pipelines of one manifest in one run need their plan's `pipeline`. Pure.
 */
export const manifestPipelineId = (manifest: string): string =>
  `m${createHash('sha256').update(`aistudios-pipeline\n${manifest}`).digest('hex').slice(0, 15)}`

/**
 * The batch pipeline a step of a plan's matrix belongs to: its plan's `pipeline` output, given to the
 * render and collect jobs as the `pipeline` input, or the manifest's own. Refused by name when it could
 * not be one.
 */
export function readPipeline(get: InputReader, manifest: string): Pipeline {
  const given = get('pipeline').trim()
  if (given && !PIPELINE_ID.test(given))
    throw new InputError(
      'pipeline',
      `${quotedValue(given)} is not a pipeline ID: 1 to 64 letters, digits, '-' or '_' (the plan's 'pipeline' output is one)`
    )
  return { id: given || manifestPipelineId(manifest), manifest }
}

/**
 * The ID a plan gives its pipeline: the one it was given, else one of its own, new for each plan, so two
 * calls of a reusable workflow in one run keep apart even on one manifest.
 */
export function planPipelineId(pipeline: Pipeline, given: boolean, runner: RunnerEnv): string {
  if (given) return pipeline.id
  return `p${createHash('sha256').update(`${runner.runId}\n${runner.runAttempt}\n${pipeline.manifest}\n${randomUUID()}`).digest('hex').slice(0, 15)}`
}

/**
 * The pipeline a matrix job's record names when its inputs were refused before a job was read: the same
 * as a read job's, or, when even `pipeline` is refused, the manifest's own (collect reports the video).
 */
export function pipelineOfRefused(get: InputReader, workspace: string): Pipeline {
  const manifest = repoPath(workspace, path.resolve(workspace, get('manifest').trim()))
  try {
    return readPipeline(get, manifest)
  } catch {
    return { id: manifestPipelineId(manifest), manifest }
  }
}
