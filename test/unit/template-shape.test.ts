import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, Template, VideoSpec } from '../../src/domain.ts'
import { detectGeneration, templateGeneration, videoGeneration } from '../../src/job/template-shape.ts'

// The two scene shapes of the API contract: legacy (section 4: a scene's `AIModel`, clips with a
// `detail`) and v3 (section 5: `scripts`, `background`, clips with a `type` and no `detail`).

const template = (data: Json): Template => ({ file: '/w/t.json', name: 't.json', text: JSON.stringify(data), data })
const spec = (source: object): VideoSpec => ({ source, speech: [], tags: [], exportOptions: {}, files: [] }) as unknown as VideoSpec

describe('detectGeneration', () => {
  it('tells legacy by an AIModel or a clip with a detail', () => {
    assert.equal(detectGeneration([{ AIModel: {} }]), 'legacy')
    assert.equal(detectGeneration([{ clips: [{ type: 'image', detail: { url: 'u' } }] }]), 'legacy')
  })

  it('tells v3 by scripts, a background, or a typed clip without a detail', () => {
    assert.equal(detectGeneration([{ scripts: [] }]), 'v3')
    assert.equal(detectGeneration([{ background: {} }]), 'v3')
    assert.equal(detectGeneration([{ clips: [{ type: 'aiModel' }] }]), 'v3')
  })

  it('says mixed where scenes, or one scene, carry both shapes', () => {
    assert.equal(detectGeneration([{ AIModel: {} }, { background: {} }]), 'mixed')
    assert.equal(detectGeneration([{ clips: [{ type: 'image', detail: {} }, { type: 'aiModel' }] }]), 'mixed')
  })

  it('tells nothing from scenes without either shape, and passes over what is no object', () => {
    assert.equal(detectGeneration([]), undefined)
    assert.equal(detectGeneration([null, 'scene', [], { clips: 'x' }, { clips: [null, 3, { type: 1 }, { detail: 'x' }] }]), undefined)
  })
})

describe('templateGeneration', () => {
  it("gives the generation of a template's scenes, none where they are mixed or absent", () => {
    assert.equal(templateGeneration(template({ scenes: [{ AIModel: {} }] })), 'legacy')
    assert.equal(templateGeneration(template({ scenes: [{ background: {} }] })), 'v3')
    assert.equal(templateGeneration(template({ scenes: [{ AIModel: {}, background: {} }] })), undefined)
    assert.equal(templateGeneration(template({ scenes: {} })), undefined)
    assert.equal(templateGeneration(template([{ AIModel: {} }])), undefined)
  })
})

describe('videoGeneration', () => {
  const legacyTemplate = template({ scenes: [{ AIModel: {} }] })

  it('takes a saved project as v3 unless told', () => {
    assert.equal(videoGeneration(spec({ kind: 'project', projectId: 'p' })), 'v3')
    assert.equal(videoGeneration(spec({ kind: 'project', projectId: 'p', generation: 'legacy' })), 'legacy')
  })

  it("takes a template's (or a resumed export's template's) shape, a forced generation first", () => {
    assert.equal(videoGeneration(spec({ kind: 'template', template: legacyTemplate, variables: new Map() })), 'legacy')
    assert.equal(videoGeneration(spec({ kind: 'template', template: legacyTemplate, variables: new Map(), generation: 'v3' })), 'v3')
    assert.equal(videoGeneration(spec({ kind: 'resume', key: 'k', template: legacyTemplate })), 'legacy')
    assert.equal(videoGeneration(spec({ kind: 'resume', key: 'k' })), undefined)
  })
})
