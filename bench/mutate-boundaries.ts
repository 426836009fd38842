/**
 * Mutation of the boundaries (issue #35, point 2): the modules that are not pure (the wait loop, the
 * ledger, delivery, collect) are not in stryker.config.mjs, whose unit tests cannot reach them. Here a
 * fixed sample of hand-picked mutants, each a literal {file, find, replace}, is run against the
 * end-to-end tests that run the bundle: for each mutant, the mutation is applied to src/, the action
 * bundle (dist/index.js, what the end-to-end tests run) is built, the module's test files run, and the
 * mutant is killed when a test failed. src/ and dist/ are restored after each mutant and at the end.
 *
 *   node --import tsx bench/mutate-boundaries.ts [mutant-id ...]     (no ids: the whole sample)
 *
 * A find string that is not in its file exactly once fails the run before anything is built. ncc
 * type-checks (noUnusedLocals): a dropped call keeps its names read (`void [name, ...]`), else the
 * mutant is only a build failure, reported as such. Each module's test files are the end-to-end files
 * whose tests drive its behaviour (found by grepping test/ for it: the stall and lost marks, the
 * ledger, the delivery failures, collect). A mutant costs a build (~10-40 s) and its module's files
 * (~20-120 s, two at a time): the 24 take about 20-30 minutes on two cores.
 */
