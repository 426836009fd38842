/**
 * A batch fanned out over a matrix and gathered again, through dist/index.js against the simulator and
 * the GitHub and artifact-service stand-ins: the plan's shards, each render job's result record, and
 * the collect job's one summary, `videos` output and pull request comment.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { manifestPipelineId } from '../src/job/pipeline.ts'
import { eventEnv, makeWorkspace, NO_POSIX_SIGNALS, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const manifestOf = (names: string[]): string =>
  `videos:\n${names.map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n`).join('')}`
const namesOf = (count: number, prefix = 'clip'): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`)

const world = useStandIns({ renderMs: 300 })

type Entry = { name: string; status: string; 'project-id': string | null; error: string | null }
const videosOf = (run: ActionRun): Entry[] => JSON.parse(run.outputs.videos ?? '[]') as Entry[]
/** The keys the simulator handed out, by the export's project name. */
const exportedKeys = (): string[] => world.sim.exports.map((e) => e.key)

describe('plan', () => {
  it('groups a 600-video manifest into at most 256 shards covering every video once, sending nothing', async () => {
    const names = namesOf(600)
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(names) })
    const plan = () =>
      runAction({ workspace, inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, manifest: 'videos.yml', plan: 'true' } })
    const run = await plan()
    assert.equal(run.code, 0, run.stdout)
    const { include } = JSON.parse(run.outputs.matrix) as { include: Array<{ shard: string; video: string }> }
    assert.ok(include.length <= 256 && include.length > 1, `${include.length} shards`)
    assert.deepEqual(
      include.flatMap((entry) => entry.video.split(',')),
      names
    )
    assert.ok(include.every((entry, index) => entry.shard === `${index + 1}/${include.length}`))
    assert.equal(world.sim.requests.length, 0)
    // The summary lists the first MAX_SUMMARY_ROWS (500) and counts the rest: a plan's summary stays bounded.
    assert.equal(run.summary.split('<li>').length - 1, 500)
    assert.ok(run.summary.includes('<li>clip-500</li>') && !run.summary.includes('<li>clip-501</li>'))
    assert.match(run.summary, /…and 100 more video\(s\), not listed/)
    const again = await plan()
    assert.equal(again.outputs.matrix, run.outputs.matrix, 'the same manifest gives the same shards')
  })

  it('refuses a manifest of more than 2,000 videos before anything is sent', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(namesOf(2001)) })
    const run = await runAction({
      workspace,
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, manifest: 'videos.yml', plan: 'true' }
    })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /a manifest lists at most 2000 videos \(this one 2001\)/)
  })

  it('honours max-jobs, and a render job renders the videos its shard names', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(['a', 'b', 'c']) })
    const base = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, manifest: 'videos.yml' }
    const plan = await runAction({ workspace, inputs: { ...base, plan: 'true', 'max-jobs': '2' } })
    assert.deepEqual(JSON.parse(plan.outputs.matrix), {
      include: [
        { shard: '1/2', video: 'a' },
        { shard: '2/2', video: 'b,c' }
      ]
    })
    const exports = world.sim.exports.length
    const render = await runAction({ workspace, inputs: { ...base, 'manifest-entry': 'b,c' } })
    assert.equal(render.code, 0, render.stdout)
    assert.equal(world.sim.exports.length, exports + 2)
    assert.deepEqual(
      (JSON.parse(render.outputs.videos) as Array<{ name: string }>).map((video) => video.name),
      ['b', 'c']
    )
  })
})

const pr = (number: number) => eventEnv('pull_request', { pull_request: { number, base: { sha: 'x' } } }, world.github.url)

