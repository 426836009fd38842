/** Hostile input is normal input: each case refused (or made harmless) before anything is paid for, nothing leaked. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT, SAMPLE_PROJECT, SAMPLE_PROJECT_ID, TEST_API_KEY, startSimulator, type Simulator } from './simulator/server.ts'
import { startArtifactService, type ArtifactService } from './stand-ins/artifact-service.ts'

let sim: Simulator
before(async () => {
  sim = await startSimulator({
    renderMs: 200,
    projects: { [SAMPLE_PROJECT_ID]: SAMPLE_PROJECT, huge: { ...SAMPLE_PROJECT, padding: 'x'.repeat(5 << 20) } },
    faults: [{ route: 'project', kind: 'envelope', code: 400, msg: 'Bad things\n::error::injected by the API', times: 1 }]
  })
})
after(() => sim.close())

/** A workspace with a link in it (made after the files, so it can point anywhere). */
function workspaceWith(files: Record<string, string>, links: Record<string, string>): string {
  const workspace = makeWorkspace(files)
  for (const [name, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
    fs.symlinkSync(target, path.join(workspace, name))
  }
  return workspace
}

/** No line of the log is a workflow command that came from outside. */
const noInjection = (run: ActionRun): void => assert.doesNotMatch(run.stdout, /^::error::injected/m)

const TEMPLATE = JSON.stringify(DIALOGUE_PROJECT)
const cases: Array<{ name: string; inputs: Record<string, string>; workspace?: () => string; message: RegExp }> = [
  {
    name: 'a speech file linked to the runner environment',
    inputs: { 'scripts-dir': 'speech' },
    workspace: () => workspaceWith({ 'speech/1.txt': 'fine' }, { 'speech/0.txt': '/proc/self/environ' }),
    message: /Input 'scripts-dir': 'speech\/0\.txt' is outside the workspace/
  },
  {
    name: 'a template linked outside',
    inputs: { 'project-id': '', template: 't.json' },
    workspace: () => workspaceWith({}, { 't.json': '/etc/hostname' }),
    message: /Input 'template': 't\.json' is outside the workspace/
  },
  {
    name: 'a folder on the way linked outside',
    inputs: { 'script-file': 'etc/hostname' },
    workspace: () => workspaceWith({}, { etc: '/etc' }),
    message: /Input 'script-file': 'etc\/hostname' is outside the workspace/
  },
  { name: 'an output-dir above the workspace', inputs: { 'output-dir': '../x' }, message: /Input 'output-dir': '\.\.\/x' is outside the workspace/ },
  {
    name: 'an absolute output-dir',
    inputs: { 'output-dir': '/tmp/elsewhere' },
    message: /Input 'output-dir': '\/tmp\/elsewhere' is outside the workspace/
  },
  {
    name: 'an output-dir that is a file',
    inputs: { 'output-dir': 'taken' },
    workspace: () => makeWorkspace({ taken: 'a file' }),
    message: /Input 'output-dir': 'taken' is a file, not a folder/
  },
  {
    name: 'an api-url with a password in it',
    inputs: { 'api-url': 'https://user:hunter2@api.example.com' },
    message: /Input 'api-url': must not carry a user name or password/
  },
  {
    name: 'a resume value carrying a workflow command',
    inputs: { resume: 'abc\n::error::injected' },
    message: /Input 'resume': is not an export key/
  },
  {
    name: 'an api-key with a newline in it',
    inputs: { 'api-key': `${TEST_API_KEY}\nX-Other: 1` },
    message: /Input 'api-key': holds a space, a newline or another character/
  },
  {
    name: 'a placeholder with a hyphen and no value',
    inputs: { 'project-id': '', template: 't.json', tags: 'title: "##product-name##"' },
    workspace: () => makeWorkspace({ 't.json': TEMPLATE }),
    message: /Input 'tags': the value of tag 'title' \(from tags\) has placeholder\(s\) with no value: ##product-name##/
  },
  {
    name: 'a template nested 100,000 deep',
    inputs: { 'project-id': '', template: 'deep.json' },
    workspace: () => makeWorkspace({ 'deep.json': `{"scenes":${'['.repeat(100_000)}${']'.repeat(100_000)}}` }),
    message: /Input 'template': deep\.json:1:\d+: nested more than 100 levels deep/
  },
  {
    name: 'manifest names that differ only in case',
    inputs: { 'project-id': '', manifest: 'm.yml' },
    workspace: () => makeWorkspace({ 'm.yml': `- name: Intro\n  project-id: p\n- name: intro\n  project-id: q\n` }),
    message: /Input 'manifest': m\.yml:3:3: videos 'Intro' and 'intro' differ only in case/
  }
]

describe('hostile input, refused before anything is sent', () => {
  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const before = sim.requests.length
      const run = await runAction({
        workspace: testCase.workspace?.(),
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, ...testCase.inputs }
      })
      assert.equal(run.code, 1, run.stdout)
      assert.match(run.stdout, new RegExp(`::error[^\\n]*?::${testCase.message.source}`))
      assert.equal(sim.requests.length, before, 'nothing was sent')
      noInjection(run)
      assert.ok(!(run.stdout + run.summary).includes('hunter2'), 'a password in a URL is never printed')
    })
  }
})

describe('hostile answers', () => {
  it('prints an API message that holds a workflow command as text, not as a command', async () => {
    const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID } })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /Bad things%0A::error::injected by the API/, 'the fault fired, escaped')
    noInjection(run)
  })

  it('reads no more than 4 MiB of an answer', async () => {
    const exports = sim.exports.length
    const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': 'huge' } })
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::the answer from http:\/\/127\.0\.0\.1:\d+ is larger than 4 MiB; it is not the API's/)
    assert.equal(sim.exports.length, exports)
  })
})

describe('names and places', () => {
  it('gives an output name ending in a dotted number its .mp4', async () => {
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'output-name': 'release-v1.2.10' }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.equal(path.basename(run.outputs['video-path']), 'release-v1.2.10.mp4')
  })

  describe('on GitHub Enterprise Server', () => {
    let artifacts: ArtifactService
    before(async () => {
      artifacts = await startArtifactService()
    })
    after(() => artifacts.close())
    it('skips the artifact upload with a warning decided before the export, and still delivers the file', async () => {
      const exports = sim.exports.length
      const run = await runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID },
        env: { ...artifacts.env, GITHUB_SERVER_URL: 'https://github.example.com' }
      })
      assert.equal(run.code, 0, run.stdout)
      assert.match(run.stdout, /::warning::https:\/\/github\.example\.com is GitHub Enterprise Server.*not uploaded/)
      assert.ok(run.stdout.indexOf('GitHub Enterprise Server') < run.stdout.indexOf('Exporting:'), 'decided before the export')
      assert.equal(sim.exports.length, exports + 1)
      assert.equal(artifacts.artifacts.length, 0)
    })
  })
})
