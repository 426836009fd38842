/**
 * Runs a workflow as GitHub would, for the parts this action meets: jobs in the order their `needs`
 * give, a job's `if:` and its matrix, each step of this action through the harness (so action.yml's
 * defaults apply) with its `with:` as written and its expressions substituted from a small context, and
 * the outputs steps and jobs hand on. A checkout lays the repository's files in the job's own workspace
 * (each job runs on a fresh runner). Any expression or step it does not know fails the run: nothing is
 * skipped silently but a `run:` step, which is shell for the user's own use and is listed as skipped.
 */
import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { makeWorkspace, runAction, type ActionRun } from './run-action.ts'

export type Expressions = Record<string, string>
type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown> }
type Job = {
  needs?: string | string[]
  if?: string
  outputs?: Record<string, string>
  strategy?: { matrix?: unknown }
  steps?: Step[]
  uses?: string
  with?: Record<string, unknown>
  secrets?: Record<string, string>
}
export type Workflow = { on?: unknown; jobs: Record<string, Job> }

/** This action in a step: its published name at any ref, or the repository itself. */
export const isThisAction = (uses: string | undefined): boolean => uses !== undefined && (uses === './' || /\/aistudios-video-action@/.test(uses))

/** The value of a dotted name (`needs.plan.outputs.count`) or a literal; unknown names fail. */
function valueOf(expression: string, context: Expressions): string {
  const literal = /^'((?:[^']|'')*)'$/.exec(expression)
  if (literal) return literal[1].replace(/''/g, "'")
  if (/^(true|false|\d+)$/.test(expression)) return expression
  if (!/^[\w-]+(\.[\w-]+)+$/.test(expression)) throw new Error(`the workflow runner does not evaluate \${{ ${expression} }}`)
  if (!(expression in context)) {
    // GitHub gives '' for a missing property of a known context (an input a trigger did not give, a step output not set).
    if (/^(inputs|steps|needs|matrix|vars|github\.event)\./.test(expression)) return ''
    throw new Error(`the workflow runner has no value for \${{ ${expression} }}`)
  }
  return context[expression]
}

/** A string with each `${{ name }}` replaced, as the runner evaluates `with:` values. */
export function substitute(text: string, context: Expressions): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => valueOf(expression, context))
}

/** A job's `if:`, in the forms GitHub's workflows here use: `always()`, `a == 'b'`, `a != 'b'`, joined by `&&`. */
export function condition(text: string | undefined, context: Expressions, anyFailed: boolean): boolean {
  if (text === undefined) return !anyFailed
  const bare = text.replace(/^\$\{\{\s*|\s*\}\}$/g, '')
  let always = false
  const parts = bare.split('&&').map((part) => part.trim())
  const result = parts.every((part) => {
    if (part === 'always()') return (always = true)
    const compare = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(part)
    if (!compare) throw new Error(`the workflow runner does not evaluate the condition '${part}'`)
    const [left, right] = [valueOf(compare[1].trim(), context), valueOf(compare[3].trim(), context)]
    return compare[2] === '==' ? left === right : left !== right
  })
  // Without a status function GitHub adds success(): a job after a failed one does not run.
  return result && (always || !anyFailed)
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true })
}

export interface StepRun {
  job: string
  matrix?: Record<string, string>
  inputs: Record<string, string>
  run: ActionRun
}

export interface WorkflowRunOptions {
  /** The repository's files, laid in a job's workspace by its checkout step. */
  repository: string
  /** secrets.*, vars.*, github.*, inputs.*: the context every expression is filled from. */
  context: Expressions
  /** The runner's environment for a job (the event, the artifact service for that job, GitHub's API). */
  envFor: (job: string) => Record<string, string>
  /** Inputs every step of this action gets beside its `with:` (only what the real world cannot give here). */
  extraInputs?: (inputs: Record<string, string>) => Record<string, string>
  /** The job token `${{ github.token }}` stands for. */
  githubToken?: string
}

export interface WorkflowRun {
  steps: StepRun[]
  /** `run:` steps, which are the user's shell and are not run. */
  skipped: string[]
  /** Jobs whose `if:` was false. */
  notRun: string[]
  jobOutputs: Record<string, Record<string, string>>
}

