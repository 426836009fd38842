/**
 * Hostile review (atk4) of review-before-paying where it meets the other modes and inputs: the refusal
 * of draft with from-draft under spellings the action otherwise accepts, cleanup and resume of a
 * reviewed draft's export, dry runs, max-videos, what the outputs and summary name, and text from
 * AI Studios printed where the runner reads commands.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { NO_POSIX_SIGNALS, type ActionRun, eventEnv, makeWorkspace, runAction, signalWhen } from './helpers/run-action.ts'
import { GITHUB_TOKEN, startGitHubApi } from './stand-ins/github-api.ts'
import { CREATE, EXPORT, MAIN_PUSH, PULL, draftFlow, templateWith, told } from './helpers/draft-flow.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { MINIMAL_V3_BODY, SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 200 })
const { run, posts } = draftFlow(world)

/** A workspace whose manifest `videos.yml` has one v3 template video per name (no saved project read before the draft's). */
const templatesWorkspace = (names: string[]): string => {
  const files: Record<string, string> = {
    'videos.yml': `videos:\n${names.map((name) => `  - name: ${name}\n    template: ${name}.json\n`).join('')}`
  }
  for (const name of names) {
    const body = structuredClone(MINIMAL_V3_BODY)
    body.scenes[0].scripts[0].org = `Words of ${name}.`
    files[`${name}.json`] = JSON.stringify(body)
  }
  return makeWorkspace(files)
}

