/**
 * Hostile review (atk3) of review-before-paying where it meets reuse (a reviewed draft's video recorded
 * under two keys), re-run attempts (the ledger re-attaching), cleanup in a matrix shard, and GitHub
 * answering 500 to a draft record's run: the money contract, and what the action says.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { makeWorkspace } from './helpers/run-action.ts'
import { CREATE, EXPORT, MAIN_PUSH, PULL, draftFlow, templateWith, told } from './helpers/draft-flow.ts'
import { useStandIns, type StandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 200 })
const { run, posts, plant, draftRecordOf } = draftFlow(world)

const errorOf = (stdout: string): string => stdout.split('\n').find((l) => l.startsWith('::error::')) ?? ''

/** Sets the reviewed draft's speech, as a reviewer does in the editor. */
function editSpeech(projectId: string, words: string): void {
  const project = world.sim.options.projects[projectId] as { scenes: Array<{ scripts: Array<{ org: string }> }> }
  project.scenes[0].scripts[0].org = words
}

/**
 * GitHub's API behind a proxy that answers 500 to the calls `failing` picks (GitHub does answer 500s and
 * 502s), and the draft flow run against it.
 */
async function flakyGitHub(failing: (method: string, url: string) => boolean) {
  const target = new URL(world.github.url)
  const server = http.createServer((req, res) => {
    if (failing(req.method ?? '', req.url ?? '')) {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Server Error' }))
      return
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const github = Object.create(world.github, { url: { value: url } }) as StandIns['github']
  const flow = draftFlow({ sim: world.sim, artifacts: world.artifacts, github })
  return {
    run: flow.run,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

describe('review before paying, attacked again (atk3)', () => {
  it("a re-run attempt that re-attaches to attempt 1's template export does not record it for reuse as the reviewed draft's video", async () => {
    const workspace = templateWith('Exported before its draft, re-run after the review.')
    const inputs = { 'from-draft': 'true', reuse: 'true', timeout: '0.1' }
    // Attempt 1 of the merge: the draft run has not left its record yet, so it exports the template anew; the render outlasts 'timeout'.
    world.sim.options.renderMs = 600_000
    const first = await run(1001, MAIN_PUSH, inputs, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    // The pull request's draft run leaves its record; the reviewer rewrites the speech.
    const drafted = await run(1000, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'The reviewed speech.')
    // Attempt 2 finds the draft, and the ledger re-attaches to attempt 1's export (of the template): paid once, as it should be.
    const second = await run(1001, MAIN_PUSH, inputs, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    // A later push, with 'required': the reviewed draft is still there, as the review left it.
    const from = world.sim.requests.length
    const later = await run(1002, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true' }, workspace)
    assert.equal(later.code, 0, later.stdout)
    const everExported = world.sim.exports.some((e) => e.body.projectId === draft)
    assert.ok(
      everExported || posts(EXPORT, from) > 0,
      `draft ${draft} ("The reviewed speech.") was never exported by anyone, yet 'required' delivered "its" video: reuse took run ` +
        `${later.outputs['videos'] ? String((JSON.parse(later.outputs['videos']) as Array<Record<string, unknown>>)[0]['reused-from-run']) : '?'}'s, ` +
        `which is attempt 1's export of the template, recorded under the draft's content key:\nattempt 2:\n${told(second.stdout)}\nlater:\n${told(later.stdout)}`
    )
  })

  it("attempt 2's log does not say it exports the reviewed draft when the ledger re-attached to attempt 1's template export", async () => {
    const workspace = templateWith('Exported anew, then the draft appeared.')
    const inputs = { 'from-draft': 'true', timeout: '0.1', 'upload-artifact': 'false' }
    world.sim.options.renderMs = 600_000
    const first = await run(1011, MAIN_PUSH, inputs, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    const drafted = await run(1010, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'Reviewed words that were never rendered.')
    const second = await run(1011, MAIN_PUSH, inputs, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    assert.notEqual(second.outputs['export-key'], draft)
    assert.doesNotMatch(
      second.stdout,
      new RegExp(`exporting draft ${draft}[^\\n]*with the review's edits`),
      `the video delivered is attempt 1's export of the template (${second.outputs['export-key']}), not draft ${draft} with the review's edits:\n${told(second.stdout)}`
    )
  })

  it('a 500 from GitHub on the draft record\'s run is not "no draft": from-draft: true pays for no unreviewed export', async () => {
    const workspace = templateWith('Reviewed; GitHub hiccups on merge.')
    const drafted = await run(1020, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'Edited in review.')
    const flaky = await flakyGitHub((method, url) => method === 'GET' && /\/actions\/runs\/1020$/.test(url))
    try {
      const from = world.sim.requests.length
      const merged = await flaky.run(1021, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace)
      assert.equal(
        posts(CREATE, from),
        0,
        `draft ${draft} exists and its record is there; GitHub answered 500 reading its run once, and the merge paid for the template ` +
          `anew, without the review's edits (commit: "not knowing is no draft"):\n${told(merged.stdout)}`
      )
    } finally {
      await flaky.close()
    }
  })

  it("from-draft: required, GitHub answering 500 on the draft record's run, does not say no draft run saved one", async () => {
    const workspace = templateWith('Reviewed; GitHub hiccups on the required merge.')
    const drafted = await run(1030, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const flaky = await flakyGitHub((method, url) => method === 'GET' && /\/actions\/runs\/1030$/.test(url))
    try {
      const from = world.sim.requests.length
      const merged = await flaky.run(1031, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
      assert.equal(merged.code, 1, merged.stdout)
      assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'nothing paid')
      assert.doesNotMatch(
        errorOf(merged.stdout),
        /no draft run saved a draft of this request/,
        `run 1030 saved draft ${drafted.outputs['draft-project-id']} for this request; only GitHub's read of that run failed (500):\n${errorOf(merged.stdout)}`
      )
    } finally {
      await flaky.close()
    }
  })

  it("a 500 on the newest draft record's run does not make the merge export an older draft nobody reviewed last", async () => {
    const workspace = templateWith('Two drafts of one request.')
    // The first push drafts; the second push's job lacks actions: read, so it saves another (with a warning), which is reviewed.
    const first = await run(1040, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const token = world.github.jobToken({ contents: 'read', 'pull-requests': 'write' })
    const second = await run(1041, PULL, { draft: 'true', 'github-token': token }, workspace)
    assert.equal(second.code, 0, second.stdout)
    const old = first.outputs['draft-project-id']
    const reviewed = second.outputs['draft-project-id']
    assert.notEqual(old, reviewed)
    editSpeech(reviewed, 'The last review.')
    const flaky = await flakyGitHub((method, url) => method === 'GET' && /\/actions\/runs\/1041$/.test(url))
    try {
      const exports = world.sim.exports.length
      const merged = await flaky.run(1042, MAIN_PUSH, { 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
      const paid = world.sim.exports.slice(exports).map((e) => String(e.body.projectId))
      assert.ok(
        !paid.includes(old),
        `the newest record (run 1041, draft ${reviewed}, the one reviewed) could not be read (500); 'required' paid for the older draft ${old} instead:\n${told(merged.stdout)}`
      )
    } finally {
      await flaky.close()
    }
  })

  it('cleanup in a matrix shard does not delete a project another entry of the manifest names (planted draft record)', async () => {
    const manifest = `videos:\n  - name: a\n    template: a.json\n  - name: b\n    project-id: ${SAMPLE_PROJECT_ID}\n`
    const body = fs.readFileSync(path.join(templateWith('Video a of the manifest.'), 't.json'), 'utf8')
    const workspace = makeWorkspace({ 'videos.yml': manifest, 'a.json': body })
    const each = { manifest: 'videos.yml', template: '' }
    const drafted = await run(1050, PULL, { ...each, 'manifest-entry': 'a', draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    // Another pull request of this repository leaves a newer record of a's request, naming the saved project entry b exports.
    plant(1052, draftRecordOf(1050), JSON.stringify({ projectId: SAMPLE_PROJECT_ID, created: true }))
    const deleted = world.sim.deleted.length
    const shard = await run(1051, MAIN_PUSH, { ...each, 'manifest-entry': 'a', 'from-draft': 'true', cleanup: 'true' }, workspace)
    assert.equal(shard.code, 0, shard.stdout)
    assert.ok(
      !world.sim.deleted.slice(deleted).includes(SAMPLE_PROJECT_ID),
      `README: "never a project the step names"; the manifest's entry b names ${SAMPLE_PROJECT_ID}, and the shard of entry a deleted it ` +
        `on a planted record's word (a whole-manifest job keeps it):\n${told(shard.stdout)}`
    )
  })

  it("with from-draft: required and reuse, a gone draft takes only that draft's video, not an earlier review's", async () => {
    const workspace = templateWith('Reviewed twice; the second review was deleted.')
    const inputs = { 'from-draft': 'required', reuse: 'true', cleanup: 'true' }
    // The first review, merged: its video recorded for reuse, the draft deleted with its export.
    const first = await run(1060, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, first.stdout)
    const d1 = first.outputs['draft-project-id']
    editSpeech(d1, 'The first review.')
    const merged = await run(1061, MAIN_PUSH, inputs, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    assert.ok(world.sim.deleted.includes(d1))
    // A new pull request of the same request: the old draft is gone, a new one is saved and reviewed differently.
    const again = await run(1062, { ...PULL, headBranch: 'feature-2', pullRequests: [13] }, { draft: 'true' }, workspace)
    assert.equal(again.code, 0, again.stdout)
    const d2 = again.outputs['draft-project-id']
    assert.notEqual(d2, d1)
    editSpeech(d2, 'The second review: rejected.')
    // The reviewer rejects it by deleting the draft ("delete it in AI Studios").
    delete world.sim.options.projects[d2]
    const later = await run(1063, MAIN_PUSH, inputs, workspace)
    const videos = later.outputs['videos'] ? (JSON.parse(later.outputs['videos']) as Array<Record<string, unknown>>) : []
    assert.notEqual(
      videos[0]?.['reused-from-run'],
      1061,
      `the reviewed draft of this request is ${d2} (gone, never exported); 'required' delivered run 1061's video of ${d1}, an earlier review's:\n${told(later.stdout)}`
    )
  })

  it("a plain step (no from-draft) with reuse does not take the reviewed draft's edited video as its own request's", async () => {
    const workspace = templateWith('The template says this.')
    const drafted = await run(1070, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'The review says something else.')
    const merged = await run(1071, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true' }, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    const plain = await run(1072, MAIN_PUSH, { reuse: 'true' }, workspace)
    assert.equal(plain.code, 0, plain.stdout)
    const videos = plain.outputs['videos'] ? (JSON.parse(plain.outputs['videos']) as Array<Record<string, unknown>>) : []
    assert.notEqual(
      videos[0]?.['reused-from-run'],
      1071,
      `the step's request says "The template says this."; reuse delivered run 1071's export of draft ${draft} ("The review says something else."), ` +
        `recorded under the step's own request:\n${told(plain.stdout)}`
    )
  })

  it('a later push after cleanup, reusing the reviewed video, does not announce that it exports anew', async () => {
    const workspace = templateWith('Merged with cleanup, pushed again.')
    const inputs = { 'from-draft': 'true', reuse: 'true', cleanup: 'true' }
    const drafted = await run(1080, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const merged = await run(1081, MAIN_PUSH, inputs, workspace)
    assert.equal(merged.code, 0, merged.stdout)
    const from = world.sim.requests.length
    const later = await run(1082, MAIN_PUSH, inputs, workspace)
    assert.equal(later.code, 0, later.stdout)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'reuse paid nothing')
    const notices = later.stdout
      .split('\n')
      .filter((l) => l.startsWith('::notice::'))
      .join('\n')
    assert.doesNotMatch(notices, /exporting anew/, `nothing was exported, the notices say otherwise:\n${notices}`)
  })

  it('re-run attempt 2 of a from-draft + cleanup + reuse merge, then a later push, pay once in all', async () => {
    const workspace = templateWith('Merged, re-run, pushed again.')
    const inputs = { 'from-draft': 'required', reuse: 'true', cleanup: 'true' }
    const drafted = await run(1090, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'Reviewed once.')
    const from = world.sim.requests.length
    const first = await run(1091, MAIN_PUSH, inputs, workspace)
    assert.equal(first.code, 0, first.stdout)
    const second = await run(1091, MAIN_PUSH, inputs, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    const third = await run(1091, MAIN_PUSH, inputs, workspace, 3)
    assert.equal(third.code, 0, third.stdout)
    const later = await run(1092, MAIN_PUSH, inputs, workspace)
    assert.equal(later.code, 0, later.stdout)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1, `paid once:\n${told(second.stdout)}\n${told(third.stdout)}\n${told(later.stdout)}`)
  })

  it("cleanup after attempt 2 re-attached to attempt 1's template export does not delete the reviewed draft, never exported", async () => {
    const workspace = templateWith('Exported anew first; reviewed; re-run with cleanup.')
    const inputs = { 'from-draft': 'true', cleanup: 'true', timeout: '0.1' }
    world.sim.options.renderMs = 600_000
    const first = await run(1101, MAIN_PUSH, inputs, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    const drafted = await run(1100, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'Reviewed, to be rendered.')
    const second = await run(1101, MAIN_PUSH, inputs, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    const exportedDraft = world.sim.exports.some((e) => e.body.projectId === draft)
    assert.ok(
      exportedDraft || !world.sim.deleted.includes(draft),
      `the reviewed draft ${draft} was never exported (attempt 2 delivered attempt 1's template export ${second.outputs['export-key']}), ` +
        `yet cleanup deleted it "with its export": the review's edits are lost:\n${told(second.stdout)}`
    )
  })

  it("a re-run attempt whose draft is gone does not pass attempt 1's template export off as the reviewed draft's (a later 'required' takes it)", async () => {
    const workspace = templateWith('Exported anew first; the draft deleted; re-run.')
    const inputs = { 'from-draft': 'true', reuse: 'true', timeout: '0.1' }
    world.sim.options.renderMs = 600_000
    const first = await run(1111, MAIN_PUSH, inputs, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    const drafted = await run(1110, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    // The reviewer deletes the draft (rejected) before attempt 2.
    delete world.sim.options.projects[draft]
    const second = await run(1111, MAIN_PUSH, inputs, workspace, 2)
    assert.equal(second.code, 0, second.stdout)
    const notices = second.stdout
      .split('\n')
      .filter((l) => l.startsWith('::notice::'))
      .join('\n')
    // A later push with 'required': no reviewed draft, and no video was ever exported from one.
    const later = await run(1112, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true' }, workspace)
    const wrong: string[] = []
    if (later.code !== 1)
      wrong.push(
        `'required' delivered attempt 1's export of the template (unreviewed), which attempt 2 recorded as draft ${draft}'s video:\n${told(later.stdout)}`
      )
    if (/an earlier attempt of this run exported it/.test(notices))
      wrong.push(`attempt 2 says attempt 1 exported draft ${draft}; attempt 1 found no draft and exported the template:\n${notices}`)
    assert.deepEqual(wrong, [], wrong.join('\n\n'))
  })

  it("a 500 listing the draft records is not blamed on a missing 'actions: read' the job has", async () => {
    const workspace = templateWith('Reviewed; GitHub answers 500 to the list.')
    const drafted = await run(1120, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const flaky = await flakyGitHub((method, url) => method === 'GET' && /\/actions\/artifacts\?.*name=aistudios-draft-/.test(url))
    try {
      const from = world.sim.requests.length
      const merged = await flaky.run(1121, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace)
      assert.equal(merged.code, 1, merged.stdout)
      assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'nothing paid')
      const error = errorOf(merged.stdout)
      assert.doesNotMatch(
        error,
        /Give the job 'actions: read'/,
        `the job's token has actions: read (the list was answered 500, not 403); the error sends the user to the wrong fix:\n${error}`
      )
    } finally {
      await flaky.close()
    }
  })

  it("attempt 2, GitHub answering 500 to the draft records, names attempt 1's paid export rather than advise exporting anew", async () => {
    const workspace = templateWith('Exported from the draft, timed out, re-run while GitHub fails.')
    const drafted = await run(1130, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const inputs = { 'from-draft': 'true', timeout: '0.1', 'upload-artifact': 'false' }
    world.sim.options.renderMs = 600_000
    const first = await run(1131, MAIN_PUSH, inputs, workspace)
    world.sim.options.renderMs = 200
    assert.equal(first.code, 1, first.stdout)
    const key = first.outputs['export-key']
    assert.ok(key, 'attempt 1 exported the reviewed draft (paid)')
    const flaky = await flakyGitHub((method, url) => method === 'GET' && /\/actions\/artifacts\?.*name=aistudios-draft-/.test(url))
    try {
      const second = await flaky.run(1131, MAIN_PUSH, inputs, workspace, 2)
      const error = errorOf(second.stdout)
      assert.ok(
        second.code === 0 || new RegExp(key).test(error) || !/export anew/.test(error),
        `attempt 1 paid for export ${key} of the reviewed draft; attempt 2's error says "nothing was exported" and advises 'from-draft: false' ` +
          `"to export anew", without naming ${key} (its ledger holds it, a resume would take it):\n${error}`
      )
    } finally {
      await flaky.close()
    }
  })

  it("an export answering the draft's own ID, with cleanup and reuse, re-run then pushed again, pays once", async () => {
    const workspace = templateWith('Export keeps the ID; merged, re-run, pushed.')
    const inputs = { 'from-draft': 'required', reuse: 'true', cleanup: 'true' }
    const drafted = await run(1140, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    editSpeech(draft, 'Reviewed; the export keeps the ID.')
    world.sim.options.exportKeepsId = true
    try {
      const from = world.sim.requests.length
      const first = await run(1141, MAIN_PUSH, inputs, workspace)
      assert.equal(first.code, 0, first.stdout)
      assert.equal(first.outputs['export-key'], draft)
      const second = await run(1141, MAIN_PUSH, inputs, workspace, 2)
      const later = await run(1142, MAIN_PUSH, inputs, workspace)
      assert.equal(second.code, 0, told(second.stdout))
      assert.equal(later.code, 0, told(later.stdout))
      assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1, `paid once:\n${told(second.stdout)}\n${told(later.stdout)}`)
    } finally {
      world.sim.options.exportKeepsId = false
    }
  })
})
