/**
 * Runs a reusable workflow (`on: workflow_call`) as GitHub runs it for a calling job, each step of this
 * action through runAction (dist/index.js, every action.yml default applied as the runner applies it):
 * - before anything starts, GitHub's checks of the call: the caller's `with:` and `secrets:` against what
 *   the workflow declares (types and required ones included), and each job's permissions against the
 *   caller's grant (a refused call runs nothing);
 * - the jobs in the order their `needs:` make, each `if:` evaluated by GitHub's expression evaluator
 *   after the workflow parser's rule that a condition without a status function means
 *   `success() && (…)`; a skipped or failed job's dependants see it as GitHub shows it;
 * - a matrix job once per entry of its evaluated `strategy.matrix` (GitHub fails an empty one), all at
 *   once; each job run in its own copy of the checkout, with a token of the job's permissions;
 * - `${{ }}` in `with:`, job outputs and the workflow's outputs substituted from the contexts GitHub
 *   gives there: inputs (the caller's over the defaults), secrets, matrix, needs, steps, github (the event).
 * Steps other than this action's and actions/checkout (the copy of the checkout stands for it) are
 * refused: the harness knows no other.
 */
import * as fs from 'node:fs'
import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import type { FunctionDefinition } from '@actions/expressions/funcs/info'
import { truthy } from '@actions/expressions/result'
import { ensureStatusFunction } from '@actions/workflow-parser/model/converter/if-condition'
import { parse } from 'yaml'
import { eventEnv, runAction, tempDir, type ActionRun } from './run-action.ts'
import { jobGrant, nestedRefusals, type Grant } from './permissions.ts'
import { JOB_IF } from './workflow-schema.ts'

type InputType = 'string' | 'boolean' | 'number'
interface Step {
  id?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
}
interface Job {
  needs?: string | string[]
  if?: string
  permissions?: unknown
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean }
  outputs?: Record<string, string>
  steps: Step[]
}
interface CalledWorkflow {
  on: {
    workflow_call: {
      inputs?: Record<string, { type: InputType; required?: boolean; default?: unknown }>
      secrets?: Record<string, { required?: boolean }>
      outputs?: Record<string, { value: string }>
    }
  }
  permissions?: unknown
  jobs: Record<string, Job>
}

export interface WorkflowCall {
  /** The called workflow's file. */
  file: string
  /** The calling job's `with:` and `secrets:` as written, evaluated in the caller's context. */
  with?: Record<string, unknown>
  secrets?: Record<string, unknown> | 'inherit'
  /** What the caller grants: its calling job's or workflow's `permissions:`, or the repository's default. */
  granted: Grant
  /** The caller's own secrets, which its `secrets:` hands on. */
  callerSecrets: Record<string, string>
  /** The event that triggered the caller: `github.event_name` and `github.event`. */
  event: { name: string; payload: Record<string, unknown> }
  /** GitHub's REST API (GITHUB_API_URL). */
  githubApiUrl: string
  /** The checkout each job starts from (copied for each). */
  checkout: string
  /** The runner's environment for one job run, named `plan`, `render-1`, …: artifact service, run number, ref. */
  env: (jobRun: string) => Record<string, string>
  /** The token GitHub mints for a job with these permissions. */
  tokenFor: (grant: Grant) => string
}

export interface JobRun {
  result: 'success' | 'failure' | 'skipped'
  /** The action's run in each run of the job (one per matrix entry), in the matrix's order. */
  runs: ActionRun[]
  /** The matrix entry of each run. */
  matrix: Array<Record<string, unknown>>
  outputs: Record<string, string>
  /** Why GitHub failed the job before any step (an empty matrix). */
  error?: string
}

export interface WorkflowRun {
  /** Why GitHub refused the call before any job started; empty when it ran. */
  refused: string[]
  jobs: Record<string, JobRun>
  outputs: Record<string, string>
}

type Context = Record<string, unknown>

/**
 * A job's status functions, given the results of every job it waits for, directly or through another
 * (GitHub skips a job whose needed job failed or was skipped unless its `if:` says otherwise).
 */
function statusFunctions(results: string[]): FunctionDefinition[] {
  const status = (name: string, value: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value())
  })
  return [
    status('success', () => results.every((result) => result === 'success')),
    status('failure', () => results.includes('failure')),
    status('cancelled', () => false),
    status('always', () => true)
  ]
}
for (const allowed of JOB_IF.allowedContext.filter((item) => item.includes('('))) {
  if (!statusFunctions([]).some((f) => allowed.startsWith(`${f.name}(`)))
    throw new Error(`a job's if: may call ${allowed}, which the harness does not give`)
}

const toData = (value: unknown): data.ExpressionData => JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData
const fromData = (value: data.ExpressionData): unknown => JSON.parse(JSON.stringify(value, data.replacer)) as unknown

