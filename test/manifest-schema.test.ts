/**
 * One definition of a manifest: schema/manifest.schema.json is what the action's own schema generates,
 * its $id is where the README points editors, what the editor accepts the action accepts (and the
 * same for what it refuses, through dist/index.js), and the README's manifest keeps its files under the
 * folder its workflows' `paths:` watch.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { manifestJsonSchema } from '../src/job/manifest-schema.ts'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

const file = (relative: string): string => fs.readFileSync(fileURLToPath(new URL(`../${relative}`, import.meta.url)), 'utf8')
const COMMITTED = JSON.parse(file('schema/manifest.schema.json')) as { $id: string }
const editor = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(COMMITTED)
const README = file('README.md')

describe('the manifest schema', () => {
  it('is the one the action validates with (run `npm run schema` when this fails)', () => {
    assert.deepEqual(COMMITTED, manifestJsonSchema())
  })

  it('has the $id the README points editors at', () => {
    const pointers = [...README.matchAll(/\$schema=(\S+)/g)].map((match) => match[1])
    assert.ok(pointers.length >= 2)
    for (const pointer of pointers) assert.equal(pointer, COMMITTED.$id)
  })

  it('says in its descriptions that paths are relative to the workspace', () => {
    const text = JSON.stringify(COMMITTED)
    for (const key of ['template', 'variables-file', 'scripts-file', 'scripts-dir', 'script-file']) {
      const description = (COMMITTED as unknown as { $defs: { video: { properties: Record<string, { description: string }> } } }).$defs.video
        .properties[key].description
      assert.match(description, /relative to the workspace .*not to the manifest/i, key)
    }
    assert.match(text, /Every path in it is relative to the workspace/)
  })

  /** What the editor and the action both take, or both refuse, with the action's reason. */
  const cases: Array<{ name: string; entry: Record<string, unknown>; refused?: RegExp }> = [
    { name: 'scripts as a list, one entry a scene', entry: { scripts: ['Scene zero.', 'Scene one.'] } },
    { name: 'scripts as a mapping of N.M', entry: { scripts: { '0.0': 'A first line.' } } },
    { name: 'resolution as a number', entry: { resolution: 720 } },
    { name: 'resolution 1440', entry: { resolution: 1440 }, refused: /video 'v': resolution: / },
    { name: "resolution '1440p'", entry: { resolution: '1440p' }, refused: /video 'v': resolution: / },
    { name: 'a mapping as speech for scene 0', entry: { script: { text: 'hi' } }, refused: /video 'v': script: / },
    { name: 'a list of variables', entry: { variables: ['A'] }, refused: /video 'v': variables: / },
    {
      name: 'a name that is a Windows device',
      entry: { name: 'CON' },
      refused: /each video needs a "name" .*not only dots nor a Windows device name/
    },
    { name: "the name '..'", entry: { name: '..' }, refused: /each video needs a "name" .*not only dots/ },
    { name: 'a name that only starts like a device', entry: { name: 'console' } },
    { name: 'an output in a folder', entry: { output: 'sub/b.mp4' }, refused: /video 'v': output: is not a plain file name/ },
    { name: "the output 'nul .mp4'", entry: { output: 'nul .mp4' }, refused: /video 'v': output: is not a plain file name/ },
    { name: 'a webhook to localhost over http', entry: { 'webhook-url': 'http://localhost:9/x' }, refused: /video 'v': webhook-url: / }
  ]
  for (const { name, entry, refused } of cases) {
    it(`${refused ? 'refuses' : 'takes'} ${name}, in the editor and in the action (dist/index.js)`, () =>
      withSimulator({}, async (sim) => {
        const manifest = [{ name: 'v', 'project-id': SAMPLE_PROJECT_ID, ...entry }]
        assert.equal(editor(manifest), !refused, JSON.stringify(editor.errors))
        const workspace = makeWorkspace({ 'm.json': JSON.stringify(manifest) })
        const run = await runAction({
          workspace,
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.json', 'dry-run': 'true' }
        })
        if (refused) {
          assert.equal(run.code, 1, run.stdout)
          assert.match(run.stdout, refused)
          assert.equal(sim.requests.length, 0, 'refused before anything was sent')
        } else {
          assert.equal(run.code, 0, run.stdout)
        }
      }))
  }
})

describe('the manifest schema and the action, beside the entries', () => {
  it('refuse a key beside "videos:" (a typo is not ignored)', () =>
    withSimulator({}, async (sim) => {
      const manifest = { videos: [{ name: 'v', 'project-id': SAMPLE_PROJECT_ID }], 'max-parallel': 2 }
      assert.equal(editor(manifest), false)
      const workspace = makeWorkspace({ 'm.yml': `videos:\n  - name: v\n    project-id: ${SAMPLE_PROJECT_ID}\nmax-parallel: 2\n` })
      const run = await runAction({ workspace, inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml', 'dry-run': 'true' } })
      assert.equal(run.code, 1, run.stdout)
      assert.match(run.stdout, /::error file=m\.yml,line=4,col=1::Input 'manifest': m\.yml:4:1: unknown key "max-parallel" beside "videos:"/)
    }))

  it("refuse a webhook to localhost over http, as the 'webhook-url' input does", () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          'project-id': SAMPLE_PROJECT_ID,
          'webhook-url': 'http://localhost:9/x',
          'dry-run': 'true'
        }
      })
      assert.equal(run.code, 1, run.stdout)
      assert.match(
        run.stdout,
        /::error::Input 'webhook-url': 'http:\/\/localhost:9\/x' must use https:\/\/ \(AI Studios calls it from its own servers\)/
      )
      assert.equal(sim.requests.length, 0)
    }))
})

describe("the README's manifest", () => {
  /** A `paths:` glob as a regular expression (`**` any folders, `*` one name). */
  const glob = (pattern: string): RegExp =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '§')
        .replace(/\*/g, '[^/]*')
        .replace(/§/g, '.*')}$`
    )

  it("keeps every file it names under the folder its workflows' paths: watch", () => {
    const blocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1])
    const manifestText = blocks.find((block) => block.startsWith('# video/manifest.yml'))
    assert.ok(manifestText, 'the README shows video/manifest.yml')
    const entries = (parse(manifestText) as { videos: Array<Record<string, unknown>> }).videos
    const files = entries.flatMap((entry) =>
      ['template', 'variables-file', 'scripts-file', 'scripts-dir', 'script-file'].flatMap((key) =>
        typeof entry[key] === 'string' ? [entry[key]] : []
      )
    )
    assert.ok(files.length >= 3)
    const watching = blocks
      .map((block) => parse(block) as { on?: Record<string, { paths?: string[] } | null> })
      .filter((workflow) => workflow?.on && JSON.stringify(workflow).includes('video/manifest.yml'))
      .flatMap((workflow) => Object.values(workflow.on ?? {}).flatMap((trigger) => trigger?.paths ?? []))
    assert.ok(watching.length >= 1, 'a workflow renders video/manifest.yml on changed paths')
    for (const pattern of watching) {
      for (const path of [...files, 'video/manifest.yml']) assert.match(path, glob(pattern), `${path} is under ${pattern}`)
    }
  })
})
