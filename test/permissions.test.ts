/**
 * The GITHUB_TOKEN permissions of the README's workflows and of the reusable workflow, held to GitHub's
 * rules: a called workflow's job may keep or lower what its caller grants (GitHub refuses the whole run
 * before any job starts otherwise, whether or not that job would run), a job without `permissions:` gets
 * the repository's default (held here to the restricted one), and a job grants what the features its
 * steps turn on need. README.md's "Permissions" table says what those needs are.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import {
  atLeast,
  FEATURES,
  grantOf,
  jobGrant,
  nestedRefusals,
  RESTRICTED_DEFAULT,
  stepNeeds,
  union,
  type Grant,
  type Level
} from './helpers/permissions.ts'

const file = (relative: string): string => fs.readFileSync(fileURLToPath(new URL(`../${relative}`, import.meta.url)), 'utf8')
const README = file('README.md')

type Step = { uses?: string; with?: Record<string, unknown> }
type Job = { permissions?: unknown; uses?: string; with?: Record<string, unknown>; steps?: Step[] }
type Workflow = { on?: unknown; permissions?: unknown; jobs: Record<string, Job> }

const REUSABLE = 'render-videos.yml'
const called = parse(file(`.github/workflows/${REUSABLE}`)) as Workflow
const isThisAction = (uses: string | undefined): boolean => uses !== undefined && /\/aistudios-video-action@/.test(uses)
const callsReusable = (job: Job): boolean => job.uses?.includes(`/aistudios-video-action/.github/workflows/${REUSABLE}@`) ?? false

/** The README's YAML blocks that are whole workflows (they have `jobs:`), with the line each starts on. */
const workflows = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((match) => ({ line: README.slice(0, match.index).split('\n').length + 1, value: parse(match[1]) as unknown }))
  .filter((block): block is { line: number; value: Workflow } => typeof block.value === 'object' && block.value !== null && 'jobs' in block.value)

/** The events a workflow runs on; a block without `on:` (a fragment) may be run by any, so both kinds of only-changed count. */
function eventsOf(flow: Workflow): string[] {
  const on = flow.on
  if (on === undefined) return ['push', 'pull_request']
  if (typeof on === 'string') return [on]
  return Array.isArray(on) ? on.map(String) : Object.keys(on as object)
}

/** Which scopes `granted` lacks to cover `needed`, as `scope: level` wanted. */
const missing = (needed: Grant, granted: Grant): string[] =>
  Object.entries(needed)
    .filter(([scope, level]) => !atLeast(granted[scope], level ?? 'none'))
    .map(([scope, level]) => `${scope}: ${level}`)

/** The README's example that calls the reusable workflow (section "A large batch fanned out over jobs"). */
const caller = workflows.find((block) => Object.values(block.value.jobs).some(callsReusable))
/** What a caller grants the called workflow: its calling job's `permissions:`, else its workflow's, else the repository default. */
const callerGrant = (flow: Workflow, job: string): Grant => jobGrant(flow, job, RESTRICTED_DEFAULT)

describe('the reusable workflow and its caller', () => {
  it("asks in each job for no more than the README's caller grants (a called job may keep or lower them)", () => {
    assert.ok(caller, `a README example calls ${REUSABLE}`)
    const [name] = Object.entries(caller.value.jobs).find(([, job]) => callsReusable(job))!
    assert.deepEqual(nestedRefusals(called, callerGrant(caller.value, name)), [], `README.md:${caller.line}`)
  })

  it('grants in each job what its steps may turn on, on a push or a pull request', () => {
    for (const [name, job] of Object.entries(called.jobs)) {
      const needed = (job.steps ?? [])
        .filter((step) => isThisAction(step.uses))
        .reduce((all: Grant, step) => union(all, stepNeeds(step.with ?? {}, ['push', 'pull_request'])), {})
      assert.deepEqual(missing(needed, jobGrant(called, name)), [], `${REUSABLE}: job ${name}`)
    }
  })

  it('is refused, as GitHub refuses it, by a caller that grants less than a job asks for', () => {
    // The rule the first test applies, seen to bite: each job names its own permission.
    assert.deepEqual(nestedRefusals(called, grantOf({ contents: 'read', 'pull-requests': 'write' })), [
      "The nested job 'plan' is requesting 'actions: read', but is only allowed 'actions: none'.",
      "The nested job 'render' is requesting 'actions: read', but is only allowed 'actions: none'."
    ])
    assert.deepEqual(
      nestedRefusals(called, RESTRICTED_DEFAULT),
      [
        "The nested job 'plan' is requesting 'actions: read', but is only allowed 'actions: none'.",
        "The nested job 'render' is requesting 'actions: read', but is only allowed 'actions: none'.",
        "The nested job 'collect' is requesting 'pull-requests: write', but is only allowed 'pull-requests: none'."
      ],
      'a caller without permissions: under the restricted default'
    )
  })
})

describe("the README's workflows", () => {
  it('has workflows to check', () => assert.ok(workflows.length >= 6))

  for (const { line, value: flow } of workflows) {
    it(`line ${line}: each job grants what the features it turns on need`, () => {
      for (const [name, job] of Object.entries(flow.jobs)) {
        if (callsReusable(job)) {
          assert.deepEqual(nestedRefusals(called, callerGrant(flow, name)), [], `job ${name}`)
          continue
        }
        for (const step of (job.steps ?? []).filter((candidate) => isThisAction(candidate.uses))) {
          assert.deepEqual(missing(stepNeeds(step.with ?? {}, eventsOf(flow)), jobGrant(flow, name)), [], `job ${name}`)
        }
      }
    })
  }
})

describe('the README\'s "Permissions" section', () => {
  const section = README.split('\n## Permissions\n')[1]?.split('\n## ')[0] ?? ''
  const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Feature'))
  /** The `scope: level` pairs a row's permission cell names. */
  const pairs = (row: string): Grant =>
    Object.fromEntries([...(row.split('|')[2] ?? '').matchAll(/`([\w-]+): (none|read|write)`/g)].map((match) => [match[1], match[2] as Level]))

  it('follows Credentials', () => {
    assert.ok(README.indexOf('\n## Credentials\n') < README.indexOf('\n## Permissions\n') && README.indexOf('\n## Credentials\n') > 0)
  })

  for (const feature of FEATURES) {
    const when = feature.events ? (feature.events.includes('push') ? 'push' : 'pull request') : ''
    it(`names ${feature.input}${when && ` on a ${when}`}: ${JSON.stringify(feature.needs)}`, () => {
      const row = rows.find((candidate) => candidate.split('|')[1].includes(`\`${feature.input}: true\``) && candidate.split('|')[1].includes(when))
      assert.ok(row, `a row for ${feature.input} ${when}`)
      assert.deepEqual(pairs(row), feature.needs, row)
    })
  }

  it('names what the caller of the reusable workflow grants: every scope its jobs ask for', () => {
    const row = rows.find((candidate) => candidate.split('|')[1].includes('reusable workflow'))
    assert.ok(row, 'a row for the reusable workflow')
    const asked = Object.keys(called.jobs).reduce((all: Grant, job) => union(all, jobGrant(called, job)), {})
    assert.deepEqual(pairs(row), asked, row)
  })
})
