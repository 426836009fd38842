import type { GitHub } from './connect.js'
import { notice } from '../log.js'

/** Files changed by the triggering push or pull request, and the commit they changed from. */
export interface Changes {
  files: Set<string>
  base: string
}

const NO_COMMIT = /^0+$/

/**
 * The files the trigger changed, through the GitHub API; undefined where the base is unknown (a new
 * branch, a force push, a schedule, a manual run), and then everything is rendered.
 */
export async function findChanges({ octokit, context }: GitHub): Promise<Changes | undefined> {
  const payload = context.payload
  const { owner, repo } = context.repo
  if (context.eventName === 'push') {
    const before = String(payload.before ?? '')
    if (!before || NO_COMMIT.test(before) || payload.forced) {
      notice(`only-changed: ${payload.forced ? 'a force push' : 'a new branch'} has no known base; rendering everything`)
      return undefined
    }
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${before}...${payload.after}` })
    return { files: new Set((data.files ?? []).map((file) => file.filename)), base: before }
  }
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const pull = payload.pull_request as { number: number; base: { sha: string } }
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pull.number, per_page: 100 })
    return { files: new Set(files.map((file: { filename: string }) => file.filename)), base: pull.base.sha }
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
