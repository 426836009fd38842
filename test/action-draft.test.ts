/**
 * `draft: true`, review before paying: each video's project is created with `isExport: false` (a
 * template, a changed saved project), or is its own draft (a saved project the step does not change);
 * nothing is rendered or paid. The outputs, `videos`, summary and pull request comment name each draft.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { MINIMAL_V3_BODY, SAMPLE_PROJECT_ID, TEST_API_KEY } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 100 })
const posts = (): number => world.sim.requests.filter((r) => r.method === 'POST' && /\/editor\/project(\/export)?$/.test(r.path)).length
type Entry = { name: string; status: string; 'export-key': string | null; 'draft-project-id': string | null; 'draft-url': string | null }
const videosOf = (run: ActionRun): Entry[] => JSON.parse(run.outputs.videos ?? '[]') as Entry[]
const draft = (inputs: Record<string, string>, workspace?: string, env?: Record<string, string>): Promise<ActionRun> =>
  runAction({ workspace, inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, draft: 'true', ...inputs }, env })

describe('draft: true', () => {
  it('creates a template’s project with isExport: false, renders and pays nothing, and names the draft', async () => {
    const exports = world.sim.exports.length
    const drafts = world.sim.drafts.length
    const run = await draft({ template: 't.json' }, makeWorkspace({ 't.json': JSON.stringify(MINIMAL_V3_BODY) }), world.artifacts.env)
    assert.equal(run.code, 0, run.stdout)
    assert.equal(world.sim.exports.length, exports, 'nothing rendered')
    assert.equal(world.sim.drafts.length, drafts + 1)
    const saved = world.sim.drafts.at(-1)
    assert.equal(saved?.body.isExport, false)
    assert.equal(run.outputs['draft-project-id'], saved?.key)
    assert.equal(run.outputs['draft-url'], `${world.sim.apiUrl}/dashboard`)
    assert.equal(run.outputs['export-key'], undefined, 'a draft is no export to resume')
    assert.deepEqual(
      videosOf(run).map((v) => [v.status, v['draft-project-id'], v['draft-url']]),
      [['draft', saved?.key, `${world.sim.apiUrl}/dashboard`]]
    )
    assert.match(run.summary, /📝 AI Studios draft saved for review/)
    assert.match(run.summary, new RegExp(`<code>${saved?.key}</code>, <a href="${world.sim.apiUrl}/dashboard">open in AI Studios</a>`))
    assert.ok(!fs.existsSync(path.join(run.workspace, 'videos')) || fs.readdirSync(path.join(run.workspace, 'videos')).length === 0, 'no video')
  })

  it('a saved project the step does not change is its own draft: nothing is sent', async () => {
    const before = posts()
    const run = await draft({ 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false' })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(posts(), before)
    assert.equal(run.outputs['draft-project-id'], SAMPLE_PROJECT_ID)
  })

  it('a saved project the step changes is created as a draft with the change', async () => {
    const drafts = world.sim.drafts.length
    const run = await draft({ 'project-id': SAMPLE_PROJECT_ID, script: 'Reviewed words.', 'upload-artifact': 'false' })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(world.sim.drafts.length, drafts + 1)
    const body = world.sim.drafts.at(-1)?.body as { isExport: boolean; scenes: Array<{ scripts: Array<{ org: string }> }> }
    assert.equal(body.isExport, false)
    assert.equal(body.scenes[0].scripts[0].org, 'Reviewed words.')
    assert.equal(run.outputs['draft-project-id'], world.sim.drafts.at(-1)?.key)
  })

  it('refuses a legacy template by name before anything is sent', async () => {
    const before = world.sim.requests.length
    const legacy = { scenes: [{ AIModel: { script: 'Hi', model: 'M000004017', clothes: 'BG00006160', locationX: 0, locationY: 0 } }] }
    const run = await runAction({
      workspace: makeWorkspace({ 'old.json': JSON.stringify(legacy) }),
      inputs: { 'api-key': TEST_API_KEY, 'api-url': world.sim.apiUrl, template: 'old.json', draft: 'true', 'upload-artifact': 'false' }
    })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error.*Input 'draft': old\.json has the legacy shape, and the legacy API saves no project without rendering it/)
    assert.equal(world.sim.requests.length, before)
  })

  it('a dry run saves the draft request (isExport: false) and sends nothing', async () => {
    const before = posts()
    const run = await draft({ template: 't.json', 'dry-run': 'true' }, makeWorkspace({ 't.json': JSON.stringify(MINIMAL_V3_BODY) }))
    assert.equal(run.code, 0, run.stdout)
    assert.equal(posts(), before)
    assert.equal((JSON.parse(fs.readFileSync(run.outputs['request-path'], 'utf8')) as { isExport: boolean }).isExport, false)
  })

  it('a plan counts no export against max-videos', async () => {
    const manifest = `videos:\n${['a', 'b'].map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: ${name}\n`).join('')}`
    const run = await draft({ manifest: 'videos.yml', plan: 'true', 'max-videos': '1' }, makeWorkspace({ 'videos.yml': manifest }))
    assert.equal(run.code, 0, run.stdout)
    assert.equal(JSON.parse(run.outputs.count), 2)
  })

  it('a batch on a pull request lists its drafts in the summary and the comment', async () => {
    const manifest = `videos:\n${['one', 'two'].map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: Words of ${name}.\n`).join('')}`
    const env = {
      ...eventEnv('pull_request', { pull_request: { number: 77, base: { sha: 'x' } } }, world.github.url),
      ...world.artifacts.envFor('drafts')
    }
    const run = await draft({ manifest: 'videos.yml', comment: 'true', 'github-token': GITHUB_TOKEN }, makeWorkspace({ 'videos.yml': manifest }), env)
    assert.equal(run.code, 0, run.stdout)
    const keys = videosOf(run).map((v) => v['draft-project-id'])
    assert.equal(keys.length, 2)
    assert.match(run.summary, /Drafts for review/)
    for (const key of keys) assert.match(run.summary, new RegExp(`<code>${key}</code>`))
    const comment = world.github.comments.find((c) => c.issue === 77)
    assert.ok(comment, 'a comment was written')
    for (const key of keys) assert.match(comment.body, new RegExp(`📝 draft \`${key}\`, for review .*\\[open in AI Studios\\]`))
  })
})

describe('a template saying "isExport": false itself', () => {
  it('is saved as a draft, never overridden and billed', async () => {
    const exports = world.sim.exports.length
    const run = await runAction({
      workspace: makeWorkspace({ 't.json': JSON.stringify({ ...MINIMAL_V3_BODY, isExport: false }) }),
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, template: 't.json', 'upload-artifact': 'false' }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(world.sim.exports.length, exports, 'not billed')
    assert.match(run.stdout, /::notice::t\.json says "isExport": false: its project is saved as a draft for review, not rendered/)
    assert.equal(run.outputs['draft-project-id'], world.sim.drafts.at(-1)?.key)
  })
})

describe('a draft run fanned out over a matrix', () => {
  it('collect lists every draft for review in its summary and the one comment', async () => {
    const names = ['left', 'right']
    const manifest = `videos:\n${names.map((name) => `  - name: ${name}\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: Words of ${name}.\n`).join('')}`
    const workspace = makeWorkspace({ 'videos.yml': manifest })
    const pull = eventEnv('pull_request', { pull_request: { number: 78, base: { sha: 'x' } } }, world.github.url)
    const jobs = await Promise.all(
      names.map((name) =>
        draft({ manifest: 'videos.yml', 'manifest-entry': name, comment: 'true', 'github-token': GITHUB_TOKEN }, workspace, {
          ...pull,
          ...world.artifacts.envFor(`render-${name}`)
        })
      )
    )
    for (const job of jobs) assert.equal(job.code, 0, job.stdout)
    const collect = await runAction({
      workspace,
      inputs: { manifest: 'videos.yml', collect: 'true', comment: 'true', 'github-token': GITHUB_TOKEN },
      env: { ...pull, ...world.artifacts.envFor('collect') }
    })
    assert.equal(collect.code, 0, collect.stdout)
    const keys = videosOf(collect).map((v) => v['draft-project-id'])
    assert.equal(keys.filter(Boolean).length, 2)
    assert.match(collect.summary, /📝 AI Studios batch: 0 delivered, 2 draft/)
    assert.match(collect.summary, /Drafts for review/)
    const comment = world.github.comments.find((c) => c.issue === 78)
    for (const key of keys) {
      assert.match(collect.summary, new RegExp(`<code>${key}</code>, <a href="${world.sim.apiUrl}/dashboard">open in AI Studios</a>`))
      assert.match(comment?.body ?? '', new RegExp(`📝 draft \`${key}\`, for review`))
    }
  })
})