const manifestOf = (names: string[]): string =>
  `videos:\n${names.map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: Words of ${name}.\n`).join('')}`

describe('review before paying, meeting the other modes', () => {
  for (const spelling of ['False', 'FALSE', ' false ']) {
    it(`draft: true with from-draft: '${spelling}' (a spelling from-draft itself reads as false) is not refused as both`, async () => {
      const workspace = templateWith(`Draft, from-draft spelled ${spelling}.`)
      // from-draft alone accepts this spelling as false: the action reads it case-insensitively.
      const alone = await run(900, MAIN_PUSH, { 'from-draft': spelling, 'dry-run': 'true' }, workspace)
      assert.equal(alone.code, 0, `from-draft: '${spelling}' alone is accepted:\n${told(alone.stdout)}`)
      const both = await run(901, PULL, { draft: 'true', 'from-draft': spelling }, workspace)
      assert.equal(
        both.code,
        0,
        `from-draft: '${spelling}' is false everywhere else, yet 'draft: true' with it is refused as both switches:\n${told(both.stdout)}`
      )
    })
  }

  it("draft: true with action.yml's from-draft default, and with from-draft: '' (an expression that gave nothing), saves the draft", async () => {
    const workspace = templateWith('Draft with defaults.')
    const byDefault = await run(905, PULL, { draft: 'true' }, workspace)
    assert.equal(byDefault.code, 0, told(byDefault.stdout))
    const empty = await run(906, PULL, { draft: 'true', 'from-draft': '' }, workspace)
    assert.equal(empty.code, 0, told(empty.stdout))
  })

  it('from-draft with cleanup: the videos output names the reviewed draft that was exported and deleted', async () => {
    const workspace = templateWith('Exported from the reviewed draft, then cleaned up.')
    const drafted = await run(910, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    const merged = await run(911, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true' }, workspace)
    assert.equal(merged.code, 0, told(merged.stdout))
    assert.ok(world.sim.deleted.includes(draft), 'the reviewed draft was deleted by cleanup')
    assert.ok(
      merged.outputs.videos.includes(draft),
      `the videos output (what a later job or the collect job reads) does not say the video was exported from reviewed draft ${draft}, nor that cleanup deleted it:\n${merged.outputs.videos}`
    )
  })

  it('from-draft with cleanup: the step summary names the reviewed draft exported (and deleted)', async () => {
    const workspace = templateWith('Summary of a reviewed export.')
    const drafted = await run(915, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    const merged = await run(916, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true' }, workspace)
    assert.equal(merged.code, 0, told(merged.stdout))
    assert.ok(merged.summary.includes(draft), `the summary does not name reviewed draft ${draft}, exported and deleted:\n${merged.summary}`)
  })

  it('wait: false with from-draft and cleanup deletes neither the reviewed draft nor the export before delivery', async () => {
    const workspace = templateWith('Started, not delivered.')
    const drafted = await run(920, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    const started = await run(921, MAIN_PUSH, { 'from-draft': 'required', wait: 'false', cleanup: 'true', 'upload-artifact': 'false' }, workspace)
    assert.equal(started.code, 0, told(started.stdout))
    assert.ok(!world.sim.deleted.includes(draft), `the reviewed draft ${draft} was deleted before its export was delivered`)
    assert.ok(!world.sim.deleted.includes(started.outputs['export-key']), 'the started export was deleted before delivery')
  })

  it('resume by the same step (from-draft, cleanup) of a reviewed draft export: delivered, and the reviewed draft goes with the export as README says', async () => {
    const workspace = templateWith('Started, then resumed with cleanup.')
    const drafted = await run(925, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const started = await run(926, MAIN_PUSH, { 'from-draft': 'required', wait: 'false', 'upload-artifact': 'false' }, workspace)
    assert.equal(started.code, 0, told(started.stdout))
    const key = started.outputs['export-key']
    const from = world.sim.requests.length
    const resumed = await run(927, MAIN_PUSH, { resume: key, 'from-draft': 'required', cleanup: 'true', 'upload-artifact': 'false' }, workspace)
    assert.equal(resumed.code, 0, told(resumed.stdout))
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'a resume pays nothing')
    assert.ok(world.sim.deleted.includes(key), 'cleanup deleted the resumed export')
    assert.ok(
      world.sim.deleted.includes(draft),
      `with cleanup, "the export's project and the reviewed draft it was exported from are deleted once its video is delivered"; resumed, draft ${draft} was kept:\n${told(resumed.stdout)}`
    )
  })

  it('a dry run of from-draft after a draft run sends nothing that spends, and names the reviewed draft', async () => {
    const workspace = templateWith('Dry merge.')
    const drafted = await run(930, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    const from = world.sim.requests.length
    const dry = await run(931, MAIN_PUSH, { 'from-draft': 'required', reuse: 'true', cleanup: 'true', 'dry-run': 'true' }, workspace)
    assert.equal(dry.code, 0, told(dry.stdout))
    const spent = world.sim.requests.slice(from).filter((r) => r.method !== 'GET')
    assert.deepEqual(
      spent.map((r) => `${r.method} ${r.path}`),
      [],
      'a dry run sends nothing but reads'
    )
    assert.ok(!world.sim.deleted.includes(draft), 'a dry run deletes nothing')
    assert.match(dry.stdout, new RegExp(draft), 'the dry run names the draft a run would export')
  })

  it('a dry run of a draft run saves nothing and leaves no draft record a merge would take', async () => {
    const workspace = templateWith('Dry draft.')
    const from = world.sim.requests.length
    const records = world.artifacts.artifacts.length
    const dry = await run(935, PULL, { draft: 'true', 'dry-run': 'true' }, workspace)
    assert.equal(dry.code, 0, told(dry.stdout))
    assert.equal(posts(CREATE, from) + posts(EXPORT, from), 0, 'a dry run creates nothing')
    const planted = world.artifacts.artifacts.slice(records).filter((a) => a.name.startsWith('aistudios-draft-'))
    assert.deepEqual(
      planted.map((a) => a.name),
      [],
      'a dry run leaves no draft record'
    )
  })

  it('draft: true with max-videos: 1 and a manifest of three videos: drafts pay nothing, none is refused', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(['one', 'two', 'three']) })
    const drafted = await run(
      940,
      PULL,
      { draft: 'true', manifest: 'videos.yml', template: '', 'max-videos': '1', 'upload-artifact': 'false' },
      workspace
    )
    assert.equal(drafted.code, 0, `max-videos counted the drafts, which pay for nothing:\n${told(drafted.stdout)}`)
    const plan = await run(941, PULL, { draft: 'true', manifest: 'videos.yml', template: '', 'max-videos': '1', plan: 'true' }, workspace)
    assert.equal(plan.code, 0, told(plan.stdout))
  })

  it('from-draft with max-videos: 1 and two videos counts both exports of reviewed drafts and sends none', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(['alpha', 'beta']) })
    const drafted = await run(945, PULL, { draft: 'true', manifest: 'videos.yml', template: '', 'upload-artifact': 'false' }, workspace)
    assert.equal(drafted.code, 0, told(drafted.stdout))
    const from = world.sim.requests.length
    const merged = await run(
      946,
      MAIN_PUSH,
      { 'from-draft': 'required', manifest: 'videos.yml', template: '', 'max-videos': '1', 'upload-artifact': 'false' },
      workspace
    )
    assert.notEqual(merged.code, 0, 'two exports over a cap of one')
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, `exports sent over max-videos:\n${told(merged.stdout)}`)
  })

  it("a reviewed draft's name (text from AI Studios) is never printed as a runner command", async () => {
    const workspace = templateWith('Name carries a command.')
    const drafted = await run(950, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, drafted.stdout)
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited\n::warning::pwned-by-name\r\n::add-mask::x'
    const merged = await run(951, MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true', 'upload-artifact': 'false' }, workspace)
    const lines = (merged.stdout + merged.stderr).split(/\r?\n|\r/)
    assert.deepEqual(
      lines.filter((l) => /^::(warning::pwned|add-mask::x)/.test(l)),
      [],
      'a line the runner reads as a command'
    )
    // And again resumed: the resume's comparison prints the draft's fields.
    const started = await run(
      952,
      MAIN_PUSH,
      { 'from-draft': 'required', wait: 'false', 'upload-artifact': 'false' },
      templateWith('Name carries a command.')
    )
    if (started.code === 0) {
      const resumed = await run(953, MAIN_PUSH, { resume: started.outputs['export-key'] }, templateWith('Name carries a command.'))
      const again = (resumed.stdout + resumed.stderr).split(/\r?\n|\r/)
      assert.deepEqual(
        again.filter((l) => /^::(warning::pwned|add-mask::x)/.test(l)),
        [],
        'a line the runner reads as a command, in a resume mismatch'
      )
    }
  })

  /** A run of the step against a GitHub that never answers an artifact list (records cannot be looked up). */
  async function heldRun(runId: number, inputs: Record<string, string>, workspace: string, onStart?: Parameters<typeof signalWhen>[0]) {
    const github = await startGitHubApi(world.artifacts, ['artifact-list'])
    try {
      const from = world.sim.requests.length
      const result = await runAction({
        workspace,
        inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'github-token': GITHUB_TOKEN, template: 't.json', ...inputs },
        env: {
          ...world.artifacts.envForRun(runId),
          ...eventEnv('push', { repository: { default_branch: 'main' } }, github.url),
          GITHUB_REF: 'refs/heads/main'
        },
        onStart: onStart ? signalWhen(() => github.requests.some((r) => /\/actions\/artifacts(\?|$)/.test(r.path)) && onStart('')) : undefined,
        timeoutMs: 30_000
      })
      return { result, spent: posts(EXPORT, from) + posts(CREATE, from) }
    } finally {
      await github.close()
    }
  }

  it(
    'cancel (SIGTERM) during the draft lookup of from-draft: ends at once, pays nothing, says it was cancelled',
    { skip: NO_POSIX_SIGNALS },
    async () => {
      const started = Date.now()
      const { result, spent } = await heldRun(
        964,
        { 'from-draft': 'required', reuse: 'true', 'upload-artifact': 'false' },
        templateWith('Cancelled lookup.'),
        () => true
      )
      assert.equal(spent, 0, 'nothing paid after a cancel')
      assert.notEqual(result.code, 0, 'a cancelled run fails')
      assert.ok(Date.now() - started < 15_000, `the cancel waited for the hung lookup (${Date.now() - started} ms)`)
      assert.match(result.stdout, /cancel/i, told(result.stdout))
    }
  )

  it('cancel (SIGTERM) during the draft lookup of a draft run: ends at once, saves no draft', { skip: NO_POSIX_SIGNALS }, async () => {
    const started = Date.now()
    const { result, spent } = await heldRun(966, { draft: 'true' }, templateWith('Cancelled draft lookup.'), () => true)
    assert.equal(spent, 0, 'no draft saved after a cancel')
    assert.notEqual(result.code, 0, 'a cancelled run fails')
    assert.ok(Date.now() - started < 15_000, `the cancel waited for the hung lookup (${Date.now() - started} ms)`)
  })

  // A newer record that holds none of ours (not JSON) is passed over with a warning and the older trusted
  // draft taken, as test/edge-records-attack.test.ts holds: the README says so ('Whose drafts it takes').

  it("fail-fast: one video's reviewed draft that cannot be read (500) stops the others before any is paid", async () => {
    const workspace = templatesWorkspace(['ff-a', 'ff-b'])
    const drafted = await run(975, PULL, { draft: 'true', manifest: 'videos.yml', template: '', 'upload-artifact': 'false' }, workspace)
    assert.equal(drafted.code, 0, told(drafted.stdout))
    // Every read of the first video's draft fails (one video at a time: the first's reads come first).
    world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times: 6 })
    const from = world.sim.requests.length
    const merged = await run(
      976,
      MAIN_PUSH,
      { 'from-draft': 'true', manifest: 'videos.yml', template: '', 'fail-fast': 'true', 'max-parallel': '1', 'upload-artifact': 'false' },
      workspace
    )
    world.sim.options.faults.length = 0
    assert.notEqual(merged.code, 0, told(merged.stdout))
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, `fail-fast, yet a video was paid for:\n${told(merged.stdout)}`)
    assert.match(merged.stdout, /::error::.*draft/, "the failure is the reviewed draft's read")
  })

  it("README's merge workflow (from-draft, cleanup, reuse): the next push of the same request pays nothing, and its dry run says so", async () => {
    const workspace = templateWith('The README merge workflow, pushed twice.')
    const merge = { 'from-draft': 'true', cleanup: 'true', reuse: 'true' }
    const drafted = await run(980, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, told(drafted.stdout))
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const from = world.sim.requests.length
    const first = await run(981, MAIN_PUSH, merge, workspace)
    assert.equal(first.code, 0, told(first.stdout))
    assert.equal(posts(EXPORT, from), 1)
    assert.ok(world.sim.deleted.includes(draft), 'cleanup took the reviewed draft')
    // Another push to main that leaves this video as it was ("a later push pays nothing for a video already made").
    const dryRequired = await run(982, MAIN_PUSH, { ...merge, 'from-draft': 'required', 'dry-run': 'true' }, workspace)
    const next = await run(983, MAIN_PUSH, merge, workspace)
    assert.equal(next.code, 0, told(next.stdout))
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1, `the next push paid again for the video of the reviewed draft:\n${told(next.stdout)}`)
    assert.equal(JSON.parse(next.outputs.videos)[0]['reused-from-run'], 981)
    const required = await run(984, MAIN_PUSH, { ...merge, 'from-draft': 'required' }, workspace)
    assert.equal(required.code, 0, `required with reuse after cleanup: the reviewed draft's video is there to reuse:\n${told(required.stdout)}`)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1)
    assert.equal(dryRequired.code, required.code, `the dry run ends as the run would:\n${told(dryRequired.stdout)}`)
  })

  it('a draft run after the merge cleaned the reviewed draft up (same request): the next merge reuses, pays nothing', async () => {
    const workspace = templateWith('Drafted again after cleanup.')
    const merge = { 'from-draft': 'true', cleanup: 'true', reuse: 'true' }
    assert.equal((await run(985, PULL, { draft: 'true' }, workspace)).code, 0)
    const from = world.sim.requests.length
    assert.equal((await run(986, MAIN_PUSH, merge, workspace)).code, 0)
    // A new pull request touching other videos runs the draft run again: this video's draft was deleted, one is saved anew.
    world.github.runs.set(987, { ...PULL, pullRequests: [10], headBranch: 'feature-2' })
    const again = await run(987, { ...PULL, pullRequests: [10], headBranch: 'feature-2' }, { draft: 'true' }, workspace)
    assert.equal(again.code, 0, told(again.stdout))
    const exports = posts(EXPORT, from)
    const next = await run(988, MAIN_PUSH, merge, workspace)
    assert.equal(next.code, 0, told(next.stdout))
    assert.equal(
      posts(EXPORT, from),
      exports,
      `the unedited new draft of the same request was paid for again though its video was made:\n${told(next.stdout)}`
    )
  })

  /** One render job (`job`) of a matrix in run `runId`, as the reusable workflow's render job calls the step. */
  function shard(runId: number, job: string, workflowRun: typeof PULL, inputs: Record<string, string>, workspace: string): Promise<ActionRun> {
    world.github.runs.set(runId, workflowRun)
    const pull = workflowRun.pullRequests?.[0]
    return runAction({
      workspace,
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        'github-token': GITHUB_TOKEN,
        manifest: 'videos.yml',
        pipeline: 'pl1',
        ...inputs
      },
      env: {
        ...world.artifacts.envForRun(runId, job),
        ...(pull
          ? eventEnv(
              'pull_request',
              { repository: { default_branch: 'main' }, pull_request: { number: pull, head: { ref: workflowRun.headBranch } } },
              world.github.url
            )
          : eventEnv('push', { repository: { default_branch: 'main' } }, world.github.url)),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_REF: pull ? `refs/pull/${pull}/merge` : `refs/heads/${workflowRun.headBranch}`
      }
    })
  }

  it("reusable workflow: a render shard whose reviewed draft cannot be read fails unpaid; collect reports it failed, the other delivered, no draft 'for review'", async () => {
    const workspace = templatesWorkspace(['m-a', 'm-b'])
    for (const entry of ['m-a', 'm-b']) {
      const drafted = await shard(990, `render-${entry}`, PULL, { 'manifest-entry': entry, draft: 'true', 'from-draft': 'false' }, workspace)
      assert.equal(drafted.code, 0, told(drafted.stdout))
    }
    const merge = { draft: 'false', 'from-draft': 'true', reuse: 'false' }
    const a = await shard(991, 'render-m-a', MAIN_PUSH, { ...merge, 'manifest-entry': 'm-a' }, workspace)
    assert.equal(a.code, 0, told(a.stdout))
    world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times: 6 })
    const from = world.sim.requests.length
    const b = await shard(991, 'render-m-b', MAIN_PUSH, { ...merge, 'manifest-entry': 'm-b' }, workspace)
    world.sim.options.faults.length = 0
    assert.notEqual(b.code, 0, told(b.stdout))
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, 'the shard paid for nothing')
    const collect = await shard(991, 'collect', MAIN_PUSH, { collect: 'true', 'only-changed': 'false', comment: 'false' }, workspace)
    assert.notEqual(collect.code, 0, 'collect fails on the failed video')
    const videos = JSON.parse(collect.outputs.videos) as Array<{
      name: string
      status: string
      error: string | null
      'draft-project-id': string | null
    }>
    const byName = Object.fromEntries(videos.map((v) => [v.name, v]))
    assert.equal(byName['m-a']?.status, 'downloaded', collect.outputs.videos)
    assert.equal(byName['m-b']?.status, 'failed', collect.outputs.videos)
    assert.match(byName['m-b']?.error ?? '', /draft/, 'the error says the reviewed draft could not be read')
    assert.doesNotMatch(collect.summary, /Drafts for review/, 'a merge run saved no draft for review')
    assert.match(collect.summary, /1 delivered/)
    assert.match(collect.summary, /1 failed/)
  })

  it('a dry run of a draft run, the kept draft failing to read (500), ends as the run would', async () => {
    const workspace = templateWith('Dry draft run, the kept draft unreadable.')
    const first = await run(995, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, told(first.stdout))
    world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times: 6 })
    const dry = await run(996, PULL, { draft: 'true', 'dry-run': 'true' }, workspace)
    world.sim.options.faults.length = 0
    world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times: 6 })
    const from = world.sim.requests.length
    const real = await run(997, PULL, { draft: 'true' }, workspace)
    world.sim.options.faults.length = 0
    assert.equal(posts(CREATE, from), 0, `a newer draft was saved while the kept one could not be read:\n${told(real.stdout)}`)
    assert.equal(
      dry.code,
      real.code,
      `the dry run ended ${dry.code}, the run ${real.code}:\n--- dry\n${told(dry.stdout)}\n--- run\n${told(real.stdout)}`
    )
  })

  it('a dry run of from-draft: true, the reviewed draft failing to read (500), ends as the run would (failed, unpaid)', async () => {
    const workspace = templateWith('Dry merge, the draft unreadable.')
    const first = await run(998, PULL, { draft: 'true' }, workspace)
    assert.equal(first.code, 0, told(first.stdout))
    world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times: 6 })
    const dry = await run(999, MAIN_PUSH, { 'from-draft': 'true', 'dry-run': 'true' }, workspace)
    world.sim.options.faults.length = 0
    world.sim.options.faults.push({ route: 'project', kind: 'status', status: 500, retryAfter: '0', times: 6 })
    const from = world.sim.requests.length
    const real = await run(1000, MAIN_PUSH, { 'from-draft': 'true', 'upload-artifact': 'false' }, workspace)
    world.sim.options.faults.length = 0
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0, told(real.stdout))
    assert.equal(
      dry.code,
      real.code,
      `the dry run ended ${dry.code}, the run ${real.code}:\n--- dry\n${told(dry.stdout)}\n--- run\n${told(real.stdout)}`
    )
  })

  it('README flow with wait: false: started, resumed by the same step (from-draft, cleanup, reuse), then the next push pays nothing', async () => {
    const workspace = templateWith('Started, resumed, pushed again.')
    const merge = { 'from-draft': 'true', cleanup: 'true', reuse: 'true' }
    const drafted = await run(1010, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, told(drafted.stdout))
    const from = world.sim.requests.length
    const started = await run(1011, MAIN_PUSH, { ...merge, wait: 'false' }, workspace)
    assert.equal(started.code, 0, told(started.stdout))
    const resumed = await run(1012, MAIN_PUSH, { ...merge, resume: started.outputs['export-key'] }, workspace)
    assert.equal(resumed.code, 0, told(resumed.stdout))
    assert.equal(posts(EXPORT, from), 1)
    const next = await run(1013, MAIN_PUSH, merge, workspace)
    assert.equal(next.code, 0, told(next.stdout))
    assert.equal(
      posts(EXPORT, from) + posts(CREATE, from),
      1,
      `the reviewed draft's video was delivered by the resume, yet the next push of the same request paid for it again:\n${told(next.stdout)}`
    )
  })

  it('draft: true with cleanup: true keeps the draft for review (or refuses the pair), never deletes what it saved', async () => {
    const workspace = templateWith('Draft with cleanup on.')
    const drafted = await run(1020, PULL, { draft: 'true', cleanup: 'true' }, workspace)
    if (drafted.code !== 0) return
    const draft = drafted.outputs['draft-project-id']
    assert.ok(draft)
    assert.ok(!world.sim.deleted.includes(draft), `cleanup deleted the draft saved for review:\n${told(drafted.stdout)}`)
  })

  it('a re-run attempt of the merge job after cleanup took the export and the reviewed draft: delivered, paid nothing again', async () => {
    const workspace = templateWith('Merged, cleaned, re-run.')
    const merge = { 'from-draft': 'required', cleanup: 'true' }
    assert.equal((await run(1030, PULL, { draft: 'true' }, workspace)).code, 0)
    const from = world.sim.requests.length
    const first = await run(1031, MAIN_PUSH, merge, workspace)
    assert.equal(first.code, 0, told(first.stdout))
    const again = await run(1031, MAIN_PUSH, merge, workspace, 2)
    assert.equal(again.code, 0, `required: the re-run attempt of a delivered reviewed export is refused:\n${told(again.stdout)}`)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 1, told(again.stdout))
  })

  it("the README's draft workflow (comment) on a later push: the one comment and the outputs name the kept draft, with the review's edits", async () => {
    const workspace = templateWith('Commented draft, pushed again.')
    const pr = { ...PULL, pullRequests: [77], headBranch: 'feature-77' }
    const first = await run(1040, pr, { draft: 'true', comment: 'true' }, workspace)
    assert.equal(first.code, 0, told(first.stdout))
    const draft = first.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const from = world.sim.requests.length
    const second = await run(1041, pr, { draft: 'true', comment: 'true' }, workspace)
    assert.equal(second.code, 0, told(second.stdout))
    assert.equal(posts(CREATE, from), 0, 'the draft was kept, not saved again')
    assert.equal(second.outputs['draft-project-id'], draft)
    const comments = world.github.comments.filter((c) => c.issue === 77)
    assert.equal(comments.length, 1, 'one comment, updated')
    assert.match(comments[0].body, new RegExp(draft), comments[0].body)
    assert.match(second.summary, new RegExp(draft))
    assert.doesNotMatch(second.summary + comments[0].body, /::/, 'nothing the runner reads as a command')
  })

  it('no secret in what a draft run, a merge and a resume print, summarise or output', async () => {
    const workspace = templateWith('Nothing secret printed.')
    const token = world.sim.mintToken()
    const secretRun = (runId: number, wf: typeof PULL, inputs: Record<string, string>) => run(runId, wf, { 'api-key': token, ...inputs }, workspace)
    const all = [
      await secretRun(1050, PULL, { draft: 'true', comment: 'true' }),
      await secretRun(1051, MAIN_PUSH, { 'from-draft': 'required', wait: 'false' })
    ]
    all.push(await secretRun(1052, MAIN_PUSH, { 'from-draft': 'required', resume: all[1].outputs['export-key'] ?? '', cleanup: 'true' }))
    for (const r of all) {
      // ::add-mask:: is how a secret is hidden, not printed.
      const seen =
        (r.stdout + r.stderr)
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n') +
        r.summary +
        JSON.stringify(r.outputs)
      assert.ok(!seen.includes(token), 'the API key is printed')
      assert.ok(!seen.includes(GITHUB_TOKEN), 'the GitHub token is printed')
    }
    for (const c of world.github.comments) assert.ok(!c.body.includes(token) && !c.body.includes(GITHUB_TOKEN))
  })

  it('one run, two jobs: a draft job, then (after an approval) a from-draft: required job exports that draft, once', async () => {
    const workspace = templatesWorkspace(['approved'])
    const drafted = await shard(1060, 'drafts', MAIN_PUSH, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, told(drafted.stdout))
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Approved with edits'
    const exports = world.sim.exports.length
    const approved = await shard(1060, 'export', MAIN_PUSH, { 'from-draft': 'required', cleanup: 'true' }, workspace)
    assert.equal(approved.code, 0, `the draft saved earlier in this run is not found:\n${told(approved.stdout)}`)
    assert.deepEqual(
      world.sim.exports.slice(exports).map((e) => e.body.projectId),
      [draft]
    )
  })

  it("a dry run resuming a reviewed draft's export (the same step, from-draft) ends as the resume would, downloads and deletes nothing", async () => {
    const workspace = templateWith('Dry resume of a reviewed export.')
    const drafted = await run(1070, PULL, { draft: 'true' }, workspace)
    assert.equal(drafted.code, 0, told(drafted.stdout))
    const draft = drafted.outputs['draft-project-id']
    ;(world.sim.options.projects[draft] as { name?: string }).name = 'Edited in review'
    const started = await run(1071, MAIN_PUSH, { 'from-draft': 'required', wait: 'false', 'upload-artifact': 'false' }, workspace)
    assert.equal(started.code, 0, told(started.stdout))
    const key = started.outputs['export-key']
    const from = world.sim.requests.length
    const deleted = world.sim.deleted.length
    const dry = await run(1072, MAIN_PUSH, { resume: key, 'from-draft': 'required', cleanup: 'true', 'dry-run': 'true' }, workspace)
    assert.deepEqual(
      world.sim.requests
        .slice(from)
        .filter((r) => r.method !== 'GET' || /\/videos\//.test(r.path))
        .map((r) => `${r.method} ${r.path}`),
      [],
      'a dry run sends nothing and downloads nothing'
    )
    assert.equal(world.sim.deleted.length, deleted)
    const real = await run(1073, MAIN_PUSH, { resume: key, 'from-draft': 'required', 'upload-artifact': 'false' }, workspace)
    assert.equal(real.code, 0, told(real.stdout))
    assert.equal(dry.code, real.code, `the dry run ended ${dry.code}, the resume ${real.code}:\n${told(dry.stdout)}`)
  })

  it("max-videos: 0 on the README merge's next push: the reviewed draft's video reused counts nothing, the run and its dry run pass", async () => {
    const workspace = templateWith('Reused under a cap of zero.')
    const merge = { 'from-draft': 'required', cleanup: 'true', reuse: 'true' }
    assert.equal((await run(1080, PULL, { draft: 'true' }, workspace)).code, 0)
    assert.equal((await run(1081, MAIN_PUSH, merge, workspace)).code, 0)
    const from = world.sim.requests.length
    const dry = await run(1082, MAIN_PUSH, { ...merge, 'max-videos': '0', 'dry-run': 'true' }, workspace)
    const capped = await run(1083, MAIN_PUSH, { ...merge, 'max-videos': '0' }, workspace)
    assert.equal(capped.code, 0, `a reused video counted against max-videos:\n${told(capped.stdout)}`)
    assert.equal(posts(EXPORT, from) + posts(CREATE, from), 0)
    assert.equal(dry.code, capped.code, told(dry.stdout))
  })
})