import { spawn, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Per test file: past this the file's run is killed and the mutant counted as killed by a timeout. */
const FILE_TIMEOUT_MS = 240_000
const CONCURRENCY = 2

interface Mutant {
  id: string
  description: string
  file: string
  find: string
  replace: string
}

interface Module {
  name: string
  file: string
  /** The end-to-end test files that exercise the module. */
  tests: string[]
  mutants: Array<Omit<Mutant, 'file'>>
}

const MODULES: Module[] = [
  {
    name: 'wait',
    file: 'src/video/wait.ts',
    tests: [
      'test/action-render-wait.test.ts',
      'test/action-poll-budget.test.ts',
      'test/action-rerun.test.ts',
      'test/action-api.test.ts',
      'test/action-bounded-waits.test.ts'
    ],
    mutants: [
      {
        id: 'W1',
        description: 'not-found grace comparison flipped (>= to <)',
        find: 'if (now() - notFoundSince >= notFoundGraceMs) {',
        replace: 'if (now() - notFoundSince < notFoundGraceMs) {'
      },
      {
        id: 'W2',
        description: 'justExported negated (a resumed unknown key gets the grace, a fresh export none)',
        find: 'if (!justExported) {',
        replace: 'if (justExported) {'
      },
      {
        id: 'W3',
        description: 'progress never counts as begun (> 0 to > 100): the stall clock never starts',
        find: 'if (answer.progress > 0) begun = true',
        replace: 'if (answer.progress > 100) begun = true'
      },
      {
        id: 'W4',
        description: 'URL_LAG_POLLS 3 to 1,000,000: the export record is never asked for the URL',
        find: 'const URL_LAG_POLLS = 3',
        replace: 'const URL_LAG_POLLS = 1_000_000'
      },
      {
        id: 'W5',
        description: "the between-polls 'timeout' check dropped (only the deadline signal is left)",
        find: 'if (now() >= settings.timeoutMs) throw timedOut()',
        replace: 'void 0'
      },
      {
        id: 'W6',
        description: 'MAX_UNREADABLE_ANSWERS 5 to 1: the first unreadable progress answer ends the wait',
        find: 'const MAX_UNREADABLE_ANSWERS = 5',
        replace: 'const MAX_UNREADABLE_ANSWERS = 1'
      }
    ]
  },
  {
    name: 'ledger',
    file: 'src/video/ledger.ts',
    tests: ['test/action-rerun.test.ts', 'test/action-ledger-bounds.test.ts', 'test/action-stops.test.ts', 'test/action-bounded-waits.test.ts'],
    mutants: [
      {
        id: 'L1',
        description: 'the accepted export is not recorded (record call dropped in recordExport)',
        find: 'await record(fingerprint, entry, runner, log, signal)',
        replace: 'void [fingerprint, signal]'
      },
      {
        id: 'L2',
        description: 'attempt bound flipped (runAttempt <= 1 to < 1): attempt 1 reads the ledger too',
        find: 'runner.runAttempt <= 1) return undefined',
        replace: 'runner.runAttempt < 1) return undefined'
      },
      {
        id: 'L3',
        description: 'the dead/lost end mark is not recorded (record call dropped in recordEnd)',
        find: 'await record(fingerprint, { end, key }, runner, log, signal)',
        replace: 'void [fingerprint, signal]'
      },
      {
        id: 'L4',
        description: 'LEDGER_READ_MS 30,000 to 1: the ledger read gives up at once',
        find: 'export const LEDGER_READ_MS = 30_000',
        replace: 'export const LEDGER_READ_MS = 1'
      },
      {
        id: 'L5',
        description: "a 'delivered' mark is not recognised (looks for 'dead' instead)",
        find: "isEnd(mark) && mark.end === 'delivered' && exports.some",
        replace: "isEnd(mark) && mark.end === 'dead' && exports.some"
      },
      {
        id: 'L6',
        description: 'ledger retention min to max: kept longer than the repository allows',
        find: 'Math.min(30, runner.maxRetentionDays ?? 30)',
        replace: 'Math.max(30, runner.maxRetentionDays ?? 30)'
      }
    ]
  },
  {
    name: 'deliver',
    file: 'src/deliver/deliver.ts',
    tests: ['test/action-delivery.test.ts', 'test/edge-cancel-delivery-3.test.ts'],
    mutants: [
      {
        id: 'D1',
        description: 'an uploaded video (one artifact each) is not marked uploaded: a cancel blames the artifact',
        find: "until(uploadVideoArtifact(video, result.exportKey ?? '', job.artifact, job.runner))\n          )\n          uploaded.add(result)",
        replace: "until(uploadVideoArtifact(video, result.exportKey ?? '', job.artifact, job.runner))\n          )"
      },
      {
        id: 'D2',
        description: "the video's SHA-256 is not computed (call dropped)",
        find: 'result.sha256 = await until(videoSha256(video, result.artifact))',
        replace: 'void [videoSha256, video]'
      },
      {
        id: 'D3',
        description: 'markUndelivered guard negated (!result.delivered): a failed delivery is never marked',
        find: "if (result.status !== 'downloaded' || !result.video || result.delivered) return",
        replace: "if (result.status !== 'downloaded' || !result.video || !result.delivered) return"
      },
      {
        id: 'D4',
        description: 'the pull request comment is not upserted (call dropped)',
        find: 'await until(upsertComment(github, rows, job.runner))',
        replace: 'void [upsertComment, rows]'
      },
      {
        id: 'D5',
        description: 'matrixJob negated: single runs skip the comment, matrix render jobs write it',
        find: 'if (job.matrixJob) info(',
        replace: 'if (!job.matrixJob) info('
      },
      {
        id: 'D6',
        description: "a failure no saved video owns is not thrown at the end ('if (unowned) throw' dropped)",
        find: 'if (unowned) throw unowned',
        replace: 'void unowned'
      }
    ]
  },
  {
    name: 'collect',
    file: 'src/modes/collect.ts',
    tests: ['test/action-batch.test.ts', 'test/action-reusable-workflow.test.ts', 'test/action-delivery.test.ts'],
    mutants: [
      {
        id: 'C1',
        description: 'failure bound changed (failed.length > 0 to > 1): one failed video does not fail collect',
        find: 'if (failed.length > 0) {',
        replace: 'if (failed.length > 1) {'
      },
      {
        id: 'C2',
        description: "the 'videos' output is not set (setVideosOutput dropped)",
        find: 'setVideosOutput(entries)',
        replace: 'void [setVideosOutput, entries]'
      },
      {
        id: 'C3',
        description: 'the batch summary is not written (writeBatchSummary dropped)',
        find: 'await writeBatchSummary(entries, records.length, runner.summaryFile)',
        replace: 'void writeBatchSummary'
      },
      {
        id: 'C4',
        description: "'comment' negated: the batch comment only when it was not asked for",
        find: 'if (github && job.github.comment)',
        replace: 'if (github && !job.github.comment)'
      },
      {
        id: 'C5',
        description: 'await removed from the batch comment upsert: its failure escapes the try (an unhandled rejection)',
        find: 'await upsertComment(',
        replace: 'void upsertComment('
      },
      {
        id: 'C6',
        description: "foreign-records bound changed (> 0 to > 1): one other pipeline's record is not said",
        find: 'if (foreign.length > 0)',
        replace: 'if (foreign.length > 1)'
      }
    ]
  }
]

interface Outcome {
  module: string
  mutant: Mutant
  status: 'killed' | 'survived' | 'build failed'
  by: string[]
  seconds: number
}

function run(command: string, args: string[]): { code: number | null; output: string } {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
}

function restore(): void {
  const checkout = run('git', ['checkout', '--', 'src', 'dist'])
  const clean = run('git', ['clean', '-fdq', '--', 'dist'])
  if (checkout.code !== 0 || clean.code !== 0) throw new Error(`could not restore src and dist:\n${checkout.output}${clean.output}`)
}

/** The action bundle only: the end-to-end tests run dist/index.js, not the CLI's bundle. */
function build(): { ok: boolean; output: string } {
  const { code, output } = run(path.join(ROOT, 'node_modules/.bin/ncc'), ['build', 'src/index.ts', '-o', 'dist', '--license', 'licenses.txt'])
  return { ok: code === 0, output }
}

/** One test file in a process of its own; the names of the leaf tests that failed, or [] when all passed. */
function testFile(file: string): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-(child.pid as number), 'SIGKILL')
      } catch {
        // already gone
      }
    }, FILE_TIMEOUT_MS)
    child.on('close', (code) => {
      clearTimeout(timer)
      const base = path.basename(file, '.test.ts')
      if (timedOut) return resolve([`${base}: timed out after ${FILE_TIMEOUT_MS / 1000} s`])
      if (code === 0) return resolve([])
      // Leaf failures: a `not ok` line not followed by deeper-indented subtests.
      const lines = out.split('\n')
      const failed: Array<{ depth: number; name: string }> = []
      for (const line of lines) {
        const match = /^(\s*)not ok \d+ - (.*)$/.exec(line)
        if (!match || match[2]?.endsWith('.test.ts')) continue
        failed.push({ depth: match[1]?.length ?? 0, name: (match[2] ?? '').replace(/ # .*$/, '') })
      }
      const deepest = Math.max(...failed.map((entry) => entry.depth), 0)
      const leaves = failed.filter((entry) => entry.depth === deepest).map((entry) => `${base}: ${entry.name}`)
      resolve(leaves.length > 0 ? leaves : [`${base}: exit ${code}`])
    })
  })
}

