/** What the manifest schema accepts, the action reads the same way (and what it refuses, the schema refuses). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { manifestEntry } from '../../src/job/manifest-schema.ts'
import { readManifest } from '../../src/job/manifest.ts'
import { makeWorkspace } from '../helpers/run-action.ts'

const TEMPLATE = JSON.stringify({
  scenes: [0, 1].map((sceneIdx) => ({
    sceneIdx,
    clips: [{ id: 'a', type: 'aiModel', script: { org: 'x' }, model: { ai_name: 'M1', emotion: 'E1' } }]
  }))
})

/** Reads a manifest of the given text in a workspace holding t.json. */
function read(manifest: string) {
  const workspace = makeWorkspace({ 'm.yml': manifest, 't.json': TEMPLATE })
  return readManifest((input) => (input === 'manifest' ? 'm.yml' : ''), workspace)
}

describe('manifest speech in every shape the schema takes', () => {
  const shapes: Array<[string, unknown]> = [
    ['list', ['hello', 'world']],
    ['mapping', { 0: 'hello', 1: 'world' }],
    ['text', '0: hello\n1: world']
  ]
  for (const [shape, scripts] of shapes) {
    it(`reads scripts as a ${shape}`, () => {
      assert.equal(manifestEntry.safeParse({ name: 'a', template: 't.json', scripts }).success, true)
      // JSON is YAML: the manifest holds the very value the schema was given.
      const [video] = read(`videos:\n  - name: a\n    template: t.json\n    scripts: ${JSON.stringify(scripts)}\n`).videos
      assert.deepEqual(
        video.speech.map(({ scene, text }) => ({ scene, text })),
        [
          { scene: 0, text: 'hello' },
          { scene: 1, text: 'world' }
        ]
      )
    })
  }
})
