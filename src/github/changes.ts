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

/** GitHub's caps: compare lists 300 files for a whole comparison, a pull request's list 3,000. */
export const COMPARE_FILE_CAP = 300
export const PULL_FILE_CAP = 3000

/** A changed file as compare and a pull request's list give it; a rename names its old path too. */
const changedFileSchema = z.object({ filename: z.string(), previous_filename: z.string().optional() })
const compareSchema = z.object({ files: z.array(changedFileSchema).optional() })
const pullSchema = z.object({
  number: z.number().int().positive(),
  base: z.object({ sha: z.string() }),
  head: z.object({ sha: z.string() }).optional()
})
const pushSchema = z.object({ before: z.string().optional(), after: z.string().optional(), forced: z.boolean().optional() })

/** Both paths of every change: a move touches where the file was and where it is. Pure. */
export function changedPaths(files: ReadonlyArray<z.infer<typeof changedFileSchema>>): Set<string> {
  return new Set(files.flatMap((file) => (file.previous_filename ? [file.filename, file.previous_filename] : [file.filename])))
}

/**
 * The list GitHub gave when it may be whole, else the checkout's git diff when it holds both commits,
 * else undefined (everything is rendered, with a notice).
 */
async function complete(
  listed: Set<string>,
  count: number,
  cap: number,
  workspace: string,
  base: string,
  head: string,
  what: string,
  signal: AbortSignal | undefined
) {
  if (count < cap) return listed
  const local = await gitChangedFiles(workspace, base, head, signal)
  if (local) {
    info(`only-changed: ${what} lists at most ${cap} files; the changes were taken from the checkout's git diff`)
    return local
  }
  notice(`only-changed: ${what} lists at most ${cap} files, and the checkout does not hold both commits (fetch-depth: 0 would); rendering everything`)
  return undefined
}

/**
 * The files the trigger changed, through the GitHub API (or, where its list may be cut short, the
 * checkout's git); undefined where the base or the full list is unknown (a new branch, a force push,
 * a schedule, a manual run, a change too large), and then everything is rendered.
 */
export async function findChanges({ octokit, context, signal }: GitHub, workspace: string): Promise<Changes | undefined> {
  const { owner, repo } = context.repo
  if (context.eventName === 'push') {
    const payload = parseAt(pushSchema, context.payload, "the push event's payload")
    const before = payload.before ?? ''
    if (!before || NO_COMMIT.test(before) || payload.forced) {
      notice(`only-changed: ${payload.forced ? 'a force push' : 'a new branch'} has no known base; rendering everything`)
      return undefined
    }
    const after = payload.after ?? ''
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${before}...${after}` })
    const files = parseAt(compareSchema, data, "GitHub's compare").files ?? []
    const paths = await complete(changedPaths(files), files.length, COMPARE_FILE_CAP, workspace, before, after, "GitHub's compare", signal)
    return paths && { files: paths, base: before }
  }
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const pull = parseAt(pullSchema, context.payload.pull_request, "the pull request event's payload")
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull.number, per_page: 100 })
    const files = parseAt(z.array(changedFileSchema), listed, "GitHub's list of the pull request's files")
    const paths = await complete(
      changedPaths(files),
      files.length,
      PULL_FILE_CAP,
      workspace,
      pull.base.sha,
      pull.head?.sha ?? '',
      "A pull request's file list",
      signal
    )
    return paths && { files: paths, base: pull.base.sha }
  }
  notice(`only-changed: a ${context.eventName ?? 'local'} run has no changes to compare; rendering everything`)
  return undefined
}

/** Whether any of a video's input files (a folder ends with '/') is among the changed ones. Pure. */
export function isAffected(inputs: string[], changed: Set<string>): boolean {
  return inputs.some((input) => (input.endsWith('/') ? [...changed].some((file) => file.startsWith(input)) : changed.has(input)))
}

/** A file's text at a commit, or undefined where it did not exist. */
export async function fileAt({ octokit, context }: GitHub, file: string, ref: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...context.repo, path: file, ref })
    return 'content' in data && typeof data.content === 'string' ? Buffer.from(data.content, 'base64').toString('utf8') : undefined
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined
    throw error
  }
}
