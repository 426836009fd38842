/**
 * The repository's own automation: each workflow job's permissions (the release writes only in a job
 * that installs and builds nothing), the release's refusal of a tag that is not package.json's version
 * or has no dated notes, checkouts that keep no credential, the tests on every runner a user may pick,
 * Dependabot's deliberate pins, and the CHANGELOG's compare links.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const file = (relative: string): string => fs.readFileSync(fileURLToPath(new URL(`../${relative}`, import.meta.url)), 'utf8')

type Step = { uses?: string; run?: string; with?: Record<string, unknown> }
type Job = { permissions?: Record<string, string> | string; needs?: string | string[]; steps: Step[]; strategy?: { matrix?: { os?: string[] } } }
type Workflow = { permissions?: Record<string, string> | string; jobs: Record<string, Job> }

const workflow = (name: string): Workflow => parse(file(`.github/workflows/${name}`)) as Workflow
const WORKFLOWS = fs.readdirSync(fileURLToPath(new URL('../.github/workflows/', import.meta.url)))

/** What a job may do: its own permissions, or the workflow's when it has none. */
const permissionsOf = (flow: Workflow, job: Job): Record<string, string> => {
  const granted = job.permissions ?? flow.permissions
  assert.ok(granted !== undefined && typeof granted === 'object', 'permissions are written out, never the default token')
  return granted
}

describe('the release workflow', () => {
  const release = workflow('release.yml')

  it('grants nothing by default; the test job reads, only the release job writes', () => {
    assert.deepEqual(release.permissions, {})
    assert.deepEqual(permissionsOf(release, release.jobs.test), { contents: 'read' })
    assert.deepEqual(permissionsOf(release, release.jobs.release), { contents: 'write' })
    assert.equal(release.jobs.release.needs, 'test', 'the release waits for the tests')
  })

  it('runs every test in the read-only job, and no install, build or test where it can write', () => {
    const runs = (job: Job): string => job.steps.map((step) => step.run ?? '').join('\n')
    assert.match(runs(release.jobs.test), /npm ci[\s\S]*npm test/)
    assert.doesNotMatch(runs(release.jobs.release), /\bnpm\b|\bnpx\b|\bnode\b|\byarn\b/)
    assert.ok(!release.jobs.release.steps.some((step) => step.uses?.startsWith('actions/setup-node')), 'no toolchain where it can write')
    for (const [name, job] of Object.entries(release.jobs)) {
      for (const step of job.steps) for (const key of Object.keys(step)) assert.ok(key !== 'permissions', `${name}: a step cannot widen its job`)
    }
  })

  it('refuses a tag before anything is installed: scripts/check-release.ts runs first, given the tag', () => {
    const steps = release.jobs.test.steps
    const check = steps.findIndex((step) => step.run === 'node scripts/check-release.ts "$TAG"')
    assert.ok(check >= 0, 'the test job runs scripts/check-release.ts')
    assert.equal((steps[check] as Step & { env?: Record<string, string> }).env?.TAG, '${{ github.ref_name }}')
    assert.ok(check < steps.findIndex((step) => step.run === 'npm ci'), 'before npm ci')
  })

  it("finds the version's notes in CHANGELOG.md, stopping before the compare links", () => {
    const script = release.jobs.release.steps.find((step) => step.run?.includes('awk'))?.run ?? ''
    assert.match(script, /\\\[\[\^\]\]\+\\\]: /, 'the awk program stops at a link reference line')
  })
})

describe('scripts/check-release.ts, as release.yml runs it', () => {
  const SCRIPT = fileURLToPath(new URL('../scripts/check-release.ts', import.meta.url))
  const check = (tag: string, root: string): { code: number | null; output: string } => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/check-release.ts'), tag], { encoding: 'utf8' })
    return { code: run.status, output: run.stdout + run.stderr }
  }
  /** A tree with package.json at `version` and a CHANGELOG.md whose 1.0.0 heading ends in `dated`. */
  const tree = (version: string, dated: string): string => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aistudios-release-'))
    fs.mkdirSync(path.join(root, 'scripts'))
    fs.copyFileSync(SCRIPT, path.join(root, 'scripts/check-release.ts'))
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ version }))
    fs.writeFileSync(
      path.join(root, 'CHANGELOG.md'),
      `# Changelog\n\n## [Unreleased]\n\n## [1.0.0]${dated}\n\n### Added\n- Everything.\n\n[Unreleased]: https://github.com/o/r/compare/v1.0.0...HEAD\n[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n`
    )
    return root
  }

  it("lets a tag through that is package.json's version, with dated notes", () => {
    const run = check('v1.0.0', tree('1.0.0', ' - 2026-12-24'))
    assert.equal(run.code, 0, run.output)
    assert.match(run.output, /v1\.0\.0 may be released/)
  })

  it("refuses a tag that differs from package.json's version, as an error annotation", () => {
    const run = check('v1.0.1', tree('1.0.0', ' - 2026-12-24'))
    assert.equal(run.code, 1)
    assert.match(run.output, /^::error::the tag v1\.0\.1 is not package\.json's version \(1\.0\.0\)/m)
  })

  it('refuses a version without its CHANGELOG section, with undated notes, or a tag that is no version', () => {
    assert.match(check('v1.1.0', tree('1.1.0', ' - 2026-12-24')).output, /CHANGELOG\.md has no section '## \[1\.1\.0\]'/)
    assert.match(check('v1.0.0', tree('1.0.0', ' - not released yet')).output, /'## \[1\.0\.0\]' is not dated/)
    assert.match(check('1.0.0', tree('1.0.0', ' - 2026-12-24')).output, /'1\.0\.0' is not a release tag/)
  })

  it("holds this repository: its own version's tag fails for nothing but the date its release commit writes", () => {
    const root = fileURLToPath(new URL('..', import.meta.url))
    const { version } = JSON.parse(file('package.json')) as { version: string }
    const own = check(`v${version}`, root)
    const problems = own.output.split('\n').filter((line) => line.startsWith('::error::'))
    assert.ok(
      problems.every((line) => / is not dated: /.test(line)),
      own.output
    )
    assert.equal(check('v0.0.1', root).code, 1)
  })
})

