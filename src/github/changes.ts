import { z } from 'zod'
import type { GitHub } from './connect.js'
import { gitChangedFiles } from './git-diff.js'
import { info, notice } from '../log.js'
import { parseAt } from '../schemas.js'

/** Files changed by the triggering push or pull request, and the commit they changed from. */
export interface Changes {
  files: Set<string>
  base: string
}

const NO_COMMIT = /^0+$/

/**
 * GitHub's cap: compare lists at most 300 files for a whole comparison. (A pull request's own file list
 * is not used: it is the live one, which a later push changes while this run goes.)
 */
export const COMPARE_FILE_CAP = 300

/** A changed file as compare gives it; a rename names its old path too. */
const changedFileSchema = z.object({ filename: z.string(), previous_filename: z.string().optional() })
const compareSchema = z.object({ files: z.array(changedFileSchema).optional() })
/** The commits a pull request event was made for: the base branch's and the pushed head's, as they were then. */
const pullSchema = z.object({ base: z.object({ sha: z.string().min(1) }), head: z.object({ sha: z.string().min(1) }) })
const pushSchema = z.object({ before: z.string().optional(), after: z.string().optional(), forced: z.boolean().optional() })

/** Both paths of every change: a move touches where the file was and where it is. Pure. */
export function changedPaths(files: ReadonlyArray<z.infer<typeof changedFileSchema>>): Set<string> {
  return new Set(files.flatMap((file) => (file.previous_filename ? [file.filename, file.previous_filename] : [file.filename])))
}

/**
 * The files changed from `base` to `head` (from where they diverged, three dots): GitHub's compare when
 * its list may be whole, else the checkout's git diff when it holds both commits, else undefined
 * (everything is rendered, with a notice).
 */
async function compare({ octokit, context, signal }: GitHub, workspace: string, base: string, head: string): Promise<Set<string> | undefined> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...context.repo, basehead: `${base}...${head}` })
  const files = parseAt(compareSchema, data, "GitHub's compare").files
  if (files && files.length < COMPARE_FILE_CAP) return changedPaths(files)
  // No list is not "nothing changed": it cannot be told from GitHub, so the checkout is asked, else all render.
  const why = files ? `lists at most ${COMPARE_FILE_CAP} files` : 'gave no list of files'
  const local = await gitChangedFiles(workspace, base, head, signal)
  if (local) {
    info(`only-changed: GitHub's compare ${why}; the changes were taken from the checkout's git diff`)
    return local
  }
  notice(`only-changed: GitHub's compare ${why}, and the checkout does not hold both commits (fetch-depth: 0 would); rendering everything`)
  return undefined
}

/**
 * The files the triggering event's own commits changed: a push's `before...after`, a pull request
 * event's `base.sha...head.sha` (never the pull request's live list, which a later push changes under
 * an earlier run; so the plan and collect jobs of one run see the same). Undefined where the base or
 * the full list is unknown (a new branch, a force push, a schedule, a manual run, a change too large),
 * and then everything is rendered.
 */
export async function findChanges(github: GitHub, workspace: string): Promise<Changes | undefined> {
  const { context } = github
  if (context.eventName === 'push') {
    const payload = parseAt(pushSchema, context.payload, "the push event's payload")
    const before = payload.before ?? ''
    if (!before || NO_COMMIT.test(before) || payload.forced) {
      notice(`only-changed: ${payload.forced ? 'a force push' : 'a new branch'} has no known base; rendering everything`)
      return undefined
    }
    const files = await compare(github, workspace, before, payload.after ?? '')
    return files && { files, base: before }
  }
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const pull = parseAt(pullSchema, context.payload.pull_request, "the pull request event's payload")
    // The whole pull request, whichever push this run is for: a push's own before...after would skip what an
    // earlier push changed when that push's run did not finish, and pay for main's changes after a rebase.
    // What an earlier push already rendered is paid for again unless 'reuse' finds it.
    const files = await compare(github, workspace, pull.base.sha, pull.head.sha)
    return files && { files, base: pull.base.sha }
  }
  notice(`only-changed: a ${context.eventName ?? 'local'} run has no changes to compare; rendering everything`)
  return undefined
}

/** Whether any of a video's input files (a folder ends with '/') is among the changed ones. Pure. */
export function isAffected(inputs: string[], changed: Set<string>): boolean {
  return inputs.some((input) => (input.endsWith('/') ? [...changed].some((file) => file.startsWith(input)) : changed.has(input)))
}

/**
 * A file's text at a commit, or undefined where it did not exist. Asked for raw: GitHub's JSON answer
 * carries a file's content only up to 1 MB, and a manifest may be larger.
 */
export async function fileAt({ octokit, context }: GitHub, file: string, ref: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...context.repo, path: file, ref, mediaType: { format: 'raw' } })
    // Octokit gives text for a text/* or utf-8 answer, bytes for any other: the file is UTF-8 either way.
    const raw: unknown = data
    if (typeof raw === 'string') return raw
    if (raw instanceof ArrayBuffer) return new TextDecoder('utf-8').decode(raw)
    throw new Error(`GitHub's raw content of ${file} at ${ref} is neither text nor bytes`)
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined
    throw error
  }
}
