/**
 * only-changed decides from the triggering event's own commits, through dist/index.js against the simulator
 * and the GitHub and artifact-service stand-ins: a pull request's run of an earlier push while the live
 * file list already holds a later one, the plan and collect jobs of one run agreeing, and the workflow
 * file as the home of a step's inline inputs.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 300 })

type Entry = { name: string; status: string; error: string | null }
const videosOf = (run: ActionRun): Entry[] => JSON.parse(run.outputs.videos ?? '[]') as Entry[]
/** The project names the simulator was asked to export since `from`: what was paid for. */
const exportedSince = (from: number): string[] => world.sim.exports.slice(from).map((e) => (e.body as { name?: string }).name ?? '')

describe('a pull request with two pushes', () => {
  const manifest = `videos:
  - name: a
    project-id: ${SAMPLE_PROJECT_ID}
    title: video a
    script-file: speech/a.txt
  - name: b
    project-id: ${SAMPLE_PROJECT_ID}
    title: video b
    script-file: speech/b.txt
`
  const files = { 'videos.yml': manifest, 'speech/a.txt': 'A, rewritten', 'speech/b.txt': 'B, rewritten' }
  /** The first push changed a's speech; the second b's as well. */
  const pushes = (number: number) => {
    world.github.changes.set(`base${number}...first${number}`, ['speech/a.txt'])
    world.github.changes.set(`base${number}...second${number}`, ['speech/a.txt', 'speech/b.txt'])
    const event = (head: string) =>
      eventEnv('pull_request', { pull_request: { number, base: { sha: `base${number}` }, head: { sha: `${head}${number}` } } }, world.github.url)
    return { first: event('first'), second: event('second') }
  }
  const compared = (number: number, head: string) => world.github.requests.some((r) => r.path.endsWith(`/compare/base${number}...${head}${number}`))
  const askedLiveList = (number: number) => world.github.requests.some((r) => r.path.includes(`/pulls/${number}/files`))

  it("renders, for the first push's run started after the second push, only what the first push changed", async () => {
    const { first } = pushes(30)
    // The second push has landed: the pull request's live file list holds both changes.
    world.github.changes.set('pr:30', ['speech/a.txt', 'speech/b.txt'])
    const from = world.sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace(files),
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        manifest: 'videos.yml',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: first
    })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(exportedSince(from), ['video a'], 'only the first push’s video was exported')
    assert.ok(compared(30, 'first'), "the event's own commits were compared")
    assert.ok(!askedLiveList(30), 'the live file list was not read')
  })

  it("plans, renders and collects the first push's videos although the second push lands between plan and collect", async () => {
    const { first } = pushes(31)
    const workspace = makeWorkspace(files)
    const base = { 'api-url': world.sim.apiUrl, manifest: 'videos.yml', 'github-token': GITHUB_TOKEN }
    world.github.changes.set('pr:31', ['speech/a.txt'])
    const plan = await runAction({
      workspace,
      inputs: { ...base, 'api-key': world.sim.mintToken(), plan: 'true', 'only-changed': 'true' },
      env: { ...first, ...world.artifacts.envForRun(7100) }
    })
    assert.equal(plan.code, 0, plan.stdout)
    const { include } = JSON.parse(plan.outputs.matrix) as { include: Array<{ video: string }> }
    assert.deepEqual(
      include.map((entry) => entry.video),
      ['a']
    )

    // The second push, while the first run's render jobs go.
    world.github.changes.set('pr:31', ['speech/a.txt', 'speech/b.txt'])
    const from = world.sim.exports.length
    for (const entry of include) {
      const render = await runAction({
        workspace,
        inputs: { ...base, 'api-key': world.sim.mintToken(), 'manifest-entry': entry.video, comment: 'true' },
        env: { ...first, ...world.artifacts.envForRun(7100) }
      })
      assert.equal(render.code, 0, render.stdout)
    }
    assert.deepEqual(exportedSince(from), ['video a'])

    const collect = await runAction({
      workspace,
      inputs: { ...base, collect: 'true', 'only-changed': 'true', comment: 'true' },
      env: { ...first, ...world.artifacts.envForRun(7100) }
    })
    assert.equal(collect.code, 0, collect.stdout)
    assert.deepEqual(
      videosOf(collect).map((video) => [video.name, video.status]),
      [['a', 'downloaded']]
    )
    const [comment] = world.github.comments.filter((c) => c.issue === 31)
    assert.match(comment.body, /\| a \| downloaded \|/)
    assert.doesNotMatch(comment.body, /\| b \||no result/)
    assert.ok(!askedLiveList(31), 'neither job read the live file list')
  })
})

