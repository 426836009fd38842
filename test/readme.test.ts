/**
 * The README works when pasted: every YAML block parses with GitHub's own workflow parser (a snippet
 * inside a minimal workflow), gives this action only inputs action.yml declares, hands outputs to
 * shells through env: only, and every manifest passes the manifest schema. The inputs and outputs
 * tables agree with action.yml.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { MANIFEST_KEYS } from '../src/job/manifest.ts'

const file = (relative: string): string => fs.readFileSync(fileURLToPath(new URL(`../${relative}`, import.meta.url)), 'utf8')
const README = file('README.md')
const ACTION = parse(file('action.yml')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> }
const SCHEMA = JSON.parse(file('schema/manifest.schema.json')) as object
const validateManifest = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(SCHEMA)

interface Block {
  line: number
  text: string
}
const blocks: Block[] = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => ({
  line: README.slice(0, match.index).split('\n').length + 1,
  text: match[1]
}))

type Step = { uses?: string; run?: string; with?: Record<string, unknown> }
const isThisAction = (uses: string | undefined): boolean => uses !== undefined && (uses === './' || /\/aistudios-video-action@/.test(uses))
const isManifest = (value: unknown): boolean =>
  (typeof value === 'object' && value !== null && 'videos' in value) ||
  (Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && 'name' in item && !('uses' in item)))
const isSteps = (value: unknown): value is Step[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && ('uses' in item || 'run' in item))

/** A block as a whole workflow: itself, its jobs given a trigger, its steps in a job, or its inputs in a step of this action. */
function asWorkflow(text: string, value: unknown): string {
  if (typeof value === 'object' && value !== null && 'jobs' in value) return 'on' in value ? text : `on: workflow_dispatch\n${text}`
  const indent = (by: number): string => text.replace(/^(?=.)/gm, ' '.repeat(by))
  const job = 'on: workflow_dispatch\njobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n'
  if (isSteps(value)) return job + indent(6)
  return `${job}      - uses: ./\n        with:\n${indent(10)}`
}

function stepsOf(workflow: unknown): Step[] {
  const jobs = (workflow as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {}
  return Object.values(jobs).flatMap((job) => job.steps ?? [])
}

describe('the README', () => {
  it('has YAML blocks to check', () => assert.ok(blocks.length >= 8))

  for (const block of blocks) {
    // A block YAML cannot read is checked as a workflow, where the parser says what is wrong.
    let value: unknown
    try {
      value = parse(block.text)
    } catch {
      value = { jobs: {}, on: {} }
    }
    if (isManifest(value)) {
      it(`line ${block.line}: the manifest passes the schema`, () => {
        assert.ok(validateManifest(value), JSON.stringify(validateManifest.errors))
      })
      continue
    }
    it(`line ${block.line}: parses as a workflow, with declared inputs and outputs through env`, () => {
      const workflow = asWorkflow(block.text, value)
      const result = parseWorkflow({ name: `README.md:${block.line}`, content: workflow }, new NoOperationTraceWriter())
      assert.deepEqual(
        result.context.errors.getErrors().map((error) => error.message),
        [],
        workflow
      )
      for (const step of stepsOf(parse(workflow))) {
        if (isThisAction(step.uses)) {
          for (const key of Object.keys(step.with ?? {})) assert.ok(key in ACTION.inputs, `'${key}' is not an input of action.yml`)
        }
        assert.ok(!step.run?.includes('${{'), `a run: script interpolates an expression; pass it through env: instead\n${step.run}`)
      }
    })
  }

  /** The first column of the table under a heading, as names. */
  function tableNames(heading: string): Map<string, string> {
    const section = README.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
    const rows = section.split('\n').filter((line) => /^\| `[\w-]+` \|/.test(line))
    return new Map(rows.map((row) => [/^\| `([\w-]+)`/.exec(row)![1], row]))
  }

  it('lists exactly the inputs of action.yml, with their defaults', () => {
    const rows = tableNames('Inputs')
    assert.deepEqual([...rows.keys()].sort(), Object.keys(ACTION.inputs).sort())
    for (const [name, input] of Object.entries(ACTION.inputs)) {
      if (input.default === undefined || input.default.includes('${{')) continue
      assert.ok(rows.get(name)?.includes(`\`${input.default}\``), `the README's default of '${name}' is not \`${input.default}\``)
    }
  })

  it('lists exactly the outputs of action.yml', () => {
    assert.deepEqual([...tableNames('Outputs').keys()].sort(), Object.keys(ACTION.outputs).sort())
  })
})

describe("the repository's own workflows", () => {
  const dir = fileURLToPath(new URL('../.github/workflows/', import.meta.url))
  for (const name of fs.readdirSync(dir)) {
    it(`${name} parses, and hands expressions to run: scripts through env: only`, () => {
      const content = fs.readFileSync(`${dir}${name}`, 'utf8')
      const result = parseWorkflow({ name, content }, new NoOperationTraceWriter())
      assert.deepEqual(
        result.context.errors.getErrors().map((error) => error.message),
        []
      )
      for (const step of stepsOf(parse(content))) assert.ok(!step.run?.includes('${{'), `${name}: ${step.run}`)
    })
  }

  it('dependabot.yml updates npm and the actions, grouped', () => {
    const config = parse(file('.github/dependabot.yml')) as { updates: Array<{ 'package-ecosystem': string; groups?: object }> }
    assert.deepEqual(config.updates.map((update) => update['package-ecosystem']).sort(), ['github-actions', 'npm'])
    for (const update of config.updates) assert.ok(update.groups)
  })
})

describe('the manifest schema', () => {
  it('describes exactly the keys an entry takes', () => {
    const video = (SCHEMA as { $defs: { video: { properties: Record<string, { description?: string; $ref?: string }> } } }).$defs.video
    assert.deepEqual(Object.keys(video.properties).sort(), [...MANIFEST_KEYS].sort())
  })

  it('accepts the fixture manifest and refuses an unknown key and a missing name', () => {
    assert.ok(validateManifest(parse(file('test/fixtures/manifests/release.yml'))), JSON.stringify(validateManifest.errors))
    assert.equal(validateManifest([{ name: 'a', 'project-id': 'p', scirpt: 'typo' }]), false)
    assert.equal(validateManifest([{ 'project-id': 'p' }]), false)
    assert.equal(validateManifest([{ name: 'a', 'project-id': 'p', template: 't.json' }]), false)
  })
})