describe('a matrix collected', () => {
  const render = (workspace: string, video: string, env: Record<string, string>, onStart?: Parameters<typeof runAction>[0]['onStart']) =>
    runAction({
      workspace,
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        manifest: 'videos.yml',
        'manifest-entry': video,
        comment: 'true',
        'github-token': GITHUB_TOKEN
      },
      env,
      onStart
    })
  const collect = (workspace: string, env: Record<string, string>) =>
    runAction({ workspace, inputs: { manifest: 'videos.yml', collect: 'true', comment: 'true', 'github-token': GITHUB_TOKEN }, env })

  it('three render jobs at once, then collect: one comment listing all three, one summary, videos with all three', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(['alpha', 'beta', 'gamma']) })
    const before = world.sim.exports.length
    const jobs = await Promise.all(
      ['alpha', 'beta', 'gamma'].map((video) => render(workspace, video, { ...pr(40), ...world.artifacts.envFor(`render-${video}`) }))
    )
    for (const job of jobs) assert.equal(job.code, 0, job.stdout)
    assert.equal(world.github.comments.filter((c) => c.issue === 40).length, 0, 'render jobs leave the comment to collect')
    const keys = exportedKeys().slice(before)
    assert.equal(keys.length, 3)

    const run = await collect(workspace, { ...pr(40), ...world.artifacts.envFor('collect') })
    assert.equal(run.code, 0, run.stdout)
    const videos = videosOf(run)
    assert.deepEqual(
      videos.map((v) => [v.name, v.status]),
      [
        ['alpha', 'downloaded'],
        ['beta', 'downloaded'],
        ['gamma', 'downloaded']
      ]
    )
    assert.deepEqual(videos.map((v) => v['project-id']).sort(), [...keys].sort())
    const comments = world.github.comments.filter((c) => c.issue === 40)
    assert.equal(comments.length, 1)
    for (const key of keys) assert.match(comments[0].body, new RegExp(`\\| \`${key}\` \\|`))
    assert.equal(run.summary.match(/<h2>/g)?.length, 1, 'one summary')
    assert.match(run.summary, /🎬 AI Studios batch: 3 delivered \(of 3\)/)
    assert.equal(world.sim.exports.length, before + 3, 'collect exports nothing')
  })

  it('fails naming why when GitHub refuses collect’s own comment (a token without pull-requests: write)', async () => {
    const workspace = makeWorkspace({ 'videos.yml': manifestOf(['iota']) })
    const job = await render(workspace, 'iota', { ...pr(43), ...world.artifacts.envFor('render-iota') })
    assert.equal(job.code, 0, job.stdout)
    const readOnly = world.github.jobToken({ contents: 'read', 'pull-requests': 'read' })
    const run = await runAction({
      workspace,
      inputs: { manifest: 'videos.yml', collect: 'true', comment: 'true', 'github-token': readOnly },
      env: { ...pr(43), ...world.artifacts.envFor('collect-iota') }
    })
    // The fault under test: the stand-in refused the comment, as GitHub refuses that token.
    assert.ok(world.github.refused.length > 0, 'GitHub refused the comment')
    assert.equal(run.code, 1, run.stdout)
    assert.match(
      run.stdout,
      /::error::The batch's pull request comment could not be written \(Resource not accessible by integration\); its token needs pull-requests: write/
    )
    assert.doesNotMatch(run.stdout + run.stderr, /UnhandledPromiseRejection|^\s+at /m, 'a named error, not a stack trace')
    assert.equal(world.github.comments.filter((c) => c.issue === 43).length, 0)
  })

  it(
    'fails naming the videos of a job killed before reporting, a cancelled job’s with its reason, and refuses a forged record',
    { skip: NO_POSIX_SIGNALS },
    async () => {
      const workspace = makeWorkspace({ 'videos.yml': manifestOf(['delta', 'epsilon', 'zeta', 'eta']) })
      const env = { ...pr(41), ...world.artifacts.envForRun(5000) }
      const [done, cancelled, killed] = await Promise.all([
        render(workspace, 'delta', env),
        render(workspace, 'epsilon', env, (child, stdout) => {
          const poll = setInterval(() => {
            if (/Export accepted/.test(stdout())) {
              clearInterval(poll)
              child.kill('SIGTERM')
            }
          }, 20)
        }),
        render(workspace, 'zeta,eta', env, (child) => child.kill('SIGKILL'))
      ])
      assert.equal(done.code, 0, done.stdout)
      assert.equal(cancelled.code, 1, cancelled.stdout)
      assert.equal(killed.signal, 'SIGKILL')
      // A record the killed job never wrote, planted by a step of the run: it claims a video with a key that is no key.
      const forged = {
        version: 2,
        pipeline: { id: manifestPipelineId('videos.yml'), manifest: 'videos.yml' },
        job: 'render',
        runId: '5000',
        attempt: 1,
        videos: ['zeta'],
        outcome: 'success',
        error: null,
        entries: [{ ...videosOf(done)[0], name: 'zeta', 'project-id': 'p`</code><b>' }]
      }
      world.artifacts.artifacts.push({
        id: 9000 + world.artifacts.artifacts.length,
        name: `aistudios-result-1-${manifestPipelineId('videos.yml')}.zeta.json`,
        job: 'a1b2c3d4-job',
        run: 'run-5000',
        runId: 5000,
        mimeType: 'application/json',
        finalized: true,
        bytes: Buffer.from(JSON.stringify(forged))
      })

      const run = await collect(workspace, { ...pr(41), ...world.artifacts.envForRun(5000) })
      assert.equal(run.code, 1, run.stdout)
      const byName = new Map(videosOf(run).map((v) => [v.name, v]))
      assert.equal(byName.get('delta')?.status, 'downloaded')
      assert.equal(byName.get('epsilon')?.status, 'failed')
      assert.match(byName.get('epsilon')?.error ?? '', /cancelled/)
      for (const name of ['zeta', 'eta']) assert.equal(byName.get(name)?.error, 'no result: its job did not report')
      assert.match(run.stdout, /::error::3 of 4 video\(s\) were not delivered: epsilon, zeta, eta/)
      assert.match(run.stdout, /::warning::result record aistudios-result-1-m[0-9a-f]{15}\.zeta\.json was refused: .*project-id/)
      const [comment] = world.github.comments.filter((c) => c.issue === 41)
      assert.match(comment.body, /\| zeta \| ❌ no result&#58; its job did not report \|/)
    }
  )

  it('two concurrent runs on one pull request leave one comment with both runs’ rows', async () => {
    const one = makeWorkspace({ 'videos.yml': manifestOf(['north', 'south']) })
    const two = makeWorkspace({ 'videos.yml': manifestOf(['east', 'west']) })
    const run = (workspace: string, runId: string) =>
      runAction({
        workspace,
        inputs: {
          'api-key': world.sim.mintToken(),
          'api-url': world.sim.apiUrl,
          manifest: 'videos.yml',
          comment: 'true',
          'github-token': GITHUB_TOKEN
        },
        env: { ...pr(42), GITHUB_RUN_ID: runId }
      })
    // Both runs read the comments before either writes: both create one, and the race must be undone.
    world.github.commentListBarrier = 2
    const writes = world.github.requests.length
    const runs = await Promise.all([run(one, '6001'), run(two, '6002')])
    for (const r of runs) assert.equal(r.code, 0, r.stdout)
    const made = world.github.requests.slice(writes).filter((r) => r.method === 'POST' && r.path.endsWith('/issues/42/comments'))
    assert.equal(made.length, 2, 'the barrier made both runs create a comment')
    assert.ok(
      world.github.requests.slice(writes).some((r) => r.method === 'DELETE'),
      'the duplicate was deleted'
    )
    const comments = world.github.comments.filter((c) => c.issue === 42)
    assert.equal(comments.length, 1)
    const keys = runs.flatMap((r) => videosOf(r).map((v) => [v.name, v['project-id']]))
    for (const [name, key] of keys) assert.match(comments[0].body, new RegExp(`^\\| ${name} \\| downloaded \\| \`${key}\``, 'm'))
  })
})
