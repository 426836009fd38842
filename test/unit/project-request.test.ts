import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { JsonObject } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { exportFromProject } from '../../src/request/project.ts'
import { SAMPLE_PROJECT } from '../simulator/server.ts'

const project = SAMPLE_PROJECT as JsonObject
const speech = (scene: number, text: string) => ({ scene, text, from: 'script' })

describe('exportFromProject', () => {
  it('keeps only name, orientation and scenes, with the options set', () => {
    const request = exportFromProject('p', project, [], { resolution: '4k', workspaceId: 'ws', webhookUrl: 'https://hooks.example.com/x' })
    assert.equal(request.generation, 'v3')
    assert.deepEqual(Object.keys(request.body).sort(), ['isExport', 'name', 'orientation', 'resolution', 'scenes', 'webhookUrl', 'workspaceId'])
    const scenes = structuredClone(project.scenes) as any[]
    // Scene 1 is 1.4-style (speech only in the clip): its scripts[] is built as create-project.md requires.
    scenes[1].scripts = [{ org: 'Here are the numbers.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }]
    assert.deepEqual(request.body.scenes, scenes)
  })

  it('names the export after the input when given', () => {
    assert.equal(exportFromProject('p', project, [], { name: 'Release 1.2' }).body.name, 'Release 1.2')
  })

  it('sets the speech in both places of scene 0 and leaves the input untouched', () => {
    const before = JSON.stringify(project)
    const body = exportFromProject('p', project, [speech(0, '안녕하세요 "world"')], {}).body as any
    assert.equal(body.scenes[0].clips[0].script.org, '안녕하세요 "world"')
    assert.equal(body.scenes[0].scripts[0].org, '안녕하세요 "world"')
    assert.equal(JSON.stringify(project), before)
  })

  it('sets the speech where only the clip holds it, and builds scripts[] from it', () => {
    const body = exportFromProject('p', project, [speech(1, 'Numbers')], {}).body as any
    assert.equal(body.scenes[1].clips[1].script.org, 'Numbers')
    assert.deepEqual(body.scenes[1].scripts, [{ org: 'Numbers', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }])
  })

  it('sets the speech where only scripts[] holds it', () => {
    const line = { org: 'old', isTTS: true, tts: { voice: 'v' }, modelId: 'M1', clothId: 'C1' }
    const onlyScripts = { scenes: [{ background: { type: 'background' }, clips: [], scripts: [line] }] } as JsonObject
    const body = exportFromProject('p', onlyScripts, [speech(0, 'new')], {}).body as any
    assert.equal(body.scenes[0].scripts[0].org, 'new')
    assert.deepEqual(body.scenes[0].clips, [])
  })

  it('refuses a scene with no avatar, and one that does not exist', () => {
    assert.throws(
      () => exportFromProject('p', project, [speech(2, 'x')], {}),
      (error: unknown) => error instanceof InputError && error.message === "Input 'script': scene 2 of project p has no avatar to speak it"
    )
    assert.throws(() => exportFromProject('p', project, [speech(5, 'x')], {}), /scene 5 does not exist: project p has 3 scene\(s\), numbered from 0/)
  })

  it('refuses a saved project the reference calls incomplete, naming project and scene', () => {
    assert.throws(
      () => exportFromProject('p', { scenes: [{ clips: [], scripts: [] }] }, [], {}),
      (error: unknown) => error instanceof InputError && error.input === 'project-id' && /^project p: scene 0 has no "background"/.test(error.detail)
    )
  })

  it('refuses a project without scenes', () => {
    assert.throws(() => exportFromProject('p', { name: 'x', scenes: [] }, [], {}), /Project p has no scenes to export/)
  })
})