/** An expression's value by GitHub's evaluator, in `context`, with extra functions (the status functions). */
function evaluate(expression: string, context: Context, functions: FunctionDefinition[] = []): data.ExpressionData {
  const { tokens } = new Lexer(expression).lex()
  const tree = new Parser(tokens, Object.keys(context), functions).parse()
  const dictionary = new data.Dictionary(...Object.entries(context).map(([key, value]) => ({ key, value: toData(value) })))
  return new Evaluator(tree, dictionary, new Map(functions.map((f) => [f.name.toLowerCase(), f]))).evaluate()
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g
const whole = (value: string): string | undefined => /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value)?.[1]

/** A value as GitHub hands it to an action input: the text, each `${{ }}` replaced by its value as a string. */
const asText = (value: unknown, context: Context): string =>
  typeof value === 'string' ? value.replace(EXPRESSION, (_, expression: string) => evaluate(expression, context).coerceString()) : String(value)

/** A value that is one `${{ }}` as the value it evaluates to (an object, a boolean); any other as written. */
const asValue = (value: unknown, context: Context): unknown => {
  const expression = typeof value === 'string' ? whole(value) : undefined
  return expression === undefined ? value : fromData(evaluate(expression, context))
}

/** The jobs in an order their `needs:` allow. */
function jobOrder(jobs: Record<string, Job>): string[] {
  const order: string[] = []
  const visit = (name: string, path: string[]): void => {
    if (order.includes(name)) return
    if (path.includes(name)) throw new Error(`the jobs' needs make a cycle: ${[...path, name].join(' → ')}`)
    for (const need of needsOf(jobs[name])) visit(need, [...path, name])
    order.push(name)
  }
  for (const name of Object.keys(jobs)) visit(name, [])
  return order
}
const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs])

/** GitHub's checks of a call's `with:` and `secrets:`; the inputs the workflow sees, typed. */
function callInputs(declared: CalledWorkflow['on']['workflow_call'], call: WorkflowCall, callerContext: Context) {
  const refused: string[] = []
  const inputs: Record<string, unknown> = {}
  const given = Object.fromEntries(Object.entries(call.with ?? {}).map(([name, value]) => [name, asValue(value, callerContext)]))
  for (const name of Object.keys(given))
    if (!declared.inputs?.[name]) refused.push(`Invalid input, ${name} is not defined in the referenced workflow.`)
  for (const [name, input] of Object.entries(declared.inputs ?? {})) {
    if (name in given) {
      const value = given[name]
      if (input.type !== 'string' && typeof value !== input.type)
        refused.push(`Input ${name}: expected a ${input.type}, got ${JSON.stringify(value)}.`)
      inputs[name] = input.type === 'string' ? String(value) : value
    } else if (input.required) refused.push(`Input ${name} is required, but not provided while calling.`)
    else inputs[name] = input.default ?? { string: '', boolean: false, number: 0 }[input.type]
  }
  const secrets: Record<string, string> = {}
  if (call.secrets === 'inherit') Object.assign(secrets, call.callerSecrets)
  else {
    for (const [name, value] of Object.entries(call.secrets ?? {})) {
      if (!declared.secrets?.[name]) refused.push(`Invalid secret, ${name} is not defined in the referenced workflow.`)
      else secrets[name] = asText(value, callerContext)
    }
  }
  for (const [name, secret] of Object.entries(declared.secrets ?? {})) {
    if (secret.required && !(name in secrets)) refused.push(`Secret ${name} is required, but not provided while calling.`)
  }
  return { refused, inputs, secrets }
}

export async function runWorkflow(call: WorkflowCall): Promise<WorkflowRun> {
  const workflow = parse(fs.readFileSync(call.file, 'utf8')) as CalledWorkflow
  const declared = workflow.on.workflow_call
  const github = { event_name: call.event.name, event: call.event.payload, repository: 'octo-org/videos' }
  const callerContext: Context = { github, secrets: call.callerSecrets, inputs: {}, vars: {} }
  const { refused, inputs, secrets } = callInputs(declared, call, callerContext)
  refused.push(...nestedRefusals(workflow, call.granted))
  if (refused.length > 0) return { refused, jobs: {}, outputs: {} }
  const jobs = await runJobs(workflow, {
    github,
    inputs,
    secrets,
    vars: {},
    event: call.event,
    githubApiUrl: call.githubApiUrl,
    checkout: call.checkout,
    env: call.env,
    tokenFor: (name) => call.tokenFor(jobGrant(workflow, name, call.granted))
  })
  const jobsContext = Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, { result: job.result, outputs: job.outputs }]))
  const outputs = Object.fromEntries(
    Object.entries(declared.outputs ?? {}).map(([name, output]) => [name, asText(output.value, { github, inputs, jobs: jobsContext })])
  )
  return { refused: [], jobs, outputs }
}

/** What a workflow's jobs run with: the contexts GitHub gives them, the event, the checkout, each job's token. */
export interface JobsRun {
  github: Record<string, unknown>
  inputs: Record<string, unknown>
  secrets: Record<string, string>
  vars: Record<string, string>
  event: { name: string; payload: Record<string, unknown> }
  githubApiUrl: string
  checkout: string
  env: (jobRun: string) => Record<string, string>
  /** The token GitHub mints for a job, by the job's name. */
  tokenFor: (job: string) => string
  /** Inputs a step of this action gets beside its `with:` (only what the real world cannot give here). */
  extraInputs?: (given: Record<string, string>) => Record<string, string>
  /** Pass over `run:` steps (a user's shell) instead of refusing the workflow. */
  skipShell?: boolean
}