describe('the workflow file holds the inline inputs', () => {
  const V3 = fs.readFileSync(fileURLToPath(new URL('./fixtures/templates/v3-news.json', import.meta.url)), 'utf8')
  /** The workflow the harness runs (GITHUB_WORKFLOW_REF names it), and one more. */
  const WORKFLOW = '.github/workflows/videos.yml'
  const files = {
    'video/news.json': V3,
    [WORKFLOW]: 'on: push\n',
    '.github/workflows/lint.yml': 'on: push\n',
    '.github/workflows/render-one.yml': 'on:\n  workflow_call:\n'
  }
  let pushNumber = 0
  /** A run of `inputs` with only-changed for a push that changed `changed`; what it exported. */
  async function push(changed: string[], inputs: Record<string, string>, env: Record<string, string> = {}, workspace = makeWorkspace(files)) {
    const before = `before${++pushNumber}`
    world.github.changes.set(`${before}...after${pushNumber}`, changed)
    const from = world.sim.exports.length
    const run = await runAction({
      workspace,
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'only-changed': 'true', 'github-token': GITHUB_TOKEN, ...inputs },
      env: { ...eventEnv('push', { before, after: `after${pushNumber}` }, world.github.url), ...env }
    })
    assert.equal(run.code, 0, run.stdout)
    return { run, exported: exportedSince(from) }
  }
  const inlineVariables = { template: 'video/news.json', variables: 'PRODUCT: Widget\nVERSION: 2.0', name: 'news' }
  const inlineScript = { template: 'video/news.json', 'variables-file': 'vars.yml', script: 'Hello from the workflow.', name: 'news' }

  for (const [what, inputs] of [
    ['variables', inlineVariables],
    ['script', inlineScript]
  ] as const) {
    it(`renders a template with inline ${what} when only the workflow file changed, and not for another file`, async () => {
      const workspace = makeWorkspace({ ...files, 'vars.yml': 'PRODUCT: Widget\nVERSION: 2.0\n' })
      assert.deepEqual((await push(['docs/index.md', '.github/workflows/lint.yml'], inputs, {}, workspace)).exported, [])
      const { run, exported } = await push([WORKFLOW], inputs, {}, workspace)
      assert.deepEqual(exported, ['news'])
      assert.match(run.stdout, new RegExp(`only-changed: .*${WORKFLOW.replace(/\./g, '\\.')}.*${what}`))
    })
  }

  it('counts a changed reusable workflow of the repository (the step may be written there), not an entry of a manifest', async () => {
    const { exported } = await push(['.github/workflows/render-one.yml'], inlineVariables)
    assert.deepEqual(exported, ['news'])
    // A manifest entry's inline speech is written in the manifest, which is compared entry by entry.
    const manifest = `videos:\n  - name: m\n    project-id: ${SAMPLE_PROJECT_ID}\n    title: m\n    script-file: speech/m.txt\n    scripts:\n      1: inline\n`
    const workspace = makeWorkspace({ ...files, 'videos.yml': manifest, 'speech/m.txt': 'M' })
    assert.deepEqual((await push([WORKFLOW], { manifest: 'videos.yml' }, {}, workspace)).exported, [])
  })

  it('renders inline inputs, with a notice, where the run names no workflow file', async () => {
    const { run, exported } = await push(['docs/index.md'], inlineVariables, { GITHUB_WORKFLOW_REF: '' })
    assert.deepEqual(exported, ['news'])
    assert.match(run.stdout, /::notice::only-changed: .*workflow file.*variables/)
  })
})