describe('every workflow', () => {
  for (const name of WORKFLOWS) {
    it(`${name}: every job's permissions are written out, read-only unless it must write; checkouts keep no credential`, () => {
      const flow = workflow(name)
      for (const [jobName, job] of Object.entries(flow.jobs)) {
        const granted = permissionsOf(flow, job)
        const writes = Object.entries(granted).filter(([, level]) => level === 'write')
        const allowed: Record<string, string[]> = {
          'release.yml/release': ['contents'],
          'codeql.yml/analyze': ['security-events'],
          'render-videos.yml/collect': ['pull-requests']
        }
        assert.deepEqual(
          writes.map(([scope]) => scope).sort(),
          allowed[`${name}/${jobName}`] ?? [],
          `${name}: job ${jobName} writes only what it must`
        )
        for (const step of job.steps.filter((candidate) => candidate.uses?.startsWith('actions/checkout@'))) {
          assert.equal(step.with?.['persist-credentials'], false, `${name}: job ${jobName} checks out without keeping the token`)
        }
      }
    })
  }

  it('CodeQL runs on its current major (v4)', () => {
    const uses = Object.values(workflow('codeql.yml').jobs).flatMap((job) => job.steps.map((step) => step.uses ?? ''))
    const codeql = uses.filter((use) => use.startsWith('github/codeql-action/'))
    assert.ok(codeql.length >= 2)
    for (const use of codeql) assert.match(use, /@v4$/)
  })

  it('CI runs the tests on Linux, Windows and macOS runners', () => {
    const test = workflow('ci.yml').jobs.test
    assert.deepEqual(test.strategy?.matrix?.os?.sort(), ['macos-latest', 'ubuntu-latest', 'windows-latest'])
    assert.equal((test as unknown as { 'runs-on': string })['runs-on'], '${{ matrix.os }}')
    assert.ok(test.steps.some((step) => step.run === 'npm test'))
  })

  it('checks out text with LF line endings on every runner (Prettier checks them)', () => {
    assert.match(file('.gitattributes'), /^\* text=auto eol=lf$/m)
  })
})

describe('Dependabot', () => {
  it('ignores the deliberate pins, each with a comment saying why', () => {
    const text = file('.github/dependabot.yml')
    const npm = (
      parse(text) as { updates: Array<{ 'package-ecosystem': string; ignore?: Array<{ 'dependency-name': string; versions: string[] }> }> }
    ).updates.find((update) => update['package-ecosystem'] === 'npm')
    const rules = new Map((npm?.ignore ?? []).map((rule) => [rule['dependency-name'], rule.versions]))
    /** The comment lines right above a rule. */
    const commentAbove = (name: string): string => {
      const lines = text.split('\n')
      const at = lines.findIndex((line) => new RegExp(`^\\s*- dependency-name: '?${name.replace(/[/@]/g, '\\$&')}'?$`).test(line))
      const comments: string[] = []
      for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i]); i--) comments.unshift(lines[i])
      return comments.join(' ')
    }
    const pins: Record<string, string> = { typescript: '>=6.0.0', node: '>=25.0.0', undici: '>=7.0.0', '@types/node': '>=25.0.0' }
    for (const [name, versions] of Object.entries(pins)) {
      assert.deepEqual(rules.get(name), [versions], `${name} is pinned below ${versions}`)
      assert.match(commentAbove(name), new RegExp(`# ${name.replace(/[/@]/g, '\\$&')} \\d+.{20,}`), `${name}: the pin says why`)
    }
    const pkg = JSON.parse(file('package.json')) as { devDependencies: Record<string, string>; dependencies?: Record<string, string> }
    const installed = { ...pkg.dependencies, ...pkg.devDependencies }
    // Each pin holds the major the package is at: lifting one is a deliberate change of both.
    for (const [name, versions] of Object.entries(pins)) {
      const below = Number(/>=(\d+)/.exec(versions)?.[1])
      assert.equal(Number(installed[name].split('.')[0]) + 1, below, name)
    }
  })
})

describe('CHANGELOG.md', () => {
  it('links every version heading to its changes', () => {
    const changelog = file('CHANGELOG.md')
    const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((match) => match[1])
    assert.ok(versions.includes('Unreleased') && versions.length >= 2)
    for (const [i, version] of versions.entries()) {
      const link = new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]: (\\S+)$`, 'm').exec(changelog)?.[1]
      assert.ok(link, `[${version}] has a link`)
      const older = versions[i + 1]
      const tag = (v: string): string => (v === 'Unreleased' ? 'HEAD' : `v${v}`)
      const expected = older ? `/compare/${tag(older)}...${tag(version)}` : `/releases/tag/${tag(version)}`
      assert.ok(link.endsWith(expected), `${version}: ${link} ends with ${expected}`)
    }
  })
})
