/**
 * The README works when pasted: every YAML block parses with GitHub's own workflow parser (a snippet
 * inside a minimal workflow), gives this action only inputs action.yml declares, hands outputs to
 * shells through env: only, and every manifest passes the manifest schema. The inputs and outputs
 * reference is action.yml's, as scripts/reference.ts generates it. Its commands and figures hold:
 * every command is one the repository has, every benchmark figure is in bench/RESULTS.md, and the
 * CLI's exit table is the one --help prints.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { MANIFEST_KEYS } from '../src/job/manifest.ts'
import { usage } from '../src/cli/args.ts'
import { GROUPS, anchor, renderInputs, updateReadme, type ActionMetadata } from '../scripts/reference.ts'

const file = (relative: string): string => fs.readFileSync(fileURLToPath(new URL(`../${relative}`, import.meta.url)), 'utf8')
const README = file('README.md')
const ACTION = parse(file('action.yml')) as ActionMetadata
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

describe("the README's reference", () => {
  it('is generated from action.yml: run `npm run reference` after changing an input', () => {
    assert.ok(updateReadme(README, ACTION) === README, 'README.md differs from what `npm run reference` writes from action.yml')
  })

  it('leaves action.yml as the runner reads it: no key the metadata syntax does not have', () => {
    const raw = parse(file('action.yml')) as Record<string, unknown>
    assert.deepEqual(
      Object.keys(raw).filter((key) => !['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'].includes(key)),
      []
    )
    for (const [name, input] of Object.entries(ACTION.inputs)) {
      const extra = Object.keys(input).filter((key) => !['description', 'required', 'default', 'deprecationMessage'].includes(key))
      assert.deepEqual(extra, [], `input ${name}`)
      assert.ok(input.description.trim(), `input ${name} has a description, the reference's row`)
    }
    for (const [name, output] of Object.entries(ACTION.outputs)) {
      assert.deepEqual(Object.keys(output), ['description'], `output ${name}`)
    }
  })

  it("links only to headings and files the README's repository has (anchors as GitHub makes them)", () => {
    const prose = README.replace(/```[\s\S]*?```/g, '')
    const anchors = new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1])))
    const links = [...prose.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1])
    assert.ok(links.length >= 10)
    for (const link of links) assert.ok(anchors.has(link), `#${link} is no heading of README.md`)
    // Links to the repository's own files (RELEASING.md, bench/RESULTS.md, …) name files it has.
    for (const [, target] of prose.matchAll(/\]\(((?!https?:|#)[^)#\s]+)/g)) {
      assert.ok(fs.existsSync(fileURLToPath(new URL(`../${target}`, import.meta.url))), `${target} is no file of the repository`)
    }
  })

  it('is linked from the top, above the quick start', () => {
    const top = README.slice(0, README.indexOf('\n## Quick start\n'))
    for (const link of ['(#inputs)', '(#outputs)', '(#permissions)']) assert.ok(top.includes(link), link)
  })

  it('refuses an input no group names, naming it and where to add it', () => {
    const withNew: ActionMetadata = { ...ACTION, inputs: { ...ACTION.inputs, 'future-input': { description: 'A later input.' } } }
    assert.throws(() => renderInputs(withNew), /action\.yml declares 'future-input' but no group of scripts\/reference\.ts names it/)
  })

  it('refuses a group naming an input action.yml lacks, or an input named twice', () => {
    const stale = [...GROUPS, { title: 'Gone', when: 'Never.', inputs: ['from-nowhere'] }]
    assert.throws(() => renderInputs(ACTION, stale), /groups 'from-nowhere', which action\.yml does not declare/)
    const twice = [...GROUPS, { title: 'Again', when: 'Never.', inputs: ['app-id'] }]
    assert.throws(() => renderInputs(ACTION, twice), /names 'app-id' in two groups/)
  })

  it('opens each group with one sentence on when to use it', () => {
    for (const group of GROUPS) assert.match(group.when, /^[A-Z][^]*[.]$/, group.title)
    for (const group of GROUPS) assert.doesNotMatch(group.when.slice(0, -1), /[.!?] [A-Z]/, `${group.title}: one sentence`)
  })

  it('says which of the five speech inputs to use when', () => {
    const speech = GROUPS.find((group) => group.inputs.includes('script'))
    for (const input of ['script', 'script-file', 'scripts', 'scripts-file', 'scripts-dir']) {
      assert.ok(speech?.inputs.includes(input) && speech.choose?.includes(`\`${input}\``), input)
    }
  })
})

describe("the README's commands and figures", () => {
  const pkg = JSON.parse(file('package.json')) as { scripts: Record<string, string>; devDependencies: Record<string, string> }
  /** Every command the README shows: code spans and shell blocks. */
  const code = [...README.matchAll(/```sh\n([\s\S]*?)```|`([^`\n]+)`/g)].map((match) => match[1] ?? match[2])

  it('runs only npm scripts the repository has, here and in RELEASING.md', () => {
    const releasing = [...file('RELEASING.md').matchAll(/```sh\n([\s\S]*?)```|`([^`\n]+)`/g)].map((match) => match[1] ?? match[2])
    const named = [...code, ...releasing].flatMap((text) => [...text.matchAll(/\bnpm run ([\w:-]+)/g)].map((match) => match[1]))
    assert.ok(named.length >= 7)
    for (const script of named) assert.ok(script in pkg.scripts, `npm run ${script} is not a script of package.json`)
    for (const match of releasing.join('\n').matchAll(/\bnode (scripts\/[\w.-]+)/g))
      assert.ok(fs.existsSync(fileURLToPath(new URL(`../${match[1]}`, import.meta.url))), match[1])
  })

  it('installs with npx --yes, so no prompt waits for an answer', () => {
    const npx = code.flatMap((text) => [...text.matchAll(/\bnpx\b[^\n]*/g)].map((match) => match[0])).filter((line) => !/^npx`?$/.test(line))
    assert.ok(npx.length >= 2)
    for (const line of npx) assert.match(line, /^npx --yes /, line)
  })

  it('installs the Node that package.json pins, and the CI script the README names exists', () => {
    for (const match of README.matchAll(/node@([\d.]+)/g)) assert.equal(match[1], pkg.devDependencies.node)
    for (const match of README.matchAll(/`(\.ci\/[\w.-]+)`/g))
      assert.ok(fs.existsSync(fileURLToPath(new URL(`../${match[1]}`, import.meta.url))), match[1])
  })

  it('gives no duration a test cannot hold', () => {
    assert.doesNotMatch(README, /\babout (?:a|an|\d+) (?:minute|hour)s?\b/)
  })

  it("gives the CLI's exit statuses as --help does", () => {
    const section = README.split('\n## Try a template before committing it: the CLI\n')[1]?.split('\n## ')[0] ?? ''
    const table = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((match) => Number(match[1]))
    const help = [...(/Exit status: ([^]*)$/.exec(usage())?.[1] ?? '').matchAll(/(?:^|, )(\d+) /g)].map((match) => Number(match[1]))
    assert.ok(table.length >= 2, 'the README has an exit status table')
    assert.deepEqual(table, help)
  })

  /**
   * The bounds the README states, each beside the constant of the code that holds it (read from the
   * source, so no module changes for the test): a changed constant fails here until the README says it.
   */
  const BOUNDS: Array<[RegExp, string, string, number?]> = [
    [/Videos per manifest \| ([\d,]+)/, 'src/job/manifest.ts', 'MAX_MANIFEST_VIDEOS'],
    [/Jobs per plan \| ([\d,]+)/, 'src/job/plan.ts', 'MAX_MATRIX_JOBS'],
    [/Rows in the comment \| ([\d,]+)/, 'src/deliver/comment.ts', 'MAX_COMMENT_ROWS'],
    [/Rows in the collect summary \| ([\d,]+)/, 'src/report/bounds.ts', 'MAX_SUMMARY_ROWS'],
    [/past ([\d,]+) rows/, 'src/report/bounds.ts', 'MAX_SUMMARY_ROWS'],
    [/shows (\d+) dry-run requests/, 'src/report/bounds.ts', 'MAX_SUMMARY_REQUESTS'],
    [/the ledger is read within (\d+) s/, 'src/video/ledger.ts', 'LEDGER_READ_MS', 1000],
    [/or (\d+) s after a cancel: a stuck upload/, 'src/video/ledger.ts', 'LEDGER_CANCEL_GRACE_MS', 1000],
    [/comments\) ends within (\d+) s/, 'src/github/connect.ts', 'GITHUB_CALL_MS', 1000],
    [/result record is waited for (\d+) s/, 'src/report/result-record.ts', 'RECORD_UPLOAD_MS', 1000],
    [/and (\d+) s after a cancel \(one that comes/, 'src/report/result-record.ts', 'RECORD_UPLOAD_CANCELLED_MS', 1000],
    [/Past the (\d+) files/, 'src/github/changes.ts', 'COMPARE_FILE_CAP'],
    [/at most (\d+) redirects/, 'src/video/url-policy.ts', 'MAX_REDIRECTS'],
    [/at most (\d+) a second for the whole job/, 'src/video/poll-budget.ts', 'POLLS_PER_SECOND'],
    [/(\d+) a page, up to/, 'src/github/reuse.ts', 'RECORD_PAGE_SIZE'],
    [/at most (\d+) tries within/, 'src/aistudios/retry.ts', 'maxAttempts'],
    [/tries within (\d+) minutes/, 'src/aistudios/retry.ts', 'maxElapsedMs', 60_000],
    [/templates up to (\d+) levels deep/, 'src/job/video-spec.ts', 'MAX_DEPTH'],
    [/up to (\d+) levels deep \(deeper is refused/, 'src/job/yaml.ts', 'MAX_YAML_DEPTH'],
    [/up to (\d+) in a row/, 'src/video/wait.ts', 'MAX_UNREADABLE_ANSWERS'],
    [/given a grace of (a) minute/, 'src/video/wait.ts', 'NOT_FOUND_GRACE_MS', 60_000],
    [/at most ([\d,]+) top-level boxes/, 'src/video/mp4.ts', 'MAX_TOP_LEVEL_BOXES'],
    [/under (\d+) MB of peak memory in the tests/, 'test/memory.test.ts', 'BUDGET_KB', 1024],
    [/none larger than (\d+) MiB/, 'src/job/parse.ts', 'MAX_INPUT_FILE_BYTES', 1 << 20],
    [/API answers are read up to (\d+) MiB/, 'src/aistudios/transport.ts', 'MAX_ANSWER_BYTES', 1 << 20]
  ]
  const flat = README.replace(/\s+/g, ' ')
  for (const [claim, source, name, unit = 1] of BOUNDS) {
    it(`states ${name} (${source}) as the code holds it`, () => {
      const written = claim.exec(flat)?.[1]
      assert.ok(written, `the README says ${String(claim)}`)
      // `NAME = 30_000`, `NAME: 6`, `NAME = 150 * 1024` or `NAME = 4 << 20`: a number, a product, a shift.
      const value = new RegExp(`\\b${name}(?::\\s*\\w+)?\\s*[=:]\\s*([\\d_]+(?:\\s*(?:\\*|<<)\\s*[\\d_]+)*)`).exec(file(source))?.[1]
      assert.ok(value, `${source} sets ${name}`)
      const numbers = value.split(/\*|<</).map((part) => Number(part.trim().replace(/_/g, '')))
      const number = value.includes('<<') ? numbers[0] * 2 ** numbers[1] : numbers.reduce((product, factor) => product * factor, 1)
      assert.equal(written === 'a' ? 1 : Number(written.replace(/,/g, '')), number / unit, `the README says ${written} for ${name}`)
    })
  }

  it('takes each performance figure from bench/RESULTS.md, as written or rounded', () => {
    /** A figure as a kind and a value in that kind's base unit (seconds, MB, MiB/s, a ratio). */
    const UNITS: Record<string, [string, number]> = {
      ms: ['time', 0.001],
      s: ['time', 1],
      MB: ['size', 1],
      'MiB/s': ['rate', 1],
      '×': ['ratio', 1],
      x: ['ratio', 1]
    }
    const FIGURE = /(\d+(?:\.\d+)?) ?(ms|s|MB|MiB\/s|×|x)(?![\w/])/g
    const measured = [...file('bench/RESULTS.md').matchAll(FIGURE)].map((match) => ({
      kind: UNITS[match[2]][0],
      value: Number(match[1]) * UNITS[match[2]][1]
    }))
    const section = README.split('\n## Performance\n')[1]?.split('\n## ')[0] ?? ''
    const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| |'))
    const figures = rows.flatMap((row) => [...row.replace(/^\|[^|]*\|/, '').matchAll(FIGURE)])
    assert.ok(figures.length >= 10)
    for (const [written, number, unit] of figures) {
      const [kind, scale] = UNITS[unit]
      // Half of the last digit written: 2.5 s stands for 2.45 to 2.55 s.
      const half = (0.5 * scale) / 10 ** (number.split('.')[1]?.length ?? 0)
      const value = Number(number) * scale
      assert.ok(
        measured.some((figure) => figure.kind === kind && Math.abs(figure.value - value) <= half + 1e-9),
        `${written} is not a figure of bench/RESULTS.md`
      )
    }
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
