/**
 * Attack on b793ed3 (media filled from variables is held to the tag rule): the check looks only at the
 * clip fields it lists (image source_url/resource_url, videoImage video_url, audio source_url, legacy
 * detail.url), found by the clip type as the template writes it.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { withSimulator } from './simulator/server.ts'

const scene = (background: object, clips: object[] = []) => ({
  sceneIdx: 0,
  background,
  clips: [
    ...clips,
    { id: 'anchor', type: 'aiModel', layer: 2, top: 0, left: 960, width: 960, height: 1080, model: { ai_name: 'M000004017', emotion: 'BG00006160' } }
  ],
  scripts: [{ org: 'Numbers.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }]
})

async function exportsWith(template: object, variables: string): Promise<{ exports: number; stdout: string }> {
  return withSimulator({ renderMs: 50 }, async (sim) => {
    const run = await runAction({
      workspace: makeWorkspace({ 't.json': JSON.stringify(template) }),
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, template: 't.json', variables }
    })
    return {
      exports: sim.exports.length,
      stdout: run.stdout
        .split('\n')
        .filter((l) => /error|::/.test(l) && !l.startsWith('::debug'))
        .slice(-5)
        .join('\n')
    }
  })
}

describe('media a variable fills where the check does not look', () => {
  // PROVES: a scene background image (background.source_type image, source_url '##BG##') filled with
  // http:// (or file://) is sent and billed: the background is media the API fetches too.
  it("a scene background's source_url filled with http:// is refused", async () => {
    const t = { name: 'N', scenes: [scene({ type: 'background', source_type: 'image', source_url: '##BG##', source_color: '' })] }
    const { exports, stdout } = await exportsWith(t, 'BG: http://example.com/bg.png')
    assert.equal(exports, 0, `exported with background http://example.com/bg.png: ${stdout}`)
  })

  // PROVES: a clip whose type is itself a placeholder ("##KIND##" → image) is not seen as an image when
  // written, so its filled source_url is never checked.
  it('an image clip whose type a variable fills is checked too', async () => {
    const t = {
      name: 'N',
      scenes: [
        scene({ type: 'background', source_type: 'color', source_url: '', source_color: '#101820' }, [
          { id: 'pic', type: '##KIND##', layer: 3, top: 0, left: 0, width: 9, height: 9, source_url: '##PIC##' }
        ])
      ]
    }
    const { exports, stdout } = await exportsWith(t, 'KIND: image\nPIC: file:///etc/passwd')
    assert.equal(exports, 0, `exported an image clip with source_url file:///etc/passwd: ${stdout}`)
  })

  // Held? Uppercase scheme, a variable filling only the host, a nested variable.
  it('HTTPS://, https://##HOST##/x and nested values are judged after filling', async () => {
    const clipTemplate = (url: string) => ({
      name: 'N',
      scenes: [
        scene({ type: 'background', source_type: 'color', source_url: '', source_color: '#101820' }, [
          { id: 'pic', type: 'image', layer: 3, top: 0, left: 0, width: 9, height: 9, source_url: url }
        ])
      ]
    })
    assert.equal(
      (await exportsWith(clipTemplate('HTTPS://##HOST##/x.png'), 'HOST: cdn.example.com')).exports,
      1,
      'uppercase https with a host is taken'
    )
    assert.equal(
      (await exportsWith(clipTemplate('https://##HOST##/x.png'), 'HOST: "evil@cdn.example.com"')).exports,
      0,
      'a user name via the host is refused'
    )
    assert.equal(
      (await exportsWith(clipTemplate('https://##HOST##/x.png'), 'HOST: "cdn.example.com\\\\@evil"')).exports,
      0,
      'a backslash via the host is refused'
    )
    assert.equal((await exportsWith(clipTemplate('##U##'), 'S: http\nU: "##S##://example.com/x.png"')).exports, 0, 'a nested http is refused')
    assert.equal((await exportsWith(clipTemplate('/images/##P##'), 'P: "%2e%2e/%2e%2e/etc/passwd"')).exports, 0, 'an encoded climb is refused')
    assert.equal(
      (await exportsWith(clipTemplate('https:##P##'), 'P: "//example.com/x.png"')).exports,
      1,
      'a valid URL split over the placeholder is taken'
    )
    assert.equal(
      (await exportsWith(clipTemplate('http##P##'), 'P: "s://example.com/x.png"')).exports,
      1,
      'a valid URL split over the placeholder is taken'
    )
    assert.equal((await exportsWith(clipTemplate('##P##'), 'P: "https://example.com/a%20b.png?sig=x/y"')).exports, 1, 'a legitimate signed URL')
  })
})
