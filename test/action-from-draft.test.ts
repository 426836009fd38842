/**
 * Review before paying, end to end: a pull request's draft run saves each video as a draft and leaves
 * its record; the merge's run with `from-draft` finds it (this repository's runs only, never a fork's)
 * and exports that draft as it is, with the review's edits, through the export endpoint; with `cleanup`
 * the export (never the draft) is deleted once delivered. A changed request finds no draft: `true` exports anew,
 * `required` fails before paying.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CREATE, EXPORT, MAIN_PUSH, PULL, draftFlow, templateWith } from './helpers/draft-flow.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import type { WorkflowRun } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })
const FORK: WorkflowRun = { event: 'pull_request', headBranch: 'main', headRepository: 'evil-fork/videos', pullRequests: [] }
const { run, posts } = draftFlow(world)

describe('from-draft', () => {
  it('exports the reviewed draft of the pull request as it is, once; cleanup deletes the export and the draft', async () => {
    const workspace = templateWith('Reviewed on the pull request.')
    // The same inputs as the merge's run: the draft is found under the request both make.
    const drafted = await run(300, PULL, { draft: 'true', resolution: '720' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    assert.ok(draft)
    assert.ok(
      world.artifacts.artifacts.some((a) => a.runId === 300 && /^aistudios-draft-[0-9a-f]{32}\.json$/.test(a.name)),
      'a draft record'
    )
    // The reviewer edits the draft in AI Studios: the export renders the edit.
    const saved = world.sim.options.projects[draft] as { name?: string }
    saved.name = 'Edited in review'

    const from = world.sim.requests.length
    const exports = world.sim.exports.length
    const merged = await run(301, MAIN_PUSH, { 'from-draft': 'required', resolution: '720', cleanup: 'true' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.equal(posts(EXPORT, from), 1, 'one export of the draft')
    assert.equal(posts(CREATE, from), 0, 'nothing created')
    assert.deepEqual(world.sim.exports[exports].body, { projectId: draft, resolution: '720' })
    assert.match(merged.stdout, new RegExp(`::notice::from-draft: exporting draft ${draft}, saved by run 300 for this request, as it is`))
    const key = world.sim.exports[exports].key
    assert.equal(merged.outputs['export-key'], key)
    assert.deepEqual([...world.sim.deleted], [key, draft], 'the export and its reviewed draft deleted once delivered')
    assert.match(
      merged.stdout,
      new RegExp(`cleanup: deleted 2 of 2 project\\(s\\) from AI Studios \\(exported project\\(s\\) ${key} and reviewed draft\\(s\\) ${draft}\\)`)
    )
  })

  it('a changed request finds no draft: true exports anew with a notice, required fails before paying', async () => {
    await run(310, PULL, { draft: 'true' }, templateWith('First words.'))
    const changed = templateWith('Changed after the review.')
    const from = world.sim.requests.length
    const required = await run(311, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, changed)
    assert.equal(required.code, 1)
    assert.match(
      required.stdout,
      /::error.*Input 'from-draft': 'required', and there is no reviewed draft to export for video \(no draft run saved a draft of this request/
    )
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'nothing paid')

    const anew = await run(312, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, changed)
    assert.equal(anew.code, 0, anew.stdout)
    assert.match(anew.stdout, /::notice::from-draft: no draft run saved a draft of this request \(or the request changed since\); exporting anew/)
    assert.equal(posts(CREATE, from), 1)
  })

  it('a re-run attempt re-attaches to the export of the draft instead of paying again', async () => {
    const workspace = templateWith('Exported across attempts.')
    await run(330, PULL, { draft: 'true' }, workspace)
    const from = world.sim.requests.length
    const exports = world.sim.exports.length
    world.sim.options.renderMs = 600_000
    const first = await run(331, MAIN_PUSH, { 'from-draft': 'true', timeout: '0.1', 'upload-artifact': 'false' }, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    const key = world.sim.exports[exports].key
    assert.equal(first.outputs['export-key'], key)
    const second = await run(331, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    assert.match(second.stdout, new RegExp(`::notice::Re-run attempt 2: an earlier attempt already exported this request as ${key}`))
    assert.equal(posts(EXPORT, from), 1, 'the draft exported once')
    assert.equal(posts(CREATE, from), 0)
  })

  it('a draft deleted since the review is no draft: true exports anew', async () => {
    const workspace = templateWith('Deleted after the review.')
    const drafted = await run(340, PULL, { draft: 'true' }, workspace)
    delete world.sim.options.projects[drafted.outputs['draft-project-id']]
    const from = world.sim.requests.length
    const merged = await run(341, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.match(merged.stdout, /::notice::from-draft: draft \S+, saved by run 340 for this request, was deleted since; exporting anew/)
    assert.equal(posts(EXPORT, from), 0)
    assert.equal(posts(CREATE, from), 1, 'exported anew')
  })

  it("never takes a fork's draft", async () => {
    const workspace = templateWith('From a fork.')
    await run(320, FORK, { draft: 'true' }, workspace)
    const from = world.sim.requests.length
    const merged = await run(321, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.match(
      merged.stdout,
      /::warning::from-draft: the draft record of run 320 was not taken: its code came from another repository \(evil-fork\/videos\)/
    )
    assert.equal(posts(EXPORT, from), 0)
    assert.equal(posts(CREATE, from), 1, 'exported anew')
  })
})
