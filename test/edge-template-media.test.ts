/**
 * Attack (brief item 4, "values with ##PLACEHOLDER## filled from variables into something bad"): the
 * README's own template examples put media URLs behind placeholders (promo.json: "url": "##INTRO_VIDEO_URL##",
 * "##IMAGE_URL##"). The same value that is refused as a tag ("http://…", "file:///…", "not a url") is
 * taken when a variable fills it into the template's image or video, and the export is sent and billed.
 * Only the emptiness of the field is checked (contract isText).
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { TEST_API_KEY, withSimulator } from './simulator/server.ts'

const PROMO = fs.readFileSync(new URL('../examples/video/promo.json', import.meta.url), 'utf8')
const NEWS_WITH_IMAGE = {
  name: 'News',
  scenes: [
    {
      sceneIdx: 0,
      background: { type: 'background', source_type: 'color', source_url: '', source_color: '#101820' },
      clips: [
        { id: 'chart', type: 'image', layer: 3, top: 0, left: 0, width: 960, height: 540, source_url: '##IMAGE_URL##' },
        {
          id: 'anchor',
          type: 'aiModel',
          layer: 2,
          top: 0,
          left: 960,
          width: 960,
          height: 1080,
          model: { ai_name: 'M000004017', emotion: 'BG00006160' }
        }
      ],
      scripts: [{ org: 'Numbers.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }]
    }
  ]
}

describe('a media URL filled from a variable is not checked as a tag value is', () => {
  it('the README promo.json (legacy) with a file:// and an http:// URL from variables is refused, not billed', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace({ 'video/promo.json': PROMO })
      const run = await runAction({
        workspace,
        inputs: {
          'api-key': TEST_API_KEY,
          'api-url': sim.apiUrl,
          template: 'video/promo.json',
          variables: 'INTRO_VIDEO_URL: file:///home/runner/work/intro.mp4\nIMAGE_URL: http://example.com/chart.png\nOUTRO_VIDEO_URL: not a url'
        }
      })
      assert.equal(sim.exports.length, 0, `exported (cube_used) with media the API cannot fetch (exit ${run.code})`)
    })
  })

  it('a v3 template image filled with "http://…" is refused as the same value as a tag is', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const workspace = makeWorkspace({ 'news.json': JSON.stringify(NEWS_WITH_IMAGE, null, 2) })
      const base = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 'news.json' }
      // The same value as a tag is refused ("takes an https URL") ...
      const tagged = {
        ...NEWS_WITH_IMAGE,
        scenes: [
          {
            ...NEWS_WITH_IMAGE.scenes[0],
            clips: NEWS_WITH_IMAGE.scenes[0].clips.map((c) => (c.id === 'chart' ? { ...c, tag: 'chart', source_url: 'https://x/y.png' } : c))
          }
        ]
      }
      fs.writeFileSync(`${workspace}/tagged.json`, JSON.stringify(tagged))
      const viaTag = await runAction({
        workspace,
        inputs: { ...base, template: 'tagged.json', tags: 'chart: http://example.com/chart.png', 'dry-run': 'true' }
      })
      assert.notEqual(viaTag.code, 0, 'a tag refuses http://')
      // ... and taken from a variable.
      const viaVariable = await runAction({ workspace, inputs: { ...base, variables: 'IMAGE_URL: http://example.com/chart.png' } })
      assert.equal(sim.exports.length, 0, `exported and billed with source_url http://example.com/chart.png (exit ${viaVariable.code})`)
    })
  })
})
