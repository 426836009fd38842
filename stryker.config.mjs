// Mutation testing of the pure core: `npm run mutate` (every file below), or one file a change
// touched: `MUTATE=src/request/tags.ts npm run mutate`. Each file runs only the unit tests that cover
// it, so a file takes a minute or two, not the end-to-end suite's minutes per mutant. The tests run in
// one process (--test-isolation=none): a mutant costs one node start, not one per test file as well.
// @ts-check

/** Each core file and the unit tests that must notice a change to it. */
const UNIT_TESTS = {
  'src/aistudios/answers.ts': ['test/unit/answers.test.ts'],
  'src/aistudios/delete-projects.ts': ['test/unit/legacy-answers.test.ts'],
  'src/aistudios/envelope.ts': ['test/unit/envelope.test.ts', 'test/unit/envelope-shapes.test.ts'],
  'src/aistudios/legacy-project.ts': ['test/unit/legacy-answers.test.ts'],
  'src/deliver/asset-name.ts': ['test/unit/asset-name.test.ts'],
  'src/github/reuse-trust.ts': ['test/unit/reuse-trust.test.ts', 'test/unit/reuse-trust-messages.test.ts'],
  'src/job/action-defaults.ts': ['test/unit/action-defaults.test.ts'],
  'src/job/budget.ts': ['test/unit/budget.test.ts'],
  'src/job/json-keys.ts': ['test/unit/json-keys.test.ts'],
  'src/job/parse.ts': ['test/unit/parse.test.ts'],
  'src/job/plan.ts': ['test/unit/plan.test.ts', 'test/unit/shards.test.ts'],
  'src/job/pipeline.ts': ['test/unit/pipeline.test.ts'],
  'src/job/speech.ts': ['test/unit/speech-inputs.test.ts', 'test/unit/template.test.ts'],
  'src/job/template-shape.ts': ['test/unit/template-shape.test.ts'],
  'src/job/yaml.ts': ['test/unit/yaml.test.ts', 'test/unit/yaml-reading.test.ts'],
  'src/report/batch.ts': ['test/unit/gather.test.ts', 'test/unit/batch-counts.test.ts', 'test/unit/batch-summary.test.ts'],
  'src/report/bounds.ts': ['test/unit/bounds.test.ts', 'test/unit/bounds-limits.test.ts'],
  'src/request/contract.ts': ['test/unit/contract.test.ts'],
  'src/request/placeholders.ts': ['test/unit/placeholders.test.ts', 'test/unit/template.test.ts'],
  'src/request/scripts.ts': ['test/unit/scripts.test.ts', 'test/unit/scripts-lines.test.ts'],
  'src/request/speech.ts': ['test/unit/speech.test.ts', 'test/unit/project-request.test.ts'],
  'src/request/tags.ts': ['test/unit/tags.test.ts'],
  'src/request/template.ts': ['test/unit/template.test.ts', 'test/unit/template-export.test.ts'],
  'src/resume.ts': ['test/unit/resume-advice.test.ts', 'test/unit/resume-hints.test.ts'],
  'src/schemas.ts': ['test/unit/schemas.test.ts', 'test/unit/windows-names.test.ts'],
  'src/text.ts': ['test/unit/text.test.ts', 'test/unit/redact.test.ts', 'test/unit/text-formats.test.ts'],
  'src/video/filename.ts': ['test/unit/filename.test.ts'],
  'src/video/mp4.ts': ['test/unit/mp4.test.ts', 'test/unit/mp4-boxes.test.ts'],
  'src/video/policy.ts': ['test/unit/policy.test.ts'],
  'src/video/poll-budget.ts': ['test/unit/poll-budget.test.ts', 'test/unit/poll-budget-one.test.ts'],
  'src/video/resume-check.ts': ['test/unit/resume-check.test.ts'],
  'src/video/url-policy.ts': ['test/unit/url-policy.test.ts', 'test/unit/url-policy-addresses.test.ts']
}

const files = (process.env.MUTATE ?? Object.keys(UNIT_TESTS).join(',')).split(',').map((file) => file.trim())
const unknown = files.filter((file) => !(file in UNIT_TESTS))
if (unknown.length) throw new Error(`MUTATE names ${unknown.join(', ')}, which stryker.config.mjs does not map to unit tests`)
const tests = [...new Set(files.flatMap((file) => UNIT_TESTS[/** @type {keyof typeof UNIT_TESTS} */ (file)]))]

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: `node --import tsx --test --test-isolation=none ${tests.join(' ')}` },
  mutate: files,
  // Timing out is the mutant's fault only when it loops; tsx start-up alone takes a second.
  timeoutMS: 10_000,
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  reporters: ['clear-text', 'html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['dist', 'bench', 'reports', 'videos', '.demo'],
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
}
