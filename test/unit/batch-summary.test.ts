import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import type { ReadRecord, ResultRecord, VideoEntry } from '../../src/github/results.ts'
import { resultRecord } from '../helpers/result-records.ts'
import { NO_RESULT, entryFailed, failedEntry, gatherEntries, writeBatchSummary } from '../../src/report/batch.ts'
import { MAX_SUMMARY_ROWS, SUMMARY_LIMIT_BYTES } from '../../src/report/bounds.ts'

// The collect job's report (collect.ts): one entry a planned video gathered from the matrix jobs' result
// records, and one summary for the whole batch, written where GitHub reads a step's summary.

const entry = (name: string, status: VideoEntry['status'], extra: Partial<VideoEntry> = {}): VideoEntry => ({
  ...failedEntry(name, ''),
  status,
  error: status === 'failed' ? 'boom' : null,
  ...extra
})
const record = (attempt: number, videos: string[], entries: VideoEntry[], extra: Partial<ResultRecord> = {}): ReadRecord => ({
  artifact: `result-${attempt}-${videos.join('-')}.json`,
  record: resultRecord(attempt, videos, entries, extra)
})

const REFUSAL = 'the API refused the request: '.padEnd(1400, 'x')
const done = (name: string): VideoEntry => ({ ...failedEntry(name, ''), status: 'downloaded', error: null, 'export-key': `k${name}`, size: 1000 })

describe('gatherEntries: what each planned video gets', () => {
  it('says of a video no record names that its job did not report', () => {
    const [only] = gatherEntries(['a'], [], () => assert.fail('nothing to refuse'))
    assert.deepEqual(only, failedEntry('a', 'no result: its job did not report'))
    assert.equal(NO_RESULT, 'no result: its job did not report')
  })

  it("gives each video of a record its own entry, not another video's", () => {
    const gathered = gatherEntries(['a', 'b'], [record(1, ['a', 'b'], [entry('b', 'downloaded', { size: 2 }), entry('a', 'skipped')])], () => {})
    assert.deepEqual(
      gathered.map((e) => [e.name, e.status]),
      [
        ['a', 'skipped'],
        ['b', 'downloaded']
      ]
    )
  })

  it('fails a video its job was given but did not reach, saying how the job ended where it gave no error', () => {
    const [gathered] = gatherEntries(['a'], [record(1, ['a'], [], { outcome: 'cancelled' })], () => {})
    assert.deepEqual(gathered, failedEntry('a', 'its job ended (cancelled) before this video'))
  })

  it('keeps an earlier record’s entry over an older attempt that comes after it', () => {
    const gathered = gatherEntries(['a'], [record(3, ['a'], [entry('a', 'downloaded')]), record(2, ['a'], [entry('a', 'failed')])], () => {})
    assert.equal(gathered[0].status, 'downloaded')
    const rerun = gatherEntries(['a'], [record(1, ['a'], [entry('a', 'failed')]), record(2, ['a'], [entry('a', 'downloaded')])], () => {})
    assert.equal(rerun[0].status, 'downloaded', 'a re-run attempt’s record that comes later wins')
  })

  it('refuses nothing where every record speaks only of videos it was given', () => {
    const refused: string[] = []
    gatherEntries(['a', 'b'], [record(1, ['a'], [entry('a', 'downloaded')]), record(1, ['b'], [])], (message) => refused.push(message))
    assert.deepEqual(refused, [])
  })

  it('names at most five stray videos, each once, in the refusal', () => {
    const refused: string[] = []
    const strays = ['s1', 's2', 's3', 's4', 's5', 's6']
    gatherEntries(['a'], [record(1, ['a', ...strays], [entry('s1', 'downloaded')])], (message) => refused.push(message))
    assert.deepEqual(refused, [
      'result record result-1-a-s1-s2-s3-s4-s5-s6.json speaks of video(s) it was not given in this plan (s1, s2, s3, s4, s5): those are ignored'
    ])
  })
})

describe('entryFailed', () => {
  it('fails collect for a failed or skipped video (and one without a result), not for one delivered, started or dry-run', () => {
    assert.deepEqual(
      (['failed', 'skipped', 'downloaded', 'started', 'dry-run'] as const).map((status) => entryFailed(entry('v', status))),
      [true, true, false, false, false]
    )
  })
})