async function testFiles(files: string[]): Promise<string[]> {
  const queue = [...files]
  const failures: string[] = []
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let file = queue.shift(); file; file = queue.shift()) failures.push(...(await testFile(file)))
    })
  )
  return failures
}

const only = new Set(process.argv.slice(2))
const sample = MODULES.flatMap((module) =>
  module.mutants.filter((mutant) => only.size === 0 || only.has(mutant.id)).map((mutant) => ({ module, mutant: { ...mutant, file: module.file } }))
)
// Every find string is checked before anything is built: exactly one occurrence, or the run fails.
for (const { mutant } of sample) {
  const count = fs.readFileSync(path.join(ROOT, mutant.file), 'utf8').split(mutant.find).length - 1
  if (count !== 1) throw new Error(`${mutant.id}: its find string occurs ${count} times in ${mutant.file}, not once: ${JSON.stringify(mutant.find)}`)
}
if (run('git', ['diff', '--quiet', '--', 'src']).code !== 0) throw new Error('src/ has uncommitted changes: commit or stash them first')

const started = Date.now()
const outcomes: Outcome[] = []
let interrupted = false
process.on('SIGINT', () => {
  interrupted = true
  restore()
  process.exit(130)
})
try {
  for (const { module, mutant } of sample) {
    const mutantStarted = Date.now()
    const file = path.join(ROOT, mutant.file)
    const source = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(
      file,
      source.replace(mutant.find, () => mutant.replace)
    )
    const built = build()
    let outcome: Outcome
    if (!built.ok) {
      console.log(built.output.slice(-2000))
      outcome = { module: module.name, mutant, status: 'build failed', by: [], seconds: 0 }
    } else {
      const by = await testFiles(module.tests)
      outcome = { module: module.name, mutant, status: by.length > 0 ? 'killed' : 'survived', by, seconds: 0 }
    }
    restore()
    outcome.seconds = Math.round((Date.now() - mutantStarted) / 1000)
    outcomes.push(outcome)
    console.log(`${mutant.id} ${outcome.status} in ${outcome.seconds} s${outcome.by.length ? `: ${outcome.by.join('; ')}` : ''}`)
  }
} finally {
  if (!interrupted) restore()
}

console.log(`\n| module | mutant | description | result | by | s |`)
console.log('|---|---|---|---|---|---|')
for (const o of outcomes) {
  const by = o.by.slice(0, 3).join('<br>') + (o.by.length > 3 ? `<br>(+${o.by.length - 3} more)` : '')
  console.log(`| ${o.module} | ${o.mutant.id} | ${o.mutant.description} | ${o.status} | ${by} | ${o.seconds} |`)
}
console.log('\n| module | killed / total |')
console.log('|---|---|')
for (const module of MODULES) {
  const mine = outcomes.filter((o) => o.module === module.name)
  if (mine.length > 0) console.log(`| ${module.name} (${module.file}) | ${mine.filter((o) => o.status === 'killed').length} / ${mine.length} |`)
}
console.log(
  `\n${outcomes.filter((o) => o.status === 'killed').length} of ${outcomes.length} killed in ${Math.round((Date.now() - started) / 1000)} s`
)
