/**
 * Attack (brief item 1, "`scripts` as an object"): create-project.md types `scenes[].scripts` as **Json**
 * ("although it is an array …, only one speech data should be entered"), so a template may well write
 * it as one object. Where the avatar clip also carries a 1.4-style `script.org`, completeScripts treats the
 * object as absent and replaces it with a line built from the clip: the user's `isTTS: true` and `tts`
 * voice are silently dropped and the video is rendered (and billed) in the avatar's own voice. Neither the
 * action nor the simulator says a word. (Without `script.org` both refuse: that part held.)
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { withSimulator } from './simulator/server.ts'

const VOICE = { voiceId: 'en-US-JennyNeural', speed: 1, pitch: 0 }
const TEMPLATE = {
  name: 'Narrated',
  scenes: [
    {
      sceneIdx: 0,
      background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
      clips: [
        {
          id: 'anchor',
          type: 'aiModel',
          layer: 1,
          top: 0,
          left: 0,
          width: 1920,
          height: 1080,
          model: { ai_name: 'M000004017', emotion: 'BG00006160' },
          script: { org: 'Narrated in another voice.' }
        }
      ],
      scripts: { org: 'Narrated in another voice.', isTTS: true, tts: VOICE, modelId: 'M000004017', clothId: 'BG00006160' }
    }
  ]
}

describe('scripts written as one object (the reference types it Json)', () => {
  it("keeps the object's TTS voice, or refuses the shape; never silently renders in another voice", async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace({ 't.json': JSON.stringify(TEMPLATE, null, 2) })
      const run = await runAction({ workspace, inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 't.json', 'dry-run': 'true' } })
      if (run.code !== 0) return // refused, naming the shape: fine
      const sent = JSON.parse(fs.readFileSync(run.outputs['request-path'], 'utf8')) as { body?: unknown }
      const text = JSON.stringify(sent)
      assert.ok(text.includes('en-US-JennyNeural'), `taken, and the TTS voice is gone from the request a run would pay for:\n${text.slice(0, 600)}`)
    })
  })
})
