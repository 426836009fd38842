/**
 * Attack (brief item 4): an image/video tag value must be "an https URL, or a path on the API's own site".
 * isMediaReference checks the WHATWG parse of the value (which repairs typos: missing or extra slashes,
 * backslashes) but the raw value is what is written into the clip and sent. So malformed URLs that the
 * API's fetcher may not repair pass, and the user pays for a render with a missing picture or video
 * (tutorial 5.1: unreachable media fails the export or drops the image). Also: the path form's own `..`
 * rule is bypassed by percent-encoding, and "/" (the site's root page, no media) passes.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT_ID, withSimulator } from './simulator/server.ts'

const BAD: Array<[string, string]> = [
  ['one slash after the scheme (a typo)', 'https:/cdn.example.com/logo.png'],
  ['no slashes after the scheme', 'https:cdn.example.com/logo.png'],
  ['three slashes after the scheme', 'https:///cdn.example.com/logo.png'],
  ['backslashes (a Windows copy)', 'https:\\\\cdn.example.com\\brand\\logo.png'],
  ['an invisible zero-width space at the end (a copy from a chat)', 'https://cdn.example.com/logo.png\u200b'],
  ["the API site's root: a page, no media", '/'],
  ["'..' written percent-encoded (the path rule refuses '..')", '/%2e%2e/%2e%2e/etc/passwd']
]

describe('image tag values the URL check lets through', () => {
  for (const [what, value] of BAD) {
    it(`refuses ${what}: ${JSON.stringify(value)}`, async () => {
      await withSimulator({ renderMs: 50 }, async (sim) => {
        const run = await runAction({
          inputs: {
            'api-key': sim.mintToken(),
            'api-url': sim.apiUrl,
            'project-id': DIALOGUE_PROJECT_ID,
            tags: `logo: ${JSON.stringify(value)}`,
            'dry-run': 'true'
          }
        })
        const requestPath = run.outputs['request-path']
        const sent = requestPath && fs.existsSync(requestPath) ? fs.readFileSync(requestPath, 'utf8') : ''
        assert.notEqual(run.code, 0, `taken; the request a run would pay for sets the picture to ${JSON.stringify(value)}:\n${sent.slice(0, 200)}`)
      })
    })
  }

  it('a run pays for the one-slash typo, sent exactly as written (not as the URL the check parsed)', async () => {
    await withSimulator({ renderMs: 50 }, async (sim) => {
      const run = await runAction({
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          'project-id': DIALOGUE_PROJECT_ID,
          tags: 'logo: https:/cdn.example.com/logo.png'
        }
      })
      const logo = (sim.exports[0]?.body.scenes as Array<{ clips: Array<{ id: string; source_url?: string }> }> | undefined)?.[0].clips.find(
        (clip) => clip.id === 'c-logo'
      )
      assert.equal(sim.exports.length, 0, `exported and billed with source_url ${JSON.stringify(logo?.source_url)} (exit ${run.code})`)
    })
  })
})
