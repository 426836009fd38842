/**
 * Hostile review (attack2) of review-before-paying where it meets re-runs, cleanup and the ledger.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { makeWorkspace } from './helpers/run-action.ts'
import { CREATE, EXPORT, MAIN_PUSH, PULL, draftFlow, templateWith } from './helpers/draft-flow.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 200 })
const { run, posts } = draftFlow(world)

describe('from-draft across re-run attempts', () => {
  it('a re-run attempt after from-draft exported and the draft was deleted since does not pay again (from-draft: true)', async () => {
    const workspace = templateWith('Delivered, cleaned up, then re-run.')
    const drafted = await run(400, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    const from = world.sim.requests.length
    const first = await run(401, MAIN_PUSH, { 'from-draft': 'true', cleanup: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    // Cleanup deletes the reviewed draft with its export (the simulator forgets both).
    assert.ok(world.sim.deleted.includes(draft), 'cleanup deleted the reviewed draft')
    assert.equal(posts(EXPORT, from), 1)
    // "Re-run all jobs" (e.g. a sibling job of the workflow failed): attempt 2 of the same run.
    const second = await run(401, MAIN_PUSH, { 'from-draft': 'true', cleanup: 'true' }, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1, `paid once across the attempts:\n${second.stdout}`)
  })

  it('a re-run attempt after from-draft exported and cleanup deleted the draft does not fail (from-draft: required)', async () => {
    const workspace = templateWith('Delivered, cleaned up, then re-run (required).')
    const drafted = await run(410, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const from = world.sim.requests.length
    const first = await run(411, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const second = await run(411, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true' }, workspace, 2)
    assert.equal(second.code, 0, `attempt 1 delivered this video; attempt 2 should say so, not refuse:\n${second.stdout}`)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1)
  })

  it('a re-run attempt that finds a draft the first attempt did not find re-attaches to the first export instead of paying again', async () => {
    const workspace = templateWith('Draft appeared between attempts.')
    const from = world.sim.requests.length
    world.sim.options.renderMs = 600_000
    // Attempt 1: no draft record yet (the draft run had not finished, or the lookup failed): exports anew, the render times out.
    const first = await run(421, MAIN_PUSH, { 'from-draft': 'true', timeout: '0.1', 'upload-artifact': 'false' }, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    assert.equal(posts(CREATE, from), 1, 'attempt 1 exported anew')
    // The pull request's draft run leaves its record.
    const drafted = await run(420, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const before = world.sim.requests.length
    const second = await run(421, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    assert.equal(
      posts(EXPORT, before) + posts(CREATE, before),
      0,
      `attempt 2 must re-attach to attempt 1's paid export, not pay for a second:\n${second.stdout
        .split('\n')
        .filter((l) => /notice|warning|Export/.test(l))
        .join('\n')}`
    )
  })

  it('a saved project that is its own draft, edited in review as the README invites, is still found by from-draft: required', async () => {
    const workspace = makeWorkspace({})
    const own = { 'project-id': SAMPLE_PROJECT_ID, template: '' }
    const drafted = await run(430, PULL, { draft: 'true', ...own }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    assert.equal(drafted.outputs['draft-project-id'], SAMPLE_PROJECT_ID)
    // The reviewer opens the draft (the saved project itself) and fixes its name in the editor.
    ;(world.sim.options.projects[SAMPLE_PROJECT_ID] as { name?: string }).name = 'Fixed in review'
    const from = world.sim.requests.length
    const merged = await run(431, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false', ...own }, workspace)
    assert.equal(
      merged.code,
      0,
      `the reviewed draft must be exported, not refused:\n${merged.stdout
        .split('\n')
        .filter((l) => /notice|warning|error/.test(l))
        .join('\n')}`
    )
    assert.equal(posts(EXPORT, from), 1)
  })

  it('a re-run attempt of the draft run: the draft the reviewer is shown last is the one from-draft exports', async () => {
    const workspace = templateWith('Drafted across attempts.')
    const first = await run(440, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    // "Re-run all jobs" on the pull request (or a sibling job failed): attempt 2 of the draft run.
    const created = posts(CREATE)
    const second = await run(440, PULL, { draft: 'true' }, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    const shown = second.outputs['draft-project-id']
    // Attempt 2 keeps attempt 1's draft (the one its record names) rather than leave a second one behind.
    assert.equal(posts(CREATE), created, 'attempt 2 saved no second draft')
    assert.equal(shown, first.outputs['draft-project-id'])
    assert.doesNotMatch(second.stdout, /::warning::/)
    const exports = world.sim.exports.length
    const merged = await run(441, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    const warnings = second.stdout
      .split('\n')
      .filter((l) => /warning/.test(l))
      .join('\n')
    assert.equal(
      world.sim.exports[exports].body.projectId,
      shown,
      `attempt 2 showed (comment, outputs) draft ${shown} for review; the paid export must render that one, not attempt 1's (${first.outputs['draft-project-id']}):\n${warnings}`
    )
  })

  it('a saved project the step renames: its draft copy is found, exported once, and only the copy is deleted (held)', async () => {
    const workspace = makeWorkspace({})
    const own = { 'project-id': SAMPLE_PROJECT_ID, template: '', name: 'Renamed by the step', resolution: '720' }
    const drafted = await run(450, PULL, { draft: 'true', ...own }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const copy = drafted.outputs['draft-project-id']
    assert.notEqual(copy, SAMPLE_PROJECT_ID)
    const from = world.sim.requests.length
    const exports = world.sim.exports.length
    const merged = await run(451, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true', ...own }, workspace)
    assert.equal(
      merged.code,
      0,
      merged.stdout
        .split('\n')
        .filter((l) => /notice|warning|error/.test(l))
        .join('\n')
    )
    assert.equal(posts(EXPORT, from), 1)
    assert.equal(posts(CREATE, from), 0)
    assert.equal(world.sim.exports[exports].body.projectId, copy)
    assert.ok(!world.sim.deleted.includes(SAMPLE_PROJECT_ID))
  })

  it("a draft record is not trusted for what it says: one claiming to have created the user's saved project does not get it deleted by cleanup", async () => {
    const workspace = templateWith('Planted record.')
    const drafted = await run(460, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const name = world.artifacts.artifacts.find((a) => a.runId === 460 && a.name.startsWith('aistudios-draft-'))?.name
    assert.ok(name)
    // Another pull request of this repository (any branch's author, README: trusted for who made it) leaves a newer record of the same request.
    world.github.runs.set(462, { event: 'pull_request', headBranch: 'other', headRepository: 'octo-org/videos', pullRequests: [10] })
    world.artifacts.envForRun(462)
    world.artifacts.artifacts.push({
      id: 9000 + world.artifacts.artifacts.length,
      name,
      job: 'job-462',
      run: 'run-462',
      runId: 462,
      mimeType: 'application/json',
      finalized: true,
      bytes: Buffer.from(JSON.stringify({ projectId: SAMPLE_PROJECT_ID, created: true }))
    })
    const merged = await run(461, MAIN_PUSH, { 'from-draft': 'true', cleanup: 'true', 'upload-artifact': 'false' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.ok(
      !world.sim.deleted.includes(SAMPLE_PROJECT_ID),
      `the user's saved project was deleted on a record's word:\n${merged.stdout
        .split('\n')
        .filter((l) => /from-draft|cleanup/.test(l))
        .join('\n')}`
    )
  })

  it("wait: false on the reviewed draft, then resume with its template: the review's edits are no mismatch", async () => {
    const workspace = templateWith('Reviewed, then resumed.')
    const drafted = await run(470, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    // The review's edit, made in AI Studios (the README: "the reviewer's edits in AI Studios are what is rendered").
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const started = await run(471, MAIN_PUSH, { 'from-draft': 'required', wait: 'false', 'upload-artifact': 'false' }, workspace)
    assert.equal(started.code, 0, started.stdout)
    const key = started.outputs['export-key']
    // The README's later job: resume the key with the template it was made from.
    const resumed = await run(472, MAIN_PUSH, { resume: key, 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(
      resumed.code,
      0,
      `the paid export of the reviewed draft is refused as a mismatch:\n${resumed.stdout
        .split('\n')
        .filter((l) => /resume|error/.test(l))
        .join('\n')}`
    )
  })

  it('reuse finds the video a from-draft run paid for: the next push of the same request pays nothing', async () => {
    const workspace = templateWith('Paid once, reused after.')
    const drafted = await run(480, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const from = world.sim.requests.length
    const merged = await run(481, MAIN_PUSH, { 'from-draft': 'true', reuse: 'true' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.equal(posts(EXPORT, from), 1)
    // The next push to main (another video changed, this one did not): same inputs, same request.
    const next = await run(482, MAIN_PUSH, { 'from-draft': 'true', reuse: 'true' }, workspace)
    assert.equal(next.code, 0, next.stdout)
    assert.equal(
      posts(EXPORT, from) + posts(CREATE, from),
      1,
      `the same request was paid for again:\n${next.stdout
        .split('\n')
        .filter((l) => /reuse|from-draft|Export/.test(l))
        .join('\n')}`
    )
  })

  it('a dry run with from-draft: required tells that no reviewed draft exists, as the real run would refuse', async () => {
    const workspace = templateWith('Never drafted.')
    const dry = await run(490, MAIN_PUSH, { 'from-draft': 'required', 'dry-run': 'true', 'upload-artifact': 'false' }, workspace)
    const real = await run(491, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(real.code, 1, real.stdout)
    assert.equal(dry.code, 1, `the dry run passed while the real run refuses:\n${dry.stdout}`)
    assert.match(dry.stdout, /::error::.*from-draft.*'required'.*a run would export nothing/)
  })

  it('a re-run attempt of the draft run whose draft was deleted since saves no second draft the merge would not find, and says why', async () => {
    const workspace = templateWith('Drafted, deleted, re-run.')
    const first = await run(445, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    delete world.sim.options.projects[first.outputs['draft-project-id']]
    const created = posts(CREATE)
    const second = await run(445, PULL, { draft: 'true' }, workspace, 2)
    assert.equal(second.code, 1, second.stdout)
    assert.equal(posts(CREATE), created)
    assert.match(second.stdout, /::error::.*draft \S+, which this run saved for this request earlier, was deleted since.*Push a commit/)
  })

  it("resume of a reviewed draft's export refuses it when the draft was edited again after the export: the export is not what the review left", async () => {
    const workspace = templateWith('Reviewed, exported, edited again.')
    const drafted = await run(475, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const started = await run(476, MAIN_PUSH, { 'from-draft': 'required', wait: 'false', 'upload-artifact': 'false' }, workspace)
    assert.equal(started.code, 0, started.stdout)
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited after the export'
    const resumed = await run(
      477,
      MAIN_PUSH,
      { resume: started.outputs['export-key'], 'from-draft': 'required', 'upload-artifact': 'false' },
      workspace
    )
    assert.equal(resumed.code, 1, resumed.stdout)
    assert.match(resumed.stdout, new RegExp(`::error::.*nor what its reviewed draft ${draft} \\(saved by run 475\\) holds now`))
  })

  it('a dry run with from-draft prints and saves the export of the reviewed draft, the request a run would send', async () => {
    const workspace = templateWith('Dry run of a reviewed draft.')
    const drafted = await run(495, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const from = world.sim.requests.length
    const dry = await run(496, MAIN_PUSH, { 'from-draft': 'required', 'dry-run': 'true' }, workspace)
    assert.equal(dry.code, 0, dry.stdout)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'a dry run sends nothing that spends')
    assert.match(dry.stdout, /POST \S+\/api\/odin\/v3\/editor\/project\/export/)
    assert.equal(dry.outputs['request-path'], path.join(workspace, 'videos', 'aistudios-request.json'))
    const saved = JSON.parse(fs.readFileSync(dry.outputs['request-path'], 'utf8')) as { projectId?: string }
    assert.equal(saved.projectId, drafted.outputs['draft-project-id'])
  })

  it("a later push to the pull request that leaves a video's request as it was keeps its draft, with the review's edits: the merge exports that one", async () => {
    const workspace = templateWith('Reviewed on the first push.')
    const first = await run(520, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const reviewed = first.outputs['draft-project-id']
    ;(world.sim.options.projects[reviewed] as { name?: string }).name = 'Edited in review'
    // The next push to the pull request changes another file: a new run of the draft workflow.
    const created = posts(CREATE)
    const second = await run(521, PULL, { draft: 'true' }, workspace)
    assert.equal(second.code, 0, second.stdout)
    assert.equal(posts(CREATE), created, 'no second draft of the same request')
    assert.equal(second.outputs['draft-project-id'], reviewed)
    assert.match(second.stdout, new RegExp(`Draft: run 520 saved it: draft ${reviewed} of this request is kept`))
    const exports = world.sim.exports.length
    const merged = await run(522, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.equal(world.sim.exports[exports].body.projectId, reviewed)
  })

  it('a draft run whose token cannot read artifacts still saves the draft, and says what it could not keep and the permission it needs', async () => {
    const workspace = templateWith('Drafted without actions: read.')
    const first = await run(530, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const refused = world.github.refused.length
    const created = posts(CREATE)
    const second = await run(531, PULL, { draft: 'true', 'github-token': world.github.jobToken({ contents: 'read' }) }, workspace)
    assert.equal(second.code, 0, second.stdout)
    assert.ok(world.github.refused.length > refused, 'the lookup was refused for want of actions: read')
    assert.equal(posts(CREATE), created + 1)
    assert.match(second.stdout, /::warning::draft: the draft records could not be looked up \(.*\); a new draft is saved.*actions: read/)
  })
})
