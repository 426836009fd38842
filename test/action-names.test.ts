/** End to end through dist/index.js: outputs named for what they hold, the same whatever became of the video. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { prefixLine } from '../src/log.ts'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { startArtifactService } from './stand-ins/artifact-service.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

type VideoOutput = { name: string; status: string; 'export-key': string | null; 'project-id': string | null }
const videosOf = (outputs: Record<string, string>): VideoOutput[] => JSON.parse(outputs.videos) as VideoOutput[]

describe('outputs', () => {
  it("export-key holds the new export's key; project-id is its alias, not the project-id input", () =>
    withSimulator({ renderMs: 200 }, async (sim) => {
      const run = await runAction({ inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID } })
      assert.equal(run.code, 0, run.stdout)
      const key = sim.exports[0].key
      assert.notEqual(key, SAMPLE_PROJECT_ID)
      assert.equal(run.outputs['export-key'], key)
      assert.equal(run.outputs['project-id'], key)
      assert.equal(videosOf(run.outputs)[0]['export-key'], key)
    }))

  for (const outputName of ['', 'weekly-update']) {
    it(`videos[].name is the video's name whether it is saved or not (${outputName ? 'output-name' : 'no output-name'})`, () =>
      withSimulator({ renderMs: 200 }, async (sim) => {
        const inputs = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'output-name': outputName }
        const saved = await runAction({ inputs })
        assert.equal(saved.code, 0, saved.stdout)
        sim.options.renderMs = 60_000
        const failed = await runAction({ inputs: { ...inputs, timeout: '0.1' } })
        assert.equal(failed.code, 1, failed.stdout)
        const expected = outputName || 'video'
        assert.deepEqual(
          [...videosOf(saved.outputs), ...videosOf(failed.outputs)].map(({ name, status }) => [name, status]),
          [
            [expected, 'downloaded'],
            [expected, 'failed']
          ]
        )
      }))
  }

  it("a manifest's video is named by its entry in every state", () =>
    withSimulator({ renderMs: 200 }, async (sim) => {
      sim.options.faults.push({ route: 'cdn', kind: 'status', status: 404, times: 20 })
      const workspace = makeWorkspace({ 'm.yml': `- name: intro\n  project-id: ${SAMPLE_PROJECT_ID}\n  output: first.mp4\n` })
      const run = await runAction({ workspace, inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml' } })
      assert.equal(run.code, 1, run.stdout)
      assert.deepEqual(
        videosOf(run.outputs).map(({ name, status }) => [name, status]),
        [['intro', 'failed']]
      )
    }))
})

describe('batch logs', () => {
  it("start every line about a video with its name, the artifact client's own lines included", async () => {
    const artifacts = await startArtifactService()
    try {
      await withSimulator({ renderMs: 200 }, async (sim) => {
        const workspace = makeWorkspace({
          'm.yml': `- name: intro\n  project-id: ${SAMPLE_PROJECT_ID}\n- name: outro\n  project-id: ${SAMPLE_PROJECT_ID}\n`
        })
        const run = await runAction({
          workspace,
          env: artifacts.env,
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml', 'artifact-per-video': 'true' }
        })
        assert.equal(run.code, 0, run.stdout)
        assert.equal(artifacts.artifacts.filter((a) => a.name.endsWith('.mp4')).length, 2, 'each video went up as its own artifact')
        for (const name of ['intro', 'outro']) {
          const key = JSON.parse(run.outputs.videos).find((video: { name: string }) => video.name === name)['export-key'] as string
          // Every line naming the video's artifact or written while it went up, in the order printed.
          const lines = run.stdout.split('\n')
          const start = lines.findIndex((line) => line.includes('Artifact upload:') && line.includes(key))
          assert.ok(start >= 0, `${name}'s upload is in the log`)
          const end = lines.indexOf('::endgroup::', start)
          const upload = lines
            .slice(start, end) // A mask is data for the runner, not a line for people: it stays as it is.
            .filter((line) => line.trim() && !line.startsWith('::add-mask::'))
          assert.ok(upload.length >= 3, `the artifact client printed lines for ${name}:\n${upload.join('\n')}`)
          for (const line of upload) assert.match(line, new RegExp(`^(::(debug|notice|warning|error|group)::)?\\[${name}\\] `), line)
        }
      })
    } finally {
      await artifacts.close()
    }
  })

  it('puts the name after a workflow command, and never into a mask', () => {
    assert.equal(prefixLine('Finalizing artifact', '[a] '), '[a] Finalizing artifact')
    assert.equal(prefixLine('::debug::Uploading', '[a] '), '::debug::[a] Uploading')
    assert.equal(prefixLine('::warning file=x.yml::Careful', '[a] '), '::warning file=x.yml::[a] Careful')
    assert.equal(prefixLine('::add-mask::s3cret', '[a] '), '::add-mask::s3cret')
    assert.equal(prefixLine('::endgroup::', '[a] '), '::endgroup::')
    assert.equal(prefixLine('', '[a] '), '')
  })
})

describe('names Windows cannot hold', () => {
  const manifest = (entry: string) => ({ 'm.yml': `- project-id: ${SAMPLE_PROJECT_ID}\n${entry}` })
  const cases: Array<{ name: string; inputs?: Record<string, string>; files?: Record<string, string>; message: RegExp }> = [
    {
      name: "an output-name with a trailing dot ('trail.')",
      inputs: { 'output-name': 'trail.' },
      message: /Input 'output-name': 'trail\.' ends with a dot or a space/
    },
    {
      name: 'an output-name that is a device (COM1.mp4)',
      inputs: { 'output-name': 'COM1.mp4' },
      message: /Input 'output-name': 'COM1\.mp4' is a device name on Windows/
    },
    {
      name: 'an output-name with a reserved character',
      inputs: { 'output-name': 'a?b' },
      message: /Input 'output-name': 'a\?b' is not a plain file name/
    },
    {
      name: "a manifest output with a trailing space ('trail ')",
      files: manifest('  name: one\n  output: "trail "\n'),
      message: /m\.yml:\d+:\d+: video 'one': output: is not a plain file name .*no trailing dot or space/
    },
    {
      name: "a manifest video named with a trailing dot ('trail.')",
      files: manifest('  name: trail.\n'),
      message: /m\.yml:\d+:\d+: each video needs a "name" .*not ending with a dot \(got "trail\."\)/
    },
    { name: 'a manifest video named as a device (LPT1)', files: manifest('  name: LPT1\n'), message: /each video needs a "name" .*\(got "LPT1"\)/ },
    {
      name: 'an artifact named as a device (NUL.zip)',
      inputs: { 'artifact-name': 'NUL.zip' },
      message: /Input 'artifact-name': 'NUL\.zip' is a device name on Windows/
    },
    {
      name: 'an artifact name with a trailing dot',
      inputs: { 'artifact-name': 'weekly.' },
      message: /Input 'artifact-name': 'weekly\.' ends with a dot or a space/
    },
    {
      name: 'an output-dir with a trailing dot',
      inputs: { 'output-dir': 'videos./new' },
      message: /Input 'output-dir': 'videos\.\/new': the folder name 'videos\.' ends with a dot/
    }
  ]
  for (const { name, inputs = {}, files, message } of cases) {
    it(`refuses ${name} by name on every runner, exporting nothing`, () =>
      withSimulator({ renderMs: 200 }, async (sim) => {
        const source: Record<string, string> = files ? { manifest: 'm.yml' } : { 'project-id': SAMPLE_PROJECT_ID }
        const run = await runAction({
          workspace: makeWorkspace(files),
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, ...source, ...inputs }
        })
        assert.equal(run.code, 1, run.stdout)
        assert.match(run.stdout, new RegExp(`^::error[^:]*::.*${message.source}`, 'm'))
        // The simulator's own log: no export, and no request that could start one.
        assert.equal(sim.exports.length, 0, 'nothing exported')
        assert.deepEqual(
          sim.requests.filter((request) => request.method !== 'GET'),
          [],
          'no request but reads'
        )
      }))
  }
})
