/**
 * Hostile review (atk1) of review-before-paying: a draft kept across runs, the draft key of a saved
 * project, resume against the reviewed draft, dry runs, and where the flow meets cleanup, reuse and
 * re-run attempts; a server that answers a draft's read oddly, and records any run of the repository left.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { makeWorkspace } from './helpers/run-action.ts'
import { CREATE, EXPORT, MAIN_PUSH, PULL, draftFlow, templateWith, told } from './helpers/draft-flow.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { DIALOGUE_PROJECT_ID, SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 200 })
const { run, posts, plant, draftRecordOf } = draftFlow(world)

/** A 500 on each read of a project, as many times as the client retries one (Retry-After 0: no wait). */
const projectReadsFail = (times = 6): void => {
  world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times })
}

describe('review before paying, attacked', () => {
  it('from-draft: true does not pay for an unreviewed export when the reviewed draft only failed to read (500), it is not gone', async () => {
    const workspace = templateWith('Reviewed; the API hiccups on merge.')
    const drafted = await run(600, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    projectReadsFail()
    const exports = world.sim.exports.length
    const merged = await run(601, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace)
    world.sim.options.faults.length = 0
    const unreviewed = world.sim.exports.slice(exports).filter((e) => e.body.projectId !== draft)
    assert.equal(
      unreviewed.length,
      0,
      `a 500 on the draft's read is not "no draft": the run paid for the template anew, without the review's edits, while draft ${draft} exists:\n${told(merged.stdout)}`
    )
  })

  it('a later push whose reviewed draft only failed to read (500) saves no newer draft that the merge then exports instead', async () => {
    const workspace = templateWith('Reviewed; the API hiccups on the next push.')
    const first = await run(610, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const reviewed = first.outputs['draft-project-id']
    ;(world.sim.options.projects[reviewed] as { name?: string }).name = 'Edited in review'
    projectReadsFail()
    const created = posts(CREATE)
    const second = await run(611, PULL, { draft: 'true' }, workspace)
    world.sim.options.faults.length = 0
    const exports = world.sim.exports.length
    const merged = await run(612, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.equal(
      world.sim.exports[exports]?.body.projectId,
      reviewed,
      `the merge (required) exported ${String(world.sim.exports[exports]?.body.projectId)}, a draft nobody reviewed that the second push saved ` +
        `(${posts(CREATE) - created} created) because the reviewed draft ${reviewed} answered 500 once; the README: "keeps the draft already saved":\n${told(second.stdout)}`
    )
  })

  it("cleanup deletes the reviewed draft once, with its export, when the API answers an export with the draft's own ID", async () => {
    const workspace = templateWith('Reviewed, exported, cleaned up (export keeps the ID).')
    const drafted = await run(620, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    world.sim.options.exportKeepsId = true
    try {
      const deleted = world.sim.deleted.length
      const merged = await run(621, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true' }, workspace)
      assert.equal(merged.code, 0, merged.stdout)
      assert.equal(merged.outputs['export-key'], draft, 'the export is the draft itself')
      assert.deepEqual(world.sim.deleted.slice(deleted), [draft], `deleted once, never said kept:\n${told(merged.stdout)}`)
      assert.doesNotMatch(merged.stdout, /is kept in AI Studios/)
    } finally {
      world.sim.options.exportKeepsId = false
    }
  })

  it("a draft record naming the step's own saved project does not get it deleted, even when the export keeps its ID", async () => {
    const workspace = makeWorkspace({})
    // The step changes its saved project (new speech): the draft run saves a changed copy as the draft.
    const step = { 'project-id': SAMPLE_PROJECT_ID, template: '', script: 'Changed by the step.' }
    const drafted = await run(630, PULL, { draft: 'true', ...step }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    assert.notEqual(drafted.outputs['draft-project-id'], SAMPLE_PROJECT_ID)
    // Another pull request of this repository leaves a newer record of the same request naming the user's own project.
    plant(632, draftRecordOf(630), JSON.stringify({ projectId: SAMPLE_PROJECT_ID, created: true }))
    world.sim.options.exportKeepsId = true
    try {
      const merged = await run(631, MAIN_PUSH, { 'from-draft': 'true', cleanup: 'true', ...step }, workspace)
      assert.equal(merged.code, 0, merged.stdout)
      assert.match(
        merged.stdout,
        new RegExp(
          `cleanup: ${SAMPLE_PROJECT_ID} is kept in AI Studios: it is the saved project|cleanup: ${SAMPLE_PROJECT_ID} is kept in AI Studios: it is a project the step names`
        )
      )
      assert.ok(
        !world.sim.deleted.includes(SAMPLE_PROJECT_ID),
        `the user's saved project ${SAMPLE_PROJECT_ID} was deleted on a record's word:\n${told(merged.stdout)}`
      )
    } finally {
      world.sim.options.exportKeepsId = false
    }
  })

  it('with reuse, from-draft: required renders the reviewed draft, not an earlier video of the template made before the review', async () => {
    const workspace = templateWith('Exported before any review, then drafted and reviewed.')
    // A push to main before any draft run: from-draft: true exports anew (with a notice) and leaves a reuse record.
    const early = await run(640, MAIN_PUSH, { 'from-draft': 'true', reuse: 'true' }, workspace)
    assert.equal(early.code, 0, early.stdout)
    const drafted = await run(641, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Fixed in review'
    const exports = world.sim.exports.length
    const merged = await run(642, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.ok(
      world.sim.exports.slice(exports).some((e) => e.body.projectId === draft),
      `'required' delivered a video that is not the reviewed draft ${draft} (the review's edits are not in it):\n${told(merged.stdout)}`
    )
  })

  it('a dry run of a draft run that would keep an earlier draft says so, rather than print a create the run would not send', async () => {
    const workspace = templateWith('Drafted; then a dry run of the next push.')
    const drafted = await run(650, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    const dry = await run(651, PULL, { draft: 'true', 'dry-run': 'true' }, workspace)
    assert.equal(dry.code, 0, dry.stdout)
    const real = await run(652, PULL, { draft: 'true' }, workspace)
    assert.equal(real.code, 0, real.stdout)
    assert.equal(real.outputs['draft-project-id'], draft, 'the run keeps the earlier draft')
    assert.match(
      dry.stdout,
      new RegExp(draft),
      `the run keeps draft ${draft} and creates nothing; the dry run printed a create instead:\n${told(dry.stdout)}`
    )
  })

  it('a re-run attempt whose first attempt never exported, with the reviewed draft deleted since, exports anew (from-draft: true)', async () => {
    const workspace = templateWith('Drafted, deleted, merge re-run.')
    const drafted = await run(660, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    delete world.sim.options.projects[drafted.outputs['draft-project-id']]
    // Attempt 1 failed in an earlier step (the checkout); "Re-run failed jobs" starts attempt 2 of the merge run.
    const from = world.sim.requests.length
    const second = await run(661, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace, 2)
    assert.equal(
      second.code,
      0,
      `README, from-draft: true with no draft: "exports anew, with a notice"; attempt 2 failed (${posts(EXPORT, from)} export(s) of the deleted draft sent):\n${told(second.stdout)}`
    )
  })

  it("a saved project's own draft, exported with from-draft, is named as what was exported, not as a planted record's project", async () => {
    const workspace = makeWorkspace({})
    const own = { 'project-id': SAMPLE_PROJECT_ID, template: '' }
    const drafted = await run(670, PULL, { draft: 'true', ...own }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    plant(672, draftRecordOf(670), JSON.stringify({ projectId: DIALOGUE_PROJECT_ID, created: true }))
    const exports = world.sim.exports.length
    const merged = await run(671, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false', ...own }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.equal(world.sim.exports[exports].body.projectId, SAMPLE_PROJECT_ID, 'the saved project itself is exported')
    assert.doesNotMatch(
      merged.stdout,
      new RegExp(`exporting draft ${DIALOGUE_PROJECT_ID}`),
      `the log says it exports ${DIALOGUE_PROJECT_ID} (the planted record's) while it exported ${SAMPLE_PROJECT_ID}:\n${told(merged.stdout)}`
    )
  })

  it('from-draft: required, the reviewed draft failing to read (500), says so rather than that no draft run saved one', async () => {
    const workspace = templateWith('Reviewed; required merge meets a 500.')
    const drafted = await run(680, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    projectReadsFail()
    const from = world.sim.requests.length
    const merged = await run(681, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    world.sim.options.faults.length = 0
    assert.equal(merged.code, 1, merged.stdout)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'nothing paid')
    const error = merged.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
    assert.doesNotMatch(
      error,
      /no draft run of this repository saved a draft of this request/,
      `run 680 saved draft ${draft} for this request and it exists; only its read failed (HTTP 500). The error says otherwise:\n${error}`
    )
  })

  it('a later pull request keeps the draft an earlier one reviewed and exported; with reuse, its merge renders the new review, not the old video', async () => {
    const workspace = templateWith('Reviewed twice, merged twice.')
    const first = await run(690, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const draft = first.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'First review'
    const merged = await run(691, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    // A second pull request (another file of video/ changed, this video's request not): its draft run keeps the same draft, as the README says.
    const second = await run(692, { ...PULL, headBranch: 'feature-2', pullRequests: [12] }, { draft: 'true' }, workspace)
    assert.equal(second.code, 0, second.stdout)
    assert.equal(second.outputs['draft-project-id'], draft, 'the draft is kept for the second review')
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Second review'
    const exports = world.sim.exports.length
    const again = await run(693, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true' }, workspace)
    assert.equal(again.code, 0, again.stdout)
    assert.ok(
      world.sim.exports.slice(exports).some((e) => e.body.projectId === draft),
      `the second review's edits ("Second review") were never rendered: reuse delivered the first merge's video:\n${told(again.stdout)}`
    )
  })

  it("a planted draft record does not make resume's check pass for another video's export", async () => {
    const one = templateWith('The first video.')
    const started = await run(700, MAIN_PUSH, { wait: 'false', 'upload-artifact': 'false' }, one)
    assert.equal(started.code, 0, started.stdout)
    const key = started.outputs['export-key']
    const two = templateWith('The second video.')
    // The second video's draft record (its key is computable from the repository's files), planted by another pull request to name the first video's export.
    const drafted = await run(701, PULL, { draft: 'true' }, two)
    assert.equal(drafted.code, 0, drafted.stdout)
    plant(702, draftRecordOf(701), JSON.stringify({ projectId: key, created: true }))
    const resumed = await run(703, MAIN_PUSH, { resume: key, 'upload-artifact': 'false' }, two)
    assert.equal(
      resumed.code,
      1,
      `export ${key} says "The first video."; the step's template says "The second video." (the check README promises), yet it was downloaded:\n${told(resumed.stdout)}`
    )
  })

  it("resume of a reviewed draft's export whose draft was deleted since says that is why it is not checked, not that it is another video", async () => {
    const workspace = templateWith('Reviewed, exported, draft deleted, resumed.')
    const drafted = await run(710, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const started = await run(711, MAIN_PUSH, { 'from-draft': 'required', wait: 'false', 'upload-artifact': 'false' }, workspace)
    assert.equal(started.code, 0, started.stdout)
    // The README: "delete it in AI Studios once the video is right"; the reviewer does so once the export is sent.
    delete world.sim.options.projects[draft]
    // The same step, resuming the key (the README's later job).
    const resumed = await run(
      712,
      MAIN_PUSH,
      { resume: started.outputs['export-key'], 'from-draft': 'required', 'upload-artifact': 'false' },
      workspace
    )
    const error = resumed.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''
    assert.ok(
      resumed.code === 0 || new RegExp(`${draft}`).test(error),
      `the paid export of reviewed draft ${draft} is refused as "not the video" the template makes, the draft's deletion unsaid in the error:\n${told(resumed.stdout)}`
    )
  })

  it('draft: true with from-draft: required is refused or told, not silently ignored', async () => {
    const workspace = templateWith('Both switches.')
    const both = await run(720, PULL, { draft: 'true', 'from-draft': 'required' }, workspace)
    assert.ok(
      both.code !== 0 ||
        /from-draft/.test(
          both.stdout
            .split('\n')
            .filter((l) => /^::(warning|notice|error)::/.test(l))
            .join('\n')
        ),
      `'from-draft: required' was ignored without a word:\n${told(both.stdout)}`
    )
  })

  it('a plain render with the default github-token asks GitHub nothing (the render mode connects it for drafts and resumes only)', async () => {
    const workspace = templateWith('Plain render.')
    const before = world.github.requests.length
    const plain = await run(730, MAIN_PUSH, { 'upload-artifact': 'false' }, workspace)
    assert.equal(plain.code, 0, plain.stdout)
    assert.deepEqual(world.github.requests.slice(before), [])
  })

  it('a draft run re-run after its first attempt could not read the artifact service saves no second draft (regression)', async () => {
    const workspace = templateWith('Re-run while the draft read answers 500.')
    const first = await run(740, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    projectReadsFail()
    const created = posts(CREATE)
    const second = await run(740, PULL, { draft: 'true' }, workspace, 2)
    world.sim.options.faults.length = 0
    assert.equal(posts(CREATE), created, `a second draft was saved:\n${told(second.stdout)}`)
    assert.equal(second.code, 1, second.stdout)
  })

  it('a workflow that drafts in one job and exports in a later job of the same run (an environment approval between) finds its draft', async () => {
    const workspace = templateWith('Drafted, approved, exported in one run.')
    // Job 1 of run 760: the draft, for the reviewer the environment's approval waits for.
    const drafted = await run(760, MAIN_PUSH, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Approved after review'
    // Job 2 of the same run, after the approval: export the reviewed draft.
    const exports = world.sim.exports.length
    const approved = await run(760, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(approved.code, 0, `the draft job of this very run saved draft ${draft} for this request:\n${told(approved.stdout)}`)
    assert.equal(world.sim.exports[exports]?.body.projectId, draft)
  })

  it("the reusable workflow's matrix with from-draft: required pays for no video of a run it refuses", async () => {
    const body = (words: string): string => {
      const template = JSON.parse(fs.readFileSync(path.join(templateWith(words), 't.json'), 'utf8')) as object
      return JSON.stringify(template)
    }
    const manifest = 'videos:\n  - name: a\n    template: a.json\n  - name: b\n    template: b.json\n'
    const workspace = makeWorkspace({ 'videos.yml': manifest, 'a.json': body('Video a.'), 'b.json': body('Video b.') })
    const each = { manifest: 'videos.yml', template: '' }
    // The pull request's draft run (its matrix: one render job an entry).
    for (const entry of ['a', 'b']) {
      const drafted = await run(780, PULL, { ...each, 'manifest-entry': entry, draft: 'true' }, workspace)
      assert.equal(drafted.code, 0, drafted.stdout)
    }
    // The merge's plan job (render-videos.yml passes it from-draft) finds both reviewed drafts: its matrix goes on.
    const fine = await run(781, MAIN_PUSH, { ...each, plan: 'true', 'from-draft': 'required' }, workspace)
    assert.equal(fine.code, 0, fine.stdout)
    // A later commit of the pull request changes b; the review of its new draft never happened (no draft run since).
    fs.writeFileSync(path.join(workspace, 'b.json'), body('Video b, changed after its review.'))
    const exports = world.sim.exports.length
    const requests = world.sim.requests.length
    const plan = await run(782, MAIN_PUSH, { ...each, plan: 'true', 'from-draft': 'required' }, workspace)
    // The plan refuses the run: no render job starts, so a's reviewed draft is not paid for while b is refused.
    assert.equal(plan.code, 1, plan.stdout)
    assert.match(
      plan.stdout,
      /::error::.*from-draft.*'required', and there is no reviewed draft to export for b \(no draft run saved a draft of this request.*no render job was started/
    )
    assert.equal(plan.outputs.matrix, undefined, 'no matrix')
    assert.equal(world.sim.exports.length - exports, 0)
    assert.equal(world.sim.requests.slice(requests).filter((r) => r.method === 'POST').length, 0, 'the plan sends nothing: it reads')
  })

  it(
    "a re-run attempt after the draft's creation went unanswered leaves no second draft of the request behind unsaid",
    { todo: 'open: an unanswered draft creation leaves no ledger mark (nothing is paid; a second draft may be left)' },
    async () => {
      const workspace = templateWith('Created, answer lost, re-run.')
      world.sim.options.faults.push({ route: 'export', kind: 'lose-answer' })
      const drafts = world.sim.drafts.length
      const first = await run(790, PULL, { draft: 'true' }, workspace)
      world.sim.options.faults.length = 0
      assert.equal(first.code, 1, first.stdout)
      assert.equal(world.sim.drafts.length - drafts, 1, 'attempt 1 saved a draft; its answer was lost')
      const second = await run(790, PULL, { draft: 'true' }, workspace, 2)
      const saved = world.sim.drafts.length - drafts
      assert.ok(
        saved === 1 ||
          /earlier attempt|attempt 1/.test(
            second.stdout
              .split('\n')
              .filter((l) => /^::(warning|notice|error)::/.test(l))
              .join('\n')
          ),
        `attempt 1's draft ${world.sim.drafts[drafts].key} exists in AI Studios unrecorded; attempt 2 saved another (${saved} drafts now), without a word:\n${told(second.stdout)}`
      )
    }
  )

  it("a later push's draft run without actions: read says which permission would have kept the reviewed draft", async () => {
    const workspace = templateWith('Reviewed; the next push lacks actions: read.')
    const first = await run(800, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    // The README's draft workflow without its `actions: read` line.
    const token = world.github.jobToken({ contents: 'read', 'pull-requests': 'write' })
    const second = await run(801, PULL, { draft: 'true', 'github-token': token }, workspace)
    assert.equal(second.code, 0, second.stdout)
    const warnings = second.stdout
      .split('\n')
      .filter((l) => l.startsWith('::warning::'))
      .join('\n')
    assert.match(
      warnings,
      /actions: read/,
      `README: "it finds it with actions: read (without, it saves another, with a warning)"; the warning:\n${warnings}`
    )
  })

  it('a dry run with from-draft: required and reuse ends as the run would when reuse finds the video', async () => {
    const workspace = templateWith('Rendered once; no draft; reused since.')
    const early = await run(810, MAIN_PUSH, { reuse: 'true' }, workspace)
    assert.equal(early.code, 0, early.stdout)
    const inputs = { 'from-draft': 'required', reuse: 'true' }
    const dry = await run(811, MAIN_PUSH, { ...inputs, 'dry-run': 'true' }, workspace)
    const from = world.sim.requests.length
    const real = await run(812, MAIN_PUSH, inputs, workspace)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'the real run reuses, paying nothing')
    assert.equal(
      dry.code,
      real.code,
      `the real run ended ${real.code}, the dry run ${dry.code}:\ndry: ${dry.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''}\nreal: ${told(real.stdout)}`
    )
  })
})
