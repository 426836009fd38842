import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { changesProject, savedProjectExport } from '../../src/request/project.ts'
import { draftKey, requestFingerprint } from '../../src/video/ledger.ts'
import { SAMPLE_PROJECT } from '../simulator/server.ts'
import type { JsonObject } from '../../src/domain.ts'

const project = SAMPLE_PROJECT as JsonObject

describe('a saved project exported as it is', () => {
  it('is what a step that changes nothing makes; speech, tags or a name change it', () => {
    const none = { speech: [], tags: [], exportOptions: { resolution: '720' as const } }
    assert.equal(changesProject(none), false)
    assert.equal(changesProject({ ...none, speech: [{ scene: 0, text: 'Hi', from: 'script' }] }), true)
    assert.equal(changesProject({ ...none, tags: [{ tag: 'title', value: 'x', from: 'tags' }] }), true)
    assert.equal(changesProject({ ...none, exportOptions: { name: 'Other' } }), true)
  })

  it('sends the project ID and only the options the step set', () => {
    assert.deepEqual(savedProjectExport('p1', project, {}).body, { projectId: 'p1' })
    const request = savedProjectExport('p1', project, { resolution: '480', workspaceId: 'w', webhookUrl: 'https://h.example/' })
    assert.deepEqual(request.body, { projectId: 'p1', workspaceId: 'w', resolution: '480', webhookUrl: 'https://h.example/' })
    assert.equal(request.kind, 'saved')
  })

  it('is another request once the project is edited, and never the create request of the same body', () => {
    const same = requestFingerprint(savedProjectExport('p1', structuredClone(project), {}))
    assert.equal(requestFingerprint(savedProjectExport('p1', project, {})), same)
    assert.notEqual(requestFingerprint(savedProjectExport('p1', { ...project, name: 'Edited' }, {})), same)
    assert.notEqual(requestFingerprint({ generation: 'v3', body: { projectId: 'p1' } }), same)
  })

  it("is its own draft, keyed by its ID and the export's options alone: an edit in review is the same draft, other options another", () => {
    const reviewed = draftKey(savedProjectExport('p1', project, {}))
    assert.equal(draftKey(savedProjectExport('p1', { ...project, name: 'Fixed in review' }, {})), reviewed)
    assert.notEqual(draftKey(savedProjectExport('p1', project, { resolution: '480' })), reviewed)
    assert.notEqual(draftKey(savedProjectExport('p2', project, {})), reviewed)
    // Never the key of a created project's draft, nor the fingerprint the ledger and reuse know the export by.
    assert.notEqual(draftKey({ generation: 'v3', body: { projectId: 'p1' } }), reviewed)
    assert.notEqual(requestFingerprint(savedProjectExport('p1', project, {})), reviewed)
  })

  it("a created project's draft is keyed by the export the same step makes without 'draft'", () => {
    const body = { name: 'x', scenes: [] }
    const exported = { generation: 'v3' as const, body }
    assert.equal(
      draftKey({ ...exported, kind: 'draft', body: { ...body, isExport: false } }),
      requestFingerprint({ ...exported, body: { ...body, isExport: true } })
    )
    assert.equal(draftKey(exported), requestFingerprint(exported))
  })

  it('refuses a project with no scenes before anything is sent', () => {
    assert.throws(() => savedProjectExport('p1', { name: 'x', scenes: [] }, {}), /has no scenes to export/)
  })
})
