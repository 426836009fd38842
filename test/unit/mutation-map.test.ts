import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// The mutation map (stryker.config.mjs): each file and the unit tests that must notice a change to it,
// which the weekly workflow (mutation.yml) runs file by file.

const root = fileURLToPath(new URL('../../', import.meta.url))
const text = (relative: string): string => fs.readFileSync(`${root}${relative}`, 'utf8')
/** The map as written: `'src/…': ['test/unit/…', …]` lines of UNIT_TESTS. */
const map = new Map(
  [...text('stryker.config.mjs').matchAll(/^ {2}'(src\/[^']+)': \[([^\]]+)\]/gmu)].map((match) => [
    match[1],
    [...match[2].matchAll(/'([^']+)'/gu)].map((test) => test[1])
  ])
)

describe('the mutation map', () => {
  it('maps each source file to unit tests that exist', () => {
    assert.ok(map.size >= 10, `${map.size} files mapped`)
    for (const [source, tests] of map) {
      assert.ok(fs.existsSync(`${root}${source}`), source)
      for (const test of tests) {
        assert.match(test, /^test\/unit\/[^/]+\.test\.ts$/u, `${source}: ${test} is a unit test`)
        assert.ok(fs.existsSync(`${root}${test}`), test)
      }
    }
  })

  it('is what the weekly workflow mutates: its matrix is read from the map, one job a file', () => {
    type Job = { needs?: string; strategy?: { matrix?: { file?: unknown } }; steps: Array<{ run?: string; env?: Record<string, string> }> }
    const { jobs } = parse(text('.github/workflows/mutation.yml')) as { jobs: Record<string, Job> }
    assert.match(jobs.files.steps.map((step) => step.run ?? '').join('\n'), /import\('\.\/stryker\.config\.mjs'\)[\s\S]*config\.mutate/u)
    assert.equal(jobs.mutate.needs, 'files')
    assert.equal(jobs.mutate.strategy?.matrix?.file, '${{ fromJSON(needs.files.outputs.files) }}')
    assert.ok(jobs.mutate.steps.some((step) => step.run === 'npm run mutate' && step.env?.MUTATE === '${{ matrix.file }}'))
  })
})
