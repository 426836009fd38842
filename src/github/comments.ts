import { z } from 'zod'
import type { GitHub } from './connect.js'
import { parseAt } from '../schemas.js'

/**
 * Pull request comments through the REST API, parsed at the boundary: who the token is, and each
 * comment's ID, body and author, so only comments this identity wrote are ever edited.
 */

/** The author the workflow's own token (an installation token, which cannot read /user) writes as. */
export const WORKFLOW_TOKEN_LOGIN = 'github-actions[bot]'

const login = z.string().min(1).max(100)
const user = z.object({ login })
const comment = z.object({ id: z.number().int().positive(), body: z.string().max(1_000_000).nullish(), user: user.nullable() })

export interface IssueComment {
  id: number
  body: string
  /** The login of whoever wrote it; undefined for a deleted account (a ghost), which is nobody's. */
  author?: string
}

const status = (error: unknown): number | undefined => (error as { status?: number }).status

/** The login the token writes comments as: the user of a personal token, else the workflow token's bot. */
export async function whoAmI({ octokit }: GitHub): Promise<string> {
  try {
    const { data } = await octokit.request('GET /user')
    return parseAt(user, data, 'GitHub GET /user').login
  } catch (error) {
    // An installation token may not read /user (403 "Resource not accessible by integration").
    if (status(error) === 403) return WORKFLOW_TOKEN_LOGIN
    throw error
  }
}

/** The pull request's comments, oldest first. */
export async function listComments({ octokit, context }: GitHub, issue: number): Promise<IssueComment[]> {
  const data: unknown = await octokit.paginate(octokit.rest.issues.listComments, { ...context.repo, issue_number: issue, per_page: 100 })
  return parseAt(z.array(comment), data, `GitHub's comments of #${issue}`)
    .map((c) => ({ id: c.id, body: c.body ?? '', author: c.user?.login }))
    .sort((a, b) => a.id - b.id)
}

export async function createComment({ octokit, context }: GitHub, issue: number, body: string): Promise<void> {
  await octokit.rest.issues.createComment({ ...context.repo, issue_number: issue, body })
}

/** Updates a comment; false when it is gone (deleted meanwhile). */
export async function updateComment({ octokit, context }: GitHub, id: number, body: string): Promise<boolean> {
  try {
    await octokit.rest.issues.updateComment({ ...context.repo, comment_id: id, body })
    return true
  } catch (error) {
    if (status(error) === 404) return false
    throw error
  }
}

/** Deletes a comment; one already gone is fine. */
export async function deleteComment({ octokit, context }: GitHub, id: number): Promise<void> {
  try {
    await octokit.rest.issues.deleteComment({ ...context.repo, comment_id: id })
  } catch (error) {
    if (status(error) !== 404) throw error
  }
}

/** The pull request the run is for, from the event payload; undefined for any other event. */
export function pullRequestNumber({ context }: GitHub): number | undefined {
  const parsed = z.object({ number: z.number().int().positive() }).safeParse(context.payload.pull_request)
  return parsed.success ? parsed.data.number : undefined
}