/** The jobs in an order their `needs` allow. */
function jobOrder(jobs: Record<string, Job>): string[] {
  const order: string[] = []
  const visit = (name: string, seen: string[]): void => {
    if (order.includes(name)) return
    if (seen.includes(name)) throw new Error(`needs form a cycle at ${name}`)
    const needs = jobs[name].needs
    for (const need of typeof needs === 'string' ? [needs] : (needs ?? [])) visit(need, [...seen, name])
    order.push(name)
  }
  for (const name of Object.keys(jobs)) visit(name, [])
  return order
}

/** Runs `text` (a workflow's YAML) job by job; the matrix jobs of one job run at once, as GitHub runs them. */
export async function runWorkflow(text: string, options: WorkflowRunOptions): Promise<WorkflowRun> {
  const workflow = parse(text) as Workflow
  const result: WorkflowRun = { steps: [], skipped: [], notRun: [], jobOutputs: {} }
  const needsContext: Expressions = {}
  const failed = new Set<string>()
  for (const name of jobOrder(workflow.jobs)) {
    const job = workflow.jobs[name]
    if (job.uses) throw new Error(`job ${name} calls a reusable workflow: run that workflow's own jobs instead`)
    const needs = typeof job.needs === 'string' ? [job.needs] : (job.needs ?? [])
    const anyFailed = needs.some((need) => failed.has(need))
    const base = { ...options.context, ...needsContext }
    if (!condition(job.if, base, anyFailed)) {
      result.notRun.push(name)
      needsContext[`needs.${name}.result`] = 'skipped'
      continue
    }
    const matrix = job.strategy?.matrix
    let entries: Array<Record<string, string> | undefined> = [undefined]
    if (matrix !== undefined) {
      const fromJson = typeof matrix === 'string' ? /^\$\{\{\s*fromJSON\((.+)\)\s*\}\}$/.exec(matrix) : null
      if (!fromJson) throw new Error(`job ${name}: the workflow runner takes a matrix only as fromJSON(…)`)
      entries = (JSON.parse(valueOf(fromJson[1].trim(), base)) as { include: Array<Record<string, string>> }).include
    }
    const runs = await Promise.all(
      entries.map(async (entry, index) => {
        const jobId = entry ? `${name}-${index + 1}` : name
        const workspace = makeWorkspace()
        const stepContext: Expressions = { ...base }
        if (entry) for (const [key, value] of Object.entries(entry)) stepContext[`matrix.${key}`] = String(value)
        const runs: StepRun[] = []
        for (const [s, step] of (job.steps ?? []).entries()) {
          if (step.run !== undefined) {
            result.skipped.push(`${name}: step ${s + 1} (run:)`)
            continue
          }
          if (step.uses?.startsWith('actions/checkout@')) {
            copyTree(options.repository, workspace)
            continue
          }
          if (!isThisAction(step.uses)) throw new Error(`job ${name}: the workflow runner does not run ${step.uses}`)
          const written = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(String(value), stepContext)]))
          const inputs = { ...written, ...options.extraInputs?.(written) }
          const context = options.githubToken ? { 'github.token': options.githubToken } : undefined
          const run = await runAction({ workspace, inputs, env: options.envFor(jobId), context, timeoutMs: 120_000 })
          runs.push({ job: jobId, matrix: entry, inputs, run })
          if (step.id) for (const [key, value] of Object.entries(run.outputs)) stepContext[`steps.${step.id}.outputs.${key}`] = value
          if (run.code !== 0) break
        }
        const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([key, value]) => [key, substitute(value, stepContext)]))
        return { runs, outputs, ok: runs.every((step) => step.run.code === 0) }
      })
    )
    for (const { runs: stepRuns } of runs) result.steps.push(...stepRuns)
    const ok = runs.every((run) => run.ok)
    if (!ok) failed.add(name)
    needsContext[`needs.${name}.result`] = ok ? 'success' : 'failure'
    // A matrix job's outputs are the last of its jobs to set them, as GitHub takes them.
    const outputs = Object.assign({}, ...runs.map((run) => run.outputs)) as Record<string, string>
    result.jobOutputs[name] = outputs
    for (const [key, value] of Object.entries(outputs)) needsContext[`needs.${name}.outputs.${key}`] = value
  }
  return result
}

/** The repository's example files (examples/), as a checkout lays them. */
export const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url))