/**
 * A workflow's jobs as GitHub runs them: in the order their `needs:` make, each `if:` by GitHub's
 * evaluator (with the parser's implicit `success()`), a matrix job once per entry at once, each job run in
 * its own copy of the checkout with its token, each step of this action through runAction.
 */
export async function runJobs(workflow: { jobs: Record<string, Job> }, run: JobsRun): Promise<Record<string, JobRun>> {
  const event = eventEnv(run.event.name, run.event.payload, run.githubApiUrl)
  const jobs: Record<string, JobRun> = {}
  for (const name of jobOrder(workflow.jobs)) {
    const job = workflow.jobs[name]
    /** Every job this one waits for, directly or through another. */
    const ancestors = new Set<string>()
    const addNeeds = (of: Job): void => {
      for (const need of needsOf(of)) {
        if (ancestors.has(need)) continue
        ancestors.add(need)
        addNeeds(workflow.jobs[need])
      }
    }
    addNeeds(job)
    const functions = statusFunctions([...ancestors].map((ancestor) => jobs[ancestor].result))
    const needs = Object.fromEntries(needsOf(job).map((need) => [need, { result: jobs[need].result, outputs: jobs[need].outputs }]))
    const jobContext: Context = { github: run.github, inputs: run.inputs, vars: run.vars, needs }
    const condition = ensureStatusFunction(whole(job.if ?? '') ?? (job.if?.trim() || 'success()'), JOB_IF)
    if (!truthy(evaluate(condition, jobContext, functions))) {
      jobs[name] = { result: 'skipped', runs: [], matrix: [], outputs: {} }
      continue
    }

    let matrix: Array<Record<string, unknown>> = [{}]
    if (job.strategy?.matrix !== undefined) {
      const value = asValue(job.strategy.matrix, jobContext) as Record<string, unknown>
      if (Object.keys(value).some((key) => key !== 'include')) throw new Error(`${name}: the harness expands a matrix of include entries only`)
      matrix = (value.include ?? []) as Array<Record<string, unknown>>
      if (matrix.length === 0) {
        jobs[name] = { result: 'failure', runs: [], matrix, outputs: {}, error: "Matrix vector 'include' does not contain any values" }
        continue
      }
      if (matrix.length > 1 && job.strategy['fail-fast'] !== false) throw new Error(`${name}: the harness does not cancel a matrix (fail-fast)`)
    }
    const token = run.tokenFor(name)
    const legs = await Promise.all(
      matrix.map(async (entry, index) => {
        const workspace = tempDir('aistudios-job-')
        fs.cpSync(run.checkout, workspace, { recursive: true })
        const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {}
        const context: Context = {
          ...jobContext,
          github: { ...run.github, token },
          secrets: { ...run.secrets, GITHUB_TOKEN: token },
          matrix: job.strategy ? entry : null,
          strategy: { 'fail-fast': job.strategy?.['fail-fast'] ?? true, 'job-index': index, 'job-total': matrix.length },
          steps,
          job: {},
          runner: { os: 'Linux' },
          env: {}
        }
        let action: ActionRun | undefined
        for (const step of job.steps) {
          if (step.if !== undefined) throw new Error(`${name}: the harness runs no step with if:`)
          // A shell step is the user's own (listing outputs, say): not run, and said so, never silently.
          if (step.run !== undefined) {
            if (!run.skipShell) throw new Error(`${name}: the harness runs no run: step`)
            continue
          }
          if (step.uses?.startsWith('actions/checkout@')) continue
          if (!step.uses || !/\/aistudios-video-action@/.test(step.uses)) throw new Error(`${name}: the harness does not run ${step.uses}`)
          const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([input, value]) => [input, asText(value, context)]))
          const jobRun = job.strategy ? `${name}-${index + 1}` : name
          const given = { ...inputs, ...run.extraInputs?.(inputs) }
          action = await runAction({ workspace, inputs: given, context: { 'github.token': token }, env: { ...event, ...run.env(jobRun) } })
          if (step.id) steps[step.id] = { outputs: action.outputs, outcome: action.code === 0 ? 'success' : 'failure' }
          if (action.code !== 0) break
        }
        const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([output, value]) => [output, asText(value, context)]))
        return { action, ok: action === undefined || action.code === 0, outputs }
      })
    )
    jobs[name] = {
      result: legs.every((leg) => leg.ok) ? 'success' : 'failure',
      runs: legs.flatMap((leg) => (leg.action ? [leg.action] : [])),
      matrix,
      // A matrix job's outputs are its runs' outputs together, a later run's value over an earlier's.
      outputs: Object.assign({}, ...legs.map((leg) => Object.fromEntries(Object.entries(leg.outputs).filter(([, value]) => value !== '')))) as Record<
        string,
        string
      >
    }
  }
  return jobs
}
