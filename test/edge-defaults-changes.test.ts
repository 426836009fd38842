/**
 * Attack: asGiven (a value equal to its action.yml default reads as "not given") and only-changed's
 * workflow-file rule, run as the runner runs the action. Each test is expected to FAIL while the bug it
 * proves is there.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID } from './simulator/server.ts'
import { GITHUB_TOKEN } from './stand-ins/github-api.ts'

const world = useStandIns({ renderMs: 200 })

describe('asGiven folds case, and output-dir is a case-sensitive path', () => {
  // PROVES: `output-dir: Videos` (a folder a later step reads, on a case-sensitive Linux runner) equals the
  // default 'videos' once lower-cased, so asGiven reads it as "not given" and the video is saved in videos/,
  // not in the folder the user named. No warning.
  it(
    'output-dir: Videos saves the video in Videos/, as given',
    { skip: process.platform !== 'linux' && 'case-insensitive file system' },
    async () => {
      const workspace = makeWorkspace({})
      const run = await runAction({
        workspace,
        inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'output-dir': 'Videos' },
        env: world.artifacts.envForRun(9001)
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(
        path.dirname(run.outputs['video-path']),
        path.join(workspace, 'Videos'),
        `observed: saved in ${path.dirname(run.outputs['video-path'])} (exists: videos=${fs.existsSync(path.join(workspace, 'videos'))}, Videos=${fs.existsSync(path.join(workspace, 'Videos'))})`
      )
    }
  )
})

describe("only-changed misses the workflow file when its name holds '@'", () => {
  // PROVES: GITHUB_WORKFLOW_REF is `owner/repo/PATH@REF`; workflowPath cuts at the FIRST '@', so a workflow file
  // named `.github/workflows/video@v2.yml` (a legal file name) is read as `.github/workflows/video`. A push that
  // rewrites the step's inline `variables:` in that file is not seen as a change: nothing is rendered, green, and
  // the changed video is silently never made.
  it('a push that changes the inline variables of .github/workflows/video@v2.yml renders it', async () => {
    const workflowFile = '.github/workflows/video@v2.yml'
    const template = fs.readFileSync(new URL('../examples/video/news.json', import.meta.url), 'utf8')
    const workspace = makeWorkspace({ [workflowFile]: 'on: push\n', 'video/news.json': template })
    world.github.changes.set('w91a...w91b', [workflowFile])
    const exports = world.sim.exports.length
    const run = await runAction({
      workspace,
      inputs: {
        'api-key': world.sim.mintToken(),
        'api-url': world.sim.apiUrl,
        // the template is a repository file; its values are written inline in the workflow file
        template: 'video/news.json',
        variables: 'PRODUCT: Widget\nVERSION: "3.0"',
        'only-changed': 'true',
        'github-token': GITHUB_TOKEN
      },
      env: {
        ...world.artifacts.envForRun(9002),
        ...eventEnv('push', { before: 'w91a', after: 'w91b' }, world.github.url),
        GITHUB_WORKFLOW_REF: `octo-org/videos/${workflowFile}@refs/heads/main`
      }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(
      world.sim.exports.length,
      exports + 1,
      `observed: nothing exported: ${run.stdout
        .split('\n')
        .filter((l) => l.includes('only-changed'))
        .join(' | ')}`
    )
  })
})

describe('the CLI folds --output-dir case the same way', () => {
  // PROVES: the CLI's cliInputs goes through asGiven too: `--output-dir Videos` saves in ./videos.
  it('--output-dir Videos saves the video in Videos/', { skip: process.platform !== 'linux' && 'case-insensitive file system' }, async () => {
    const { spawn } = await import('node:child_process')
    const { fileURLToPath } = await import('node:url')
    const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
    const workspace = makeWorkspace({})
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, '--api-url', world.sim.apiUrl, '--project-id', SAMPLE_PROJECT_ID, '--output-dir', 'Videos'], {
        cwd: workspace,
        env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1', AISTUDIOS_API_KEY: world.sim.mintToken() },
        stdio: 'ignore'
      })
      child.on('error', reject)
      child.on('close', resolve)
    })
    assert.equal(code, 0)
    assert.deepEqual(
      { Videos: fs.existsSync(path.join(workspace, 'Videos')), videos: fs.existsSync(path.join(workspace, 'videos')) },
      { Videos: true, videos: false },
      'the video went to the folder the flag named'
    )
  })
})
