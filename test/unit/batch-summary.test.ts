/** Collect's summary has a single job's byte budget, and no truncation hides a failed video. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { after, beforeEach, describe, it } from 'node:test'
import * as core from '@actions/core'
import type { VideoEntry } from '../../src/github/results.ts'
import { failedEntry, writeBatchSummary } from '../../src/report/batch.ts'
import { SUMMARY_LIMIT_BYTES } from '../../src/report/bounds.ts'

const REFUSAL = 'the API refused the request: '.padEnd(1400, 'x')
const done = (name: string): VideoEntry => ({ ...failedEntry(name, ''), status: 'downloaded', error: null, 'export-key': `k${name}`, size: 1000 })

// core.summary keeps the first file it was given: one file for the suite, emptied before each test.
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'batch-summary-')), 'summary.md')
process.env.GITHUB_STEP_SUMMARY = file
beforeEach(() => {
  fs.writeFileSync(file, '')
  core.summary.emptyBuffer()
})
after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }))

describe('writeBatchSummary', () => {
  it('keeps 1,200 long refusals under GitHub’s 1 MiB, counting the failures it could not list', async () => {
    const entries = Array.from({ length: 1200 }, (_, i) => failedEntry(`video-${i}`, REFUSAL))
    await writeBatchSummary(entries, 12, file)
    const text = fs.readFileSync(file, 'utf8')
    assert.ok(Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES, `${Buffer.byteLength(text)} bytes`)
    assert.match(text, /0 delivered, 1200 failed \(of 1200\)/)
    assert.match(text, /… and \d+ more failed videos, not listed \(the summary has a size limit\); the log names each/)
    assert.match(text, /video-0</)
  })

  it('lists every failure before the rest, however many videos were delivered', async () => {
    const entries = [...Array.from({ length: 3000 }, (_, i) => done(`ok-${i}`)), failedEntry('late-failure', REFUSAL)]
    await writeBatchSummary(entries, 30, file)
    const text = fs.readFileSync(file, 'utf8')
    assert.ok(Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES)
    const failedAt = text.indexOf('late-failure')
    assert.ok(failedAt > 0, 'the failure is listed')
    assert.ok(failedAt < text.indexOf('ok-0<'), 'before the delivered videos')
    assert.match(text, /… and \d+ more videos, not listed .*the job's `videos` output names each/)
  })

  it('cuts one very long reason rather than leaving its video out', async () => {
    await writeBatchSummary([failedEntry('one', 'y'.repeat(3900))], 1, file)
    const text = fs.readFileSync(file, 'utf8')
    assert.match(text, /y{1000}… \(2900 more characters\)/)
  })
})
