/**
 * Attack (brief item 1, resumed exports): `resume` + `project-id`/`template` compares the export's record
 * with the request the step *would* send. Building that request runs every send-time refusal (the
 * pre-send contract, the project fetch), though nothing is sent. So a paid, finished export cannot be
 * downloaded once its source project is gone or no longer passes the contract, and
 * `resume-mismatch: accept` (the documented escape) does not help: the refusal is not a "mismatch".
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT, SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

const speech = 'This week: three releases.'

describe('resuming a paid export is blocked by the check of a request never sent', () => {
  it('the source project was deleted after the export: resume-mismatch: accept still downloads the paid video', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace()
      const token = sim.mintToken()
      const base = { 'api-key': token, 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, script: speech }
      const started = await runAction({ workspace, inputs: { ...base, wait: 'false' } })
      assert.equal(started.code, 0, started.stdout)
      const key = started.outputs['export-key']
      assert.ok(key)
      assert.equal(sim.exports.length, 1, 'paid once')
      // The user tidies up in AI Studios: the source project is deleted (the export's own project stays).
      delete sim.options.projects[SAMPLE_PROJECT_ID]
      const resumed = await runAction({ workspace, inputs: { ...base, resume: key, 'resume-mismatch': 'accept' } })
      assert.equal(sim.exports.length, 1, 'nothing exported again')
      assert.equal(resumed.code, 0, `the paid export ${key} could not be downloaded:\n${resumed.stdout}`)
      assert.ok(fs.existsSync(path.join(workspace, 'videos')), 'the video is saved')
    })
  })

  it('the source project was since changed so the contract refuses it: resume-mismatch: accept still downloads the paid video', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace()
      const token = sim.mintToken()
      const base = { 'api-key': token, 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, script: speech }
      const started = await runAction({ workspace, inputs: { ...base, wait: 'false' } })
      assert.equal(started.code, 0, started.stdout)
      const key = started.outputs['export-key']
      // Edited in AI Studios after the export: scene 0 gets a text clip the contract calls incomplete (no fill).
      const edited = structuredClone(SAMPLE_PROJECT) as { scenes: Array<{ clips: unknown[] }> }
      edited.scenes[0].clips.push({ id: 'late', type: 'textImage', layer: 9, top: 0, left: 0, width: 10, height: 10, text: 'x', fontSize: 20 })
      sim.options.projects[SAMPLE_PROJECT_ID] = edited
      const resumed = await runAction({ workspace, inputs: { ...base, resume: key, 'resume-mismatch': 'accept' } })
      assert.equal(sim.exports.length, 1, 'nothing exported again')
      assert.equal(resumed.code, 0, `the paid export ${key} could not be downloaded:\n${resumed.stdout}`)
    })
  })

  it('a manifest entry (which always names its project): the resume advice the action prints cannot download the paid video once the project is gone', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const manifest = `videos:\n  - name: weekly\n    project-id: ${SAMPLE_PROJECT_ID}\n    script: '${speech}'\n`
      const workspace = makeWorkspace({ 'video/manifest.yml': manifest })
      const token = sim.mintToken()
      const base = { 'api-key': token, 'api-url': sim.apiUrl, manifest: 'video/manifest.yml' }
      const started = await runAction({ workspace, inputs: { ...base, wait: 'false' } })
      assert.equal(started.code, 0, started.stdout)
      const videos = JSON.parse(started.outputs.videos) as Array<{ 'export-key': string }>
      const key = videos[0]['export-key']
      assert.ok(key)
      delete sim.options.projects[SAMPLE_PROJECT_ID]
      // Exactly what the action tells the user to do: manifest-entry + resume (+ accept, to be sure).
      const resumed = await runAction({
        workspace,
        inputs: { ...base, 'manifest-entry': 'weekly', resume: key, 'resume-mismatch': 'accept' }
      })
      assert.equal(sim.exports.length, 1, 'nothing exported again')
      assert.equal(resumed.code, 0, `the paid export ${key} could not be downloaded:\n${resumed.stdout}`)
    })
  })
})
