import { z } from 'zod'
import type { ReuseScope } from '../domain.js'

/**
 * Whose earlier run `reuse` may take a video from. Any run of the repository can upload an artifact,
 * a fork's pull request included, and the request's fingerprint is computable from public files: a
 * record is trusted for who made it (this repository's code, on a trusted ref), never for what it says.
 */

/** A workflow run as GitHub's REST API describes it (GET /repos/{owner}/{repo}/actions/runs/{id}). */
export const workflowRunSchema = z.object({
  id: z.number().int().positive(),
  event: z.string(),
  head_branch: z.string().nullable(),
  // GitHub gives null where the head repository was deleted: then it is nobody's to trust.
  head_repository: z.object({ full_name: z.string() }).nullable(),
  pull_requests: z.array(z.object({ number: z.number().int().positive() })).nullable()
})
export type WorkflowRun = z.infer<typeof workflowRunSchema>

/** This run, as far as trust goes: its repository, branch, pull request and the default branch. */
export interface ThisRun {
  repository: string
  branch?: string
  pullRequest?: number
  defaultBranch?: string
}

const isPullRequestEvent = (event: string): boolean => event.startsWith('pull_request')

/** Why an earlier run is not trusted under `scope`, or undefined when it is. Pure. */
export function distrust(run: WorkflowRun, here: ThisRun, scope: ReuseScope): string | undefined {
  const head = run.head_repository?.full_name
  if (!head || head.toLowerCase() !== here.repository.toLowerCase()) {
    return `its code came from ${head ? `another repository (${head})` : 'an unknown repository'}, not ${here.repository}`
  }
  if (scope === 'repository') return undefined
  if (isPullRequestEvent(run.event)) {
    const numbers = (run.pull_requests ?? []).map((pull) => pull.number)
    if (here.pullRequest !== undefined && numbers.includes(here.pullRequest)) return undefined
    const which = numbers.length ? `pull request #${numbers.join(', #')}` : 'a pull request'
    return `it ran for ${which}, and only runs of that pull request reuse its videos`
  }
  const branch = run.head_branch ?? ''
  if (branch && branch === here.branch) return undefined
  if (scope === 'branch-or-default' && branch && branch === here.defaultBranch) return undefined
  const trusted = scope === 'branch' ? 'this branch' : 'this branch or the default branch'
  return `it ran on ${branch ? `branch ${branch}` : 'no branch'}, not ${trusted} ('reuse-from: ${scope}')`
}

/** The trigger's payload, as far as trust reads it; anything else in it is left alone. */
const payloadSchema = z.object({
  repository: z.object({ default_branch: z.string().optional() }).optional(),
  pull_request: z.object({ number: z.number().int().positive(), head: z.object({ ref: z.string() }) }).optional()
})

/** This run's facts from its context (GITHUB_REPOSITORY, GITHUB_REF, the event payload). */
export function thisRun(context: { eventName: string; ref: string; payload: unknown; repo: { owner: string; repo: string } }): ThisRun {
  const parsed = payloadSchema.safeParse(context.payload)
  const payload = parsed.success ? parsed.data : {}
  const pull = isPullRequestEvent(context.eventName) ? payload.pull_request : undefined
  return {
    repository: `${context.repo.owner}/${context.repo.repo}`,
    branch: pull ? pull.head.ref : context.ref?.startsWith('refs/heads/') ? context.ref.slice('refs/heads/'.length) : undefined,
    pullRequest: pull?.number,
    defaultBranch: payload.repository?.default_branch
  }
}
