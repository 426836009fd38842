/**
 * GitHub's rules for the GITHUB_TOKEN's permissions, as the tests hold workflows to them: the levels,
 * what a `permissions:` value grants, what a workflow without one gets, the check GitHub makes of a
 * called workflow before its run starts, and what each feature of the action asks of the token.
 */
import { PERMISSION_SCOPES } from './workflow-schema.ts'

/** A `permissions:` level; write includes read. */
export type Level = 'none' | 'read' | 'write'
export const LEVELS: readonly Level[] = ['none', 'read', 'write']
/** A token's permissions by scope (`contents`, `pull-requests`, …); a scope not named is none. */
export type Grant = Partial<Record<string, Level>>

export const atLeast = (granted: Level | undefined, wanted: Level): boolean => LEVELS.indexOf(granted ?? 'none') >= LEVELS.indexOf(wanted)

/**
 * What a workflow without `permissions:` gets: the repository's default. The restricted one (GitHub's
 * default for repositories and organizations made since February 2023) reads contents and packages;
 * an example must work under it.
 */
export const RESTRICTED_DEFAULT: Grant = { contents: 'read', packages: 'read' }

/** What a `permissions:` value grants: `read-all`, `write-all`, `{}`, or scope by scope (the rest none). */
export function grantOf(value: unknown): Grant {
  if (value === 'read-all' || value === 'write-all')
    return Object.fromEntries(PERMISSION_SCOPES.map((scope) => [scope, value === 'read-all' ? 'read' : 'write']))
  if (typeof value !== 'object' || value === null) throw new Error(`permissions: ${JSON.stringify(value)} is not a permissions value`)
  for (const [scope, level] of Object.entries(value)) {
    if (!PERMISSION_SCOPES.includes(scope) || !LEVELS.includes(level as Level))
      throw new Error(`permissions: '${scope}: ${String(level)}' is not a permission`)
  }
  return value
}

export interface WorkflowPermissions {
  permissions?: unknown
  jobs: Record<string, { permissions?: unknown }>
}

/** A job's token: its own `permissions:`, else its workflow's, else what it inherits (a caller's grant, or the repository default). */
export function jobGrant(workflow: WorkflowPermissions, job: string, inherited: Grant = RESTRICTED_DEFAULT): Grant {
  const own = workflow.jobs[job].permissions ?? workflow.permissions
  return own === undefined ? inherited : grantOf(own)
}

/**
 * GitHub's check of a called workflow before its run starts: each of its jobs may keep or lower what the
 * caller grants, never raise it, whether or not the job would run. The refusals, as GitHub words them.
 */
export function nestedRefusals(called: WorkflowPermissions, caller: Grant): string[] {
  return Object.keys(called.jobs).flatMap((job) =>
    Object.entries(jobGrant(called, job, caller))
      .filter(([scope, level]) => !atLeast(caller[scope], level ?? 'none'))
      .map(
        ([scope, level]) => `The nested job '${job}' is requesting '${scope}: ${level}', but is only allowed '${scope}: ${caller[scope] ?? 'none'}'.`
      )
  )
}

/** The least grant that covers both. */
export const union = (a: Grant, b: Grant): Grant =>
  Object.fromEntries(
    [...new Set([...Object.keys(a), ...Object.keys(b)])].map((scope) => [scope, atLeast(a[scope], b[scope] ?? 'none') ? a[scope] : b[scope]])
  )

/**
 * What each feature of the action asks of the token, from the calls it makes (the GitHub stand-in wants
 * the permission GitHub's REST reference names for each). `events` limits a row to those triggers.
 * README.md's "Permissions" table says the same, row by row.
 */
export const FEATURES: ReadonlyArray<{ input: string; events?: readonly string[]; needs: Grant; renderOnly?: true }> = [
  // Artifacts (and a collect job's result records) go through the runner's own artifact token: no row.
  { input: 'reuse', needs: { actions: 'read' } },
  // Both look up draft records among the repository's artifacts, as reuse looks up its records.
  // A plan looks drafts up only for `from-draft: required` (for the whole matrix); a draft it only counts (as nothing).
  { input: 'from-draft', needs: { actions: 'read' } },
  { input: 'draft', needs: { actions: 'read' }, renderOnly: true },
  { input: 'release-upload', needs: { contents: 'write' } },
  { input: 'comment', needs: { 'pull-requests': 'write' } },
  // Compare of the event's own commits (never a pull request's live file list), and the manifest at the base.
  { input: 'only-changed', events: ['push'], needs: { contents: 'read' } },
  { input: 'only-changed', events: ['pull_request', 'pull_request_target'], needs: { contents: 'read' } }
]

/**
 * What a step of this action asks of its token, given its `with:` and the events that may run it: every
 * feature it turns on, or may turn on (a value that is an expression counts as on).
 */
export function stepNeeds(given: Record<string, unknown>, events: readonly string[]): Grant {
  const on = (value: unknown): boolean => value === true || ['true', 'required'].includes(String(value).trim()) || String(value).includes('${{')
  const renders = !on(given.plan) && !on(given.collect)
  return FEATURES.filter(
    (row) => on(given[row.input]) && (renders || !row.renderOnly) && (!row.events || row.events.some((event) => events.includes(event)))
  ).reduce((needs: Grant, row) => union(needs, row.needs), {})
}