describe('writeBatchSummary', () => {
  let folder: string
  let file: string
  const saved = process.env.GITHUB_STEP_SUMMARY
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'batch-summary-'))
    file = join(folder, 'summary.md')
    process.env.GITHUB_STEP_SUMMARY = file
  })
  beforeEach(() => writeFileSync(file, ''))
  after(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = saved
    rmSync(folder, { recursive: true, force: true })
  })
  const written = async (entries: VideoEntry[], jobs = 2): Promise<string> => {
    writeFileSync(file, '')
    await writeBatchSummary(entries, jobs, file)
    return readFileSync(file, 'utf8')
  }

  it('writes nothing where the runner has no summary file', async () => {
    await writeBatchSummary([entry('a', 'failed')], 1, undefined)
    assert.equal(readFileSync(file, 'utf8'), '')
  })

  it('heads a batch delivered in full with the film emoji and the counts, then one row a video', async () => {
    // An empty cell is written <td> (the toolkit's summary), with no closing tag.
    const text = await written([
      entry('intro <1>', 'downloaded', { 'export-key': 'k&1', size: 2048, 'artifact-url': 'https://github.com/o/r/actions/runs/7/artifacts/9' }),
      entry('outro', 'downloaded')
    ])
    assert.match(text, /<h2>🎬 AI Studios batch: 2 delivered \(of 2\)<\/h2>/)
    assert.match(text, /<p>Gathered from 2 result record\(s\) of this run's matrix jobs\.<\/p>/)
    assert.match(text, /<tr><th>Video<\/th><th>Status<\/th><th>Export key<\/th><th>Size<\/th><th>Artifact<\/th><\/tr>/)
    assert.match(
      text,
      /<tr><td>intro &#60;1&#62;<\/td><td>downloaded<\/td><td><code>k&#38;1<\/code><\/td><td>2(\.0)? KiB<\/td><td><a href="https:\/\/github\.com\/o\/r\/actions\/runs\/7\/artifacts\/9">artifact<\/a><\/td><\/tr>/
    )
    assert.match(text, /<tr><td>outro<\/td><td>downloaded<\/td><td><td><td><\/tr>/)
    assert.doesNotMatch(text, /What failed/)
  })

  it('heads a batch with started videos (nothing failed) with the hourglass', async () => {
    assert.match(await written([entry('a', 'downloaded'), entry('b', 'started')]), /<h2>⏳ AI Studios batch: 1 delivered, 1 started \(of 2\)<\/h2>/)
  })

  it('heads a batch where a video failed with the cross, and lists what failed, why, and its export key or none', async () => {
    const text = await written([
      entry('a', 'started'),
      entry('b', 'failed', { error: 'render <timed out>', 'export-key': 'k2' }),
      entry('c', 'skipped', { error: null })
    ])
    assert.match(text, /<h2>❌ AI Studios batch: 0 delivered, 1 started, 1 failed, 1 skipped \(of 3\)<\/h2>/)
    const failedPart = text.slice(text.indexOf('<h3>What failed</h3>'), text.indexOf('<h3>Every video</h3>'))
    assert.ok(text.includes('<h3>What failed</h3>'), text)
    assert.match(failedPart, /<tr><th>Video<\/th><th>Why<\/th><th>Export key<\/th><\/tr>/)
    assert.match(failedPart, /<tr><td>b<\/td><td>render &#60;timed out&#62;<\/td><td><code>k2<\/code><\/td><\/tr>/)
    assert.match(failedPart, /<tr><td>c<\/td><td>skipped<\/td><td>not exported<\/td><\/tr>/)
    assert.doesNotMatch(failedPart, /<td>a<\/td>/)
  })

  it(`lists at most ${MAX_SUMMARY_ROWS} videos a table and counts the rest`, async () => {
    const many = Array.from({ length: MAX_SUMMARY_ROWS + 3 }, (_, index) => entry(`v${index}`, 'failed'))
    const text = await written(many)
    assert.match(text, /<p>… and 3 more failed videos, not listed \(the summary has a size limit\); the log names each<\/p>/)
    assert.match(text, /<p>… and 3 more videos, not listed \(the summary has a size limit\); the job's `videos` output names each<\/p>/)
    assert.equal(text.match(new RegExp(`<td>v${MAX_SUMMARY_ROWS - 1}</td>`, 'g'))?.length, 2)
    assert.equal(text.match(new RegExp(`<td>v${MAX_SUMMARY_ROWS}</td>`, 'g')), null)
    const exact = await written(many.slice(0, MAX_SUMMARY_ROWS))
    assert.doesNotMatch(exact, /more (failed )?videos, not listed/)
  })

  it('keeps 1,200 long refusals under GitHub’s 1 MiB, counting the failures it could not list', async () => {
    const entries = Array.from({ length: 1200 }, (_, i) => failedEntry(`video-${i}`, REFUSAL))
    const text = await written(entries, 12)
    assert.ok(Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES, `${Buffer.byteLength(text)} bytes`)
    assert.match(text, /0 delivered, 1200 failed \(of 1200\)/)
    assert.match(text, /… and \d+ more failed videos, not listed \(the summary has a size limit\); the log names each/)
    assert.match(text, /video-0</)
  })

  it('lists every failure before the rest, however many videos were delivered', async () => {
    const entries = [...Array.from({ length: 3000 }, (_, i) => done(`ok-${i}`)), failedEntry('late-failure', REFUSAL)]
    const text = await written(entries, 30)
    assert.ok(Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES)
    const failedAt = text.indexOf('late-failure')
    assert.ok(failedAt > 0, 'the failure is listed')
    assert.ok(failedAt < text.indexOf('ok-0<'), 'before the delivered videos')
    assert.match(text, /… and \d+ more videos, not listed .*the job's `videos` output names each/)
  })

  it('cuts one very long reason rather than leaving its video out', async () => {
    const text = await written([failedEntry('one', 'y'.repeat(3900))], 1)
    assert.match(text, /y{1000}… \(2900 more characters\)/)
  })

  it('lists a draft run’s drafts for review, each with where to open it, under the notepad when all are drafts', async () => {
    const draft = (name: string, id: string): VideoEntry =>
      entry(name, 'draft', { 'draft-project-id': id, 'draft-url': 'https://app.aistudios.com/dashboard?a=1&b=2' })
    const text = await written([draft('intro', 'd1'), draft('outro', 'd2')])
    assert.match(text, /<h2>📝 AI Studios batch: 0 delivered, 2 draft \(of 2\)<\/h2>/)
    assert.match(text, /<h3>Drafts for review<\/h3>/)
    assert.match(text, /Saved in AI Studios, not rendered: nothing was paid\./)
    assert.match(
      text,
      /<tr><td>intro<\/td><td><code>d1<\/code>, <a href="https:\/\/app\.aistudios\.com\/dashboard\?a=1&#38;b=2">open in AI Studios<\/a><\/td><\/tr>/
    )
    assert.ok(text.indexOf('Drafts for review') < text.indexOf('<h3>Every video</h3>'), 'the drafts before every video')
    const mixed = await written([draft('intro', 'd1'), entry('outro', 'downloaded')])
    assert.match(mixed, /<h2>🎬 AI Studios batch: 1 delivered, 1 draft \(of 2\)<\/h2>/)
    assert.match(mixed, /<tr><td>intro<\/td><td><code>d1<\/code>, <a href/)
    assert.doesNotMatch(await written([entry('a', 'downloaded')]), /Drafts for review|Every video/)
    const bare = await written([entry('x', 'draft', { 'draft-project-id': 'd3' })])
    assert.match(bare, /<tr><td>x<\/td><td><code>d3<\/code><\/td><\/tr>/)
  })

  it('counts the drafts past the summary’s bounds, naming where each is', async () => {
    const many = Array.from({ length: MAX_SUMMARY_ROWS + 2 }, (_, index) => entry(`d${index}`, 'draft', { 'draft-project-id': `p${index}` }))
    const text = await written(many)
    assert.match(text, /<p>… and 2 more drafts, not listed \(the summary has a size limit\); the job's `videos` output names each<\/p>/)
  })
})

describe('gatherEntries: two records of one attempt', () => {
  it('fails the video, naming both records and the likeliest cause', () => {
    const refused: string[] = []
    const [only] = gatherEntries(
      ['a'],
      [record(1, ['a'], [entry('a', 'downloaded')]), { ...record(1, ['a'], [entry('a', 'failed')]), artifact: 'other.json' }],
      (message) => refused.push(message)
    )
    assert.equal(only.status, 'failed')
    assert.equal(
      only.error,
      "result records result-1-a.json and other.json both report it for attempt 1; if this manifest is planned twice in the run, give each plan's 'pipeline' output to its render and collect jobs, then re-run the job that renders it"
    )
    assert.deepEqual(refused, ['result records result-1-a.json and other.json both report it for attempt 1: video a is taken as failed'])
  })
})
