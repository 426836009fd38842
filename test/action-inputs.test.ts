/** Bad input is refused before any request: a message naming the input, exit 1, nothing sent. */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, startSimulator, type Simulator } from './simulator/server.ts'

describe('bad inputs are refused before anything is sent', () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator()
  })
  after(() => sim.close())

  const valid = (): Record<string, string> => ({ 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID })
  const cases: Array<{ name: string; inputs: () => Record<string, string>; message: RegExp }> = [
    { name: 'no key', inputs: () => ({ ...valid(), 'api-key': '' }), message: /Input 'api-key': required/ },
    { name: 'a key and an app ID', inputs: () => ({ ...valid(), 'app-id': 'app', 'user-key': 'u' }), message: /Input 'api-key': give either/ },
    {
      name: 'an app ID without a user key',
      inputs: () => ({ ...valid(), 'api-key': '', 'app-id': 'app' }),
      message: /Input 'user-key': 'app-id' and 'user-key' must be given together/
    },
    { name: 'no project', inputs: () => ({ ...valid(), 'project-id': '' }), message: /Input 'project-id': required/ },
    {
      name: 'a project ID with a slash',
      inputs: () => ({ ...valid(), 'project-id': '../x' }),
      message: /Input 'project-id': '..\/x' is not a project ID/
    },
    {
      name: 'an unknown resolution',
      inputs: () => ({ ...valid(), resolution: '999' }),
      message: /Input 'resolution': '999' is not one of 4k, 1080, 720, 480/
    },
    {
      name: 'a negative poll interval',
      inputs: () => ({ ...valid(), 'poll-interval': '-1' }),
      message: /Input 'poll-interval': '-1' is not a number of seconds/
    },
    {
      name: 'a poll interval under a second',
      inputs: () => ({ ...valid(), 'poll-interval': '0.2' }),
      message: /Input 'poll-interval': 0\.2 seconds \(or auto\) is below the minimum of 1/
    },
    {
      name: 'a timeout that is not a number',
      inputs: () => ({ ...valid(), timeout: 'ten' }),
      message: /Input 'timeout': 'ten' is not a number of minutes/
    },
    {
      name: 'a zero stall timeout',
      inputs: () => ({ ...valid(), 'stall-timeout': '0' }),
      message: /Input 'stall-timeout': 0 minutes is below the minimum/
    },
    {
      name: 'retention of 0 days',
      inputs: () => ({ ...valid(), 'retention-days': '0' }),
      message: /Input 'retention-days': 0 days is below the minimum of 1/
    },
    {
      name: 'retention of 2.5 days',
      inputs: () => ({ ...valid(), 'retention-days': '2.5' }),
      message: /Input 'retention-days': '2\.5' must be a whole number of days/
    },
    {
      name: 'a non-boolean upload flag',
      inputs: () => ({ ...valid(), 'upload-artifact': 'maybe' }),
      message: /Input 'upload-artifact': 'maybe' is not a boolean/
    },
    {
      name: 'an artifact name with a slash',
      inputs: () => ({ ...valid(), 'artifact-name': 'a/b' }),
      message: /Input 'artifact-name': 'a\/b' contains a character/
    },
    {
      name: 'plain http to a remote API',
      inputs: () => ({ ...valid(), 'api-url': 'http://example.com' }),
      message: /Input 'api-url': 'http:\/\/example\.com' must use https:\/\//
    },
    {
      name: 'an API URL that is no URL',
      inputs: () => ({ ...valid(), 'api-url': 'app.aistudios' }),
      message: /Input 'api-url': 'app\.aistudios' is not a valid URL/
    },
    {
      name: 'a webhook over plain http',
      inputs: () => ({ ...valid(), 'webhook-url': 'http://hooks.example.com/x' }),
      message: /Input 'webhook-url': .* must use https/
    },
    {
      name: 'both script and script-file',
      inputs: () => ({ ...valid(), script: 'hi', 'script-file': 'speech.txt' }),
      message: /Input 'script': give either 'script' or 'script-file'/
    },
    {
      name: 'a missing script file',
      inputs: () => ({ ...valid(), 'script-file': 'nope.txt' }),
      message: /Input 'script-file': file 'nope\.txt' does not exist/
    },
    {
      name: 'a script file outside the workspace',
      inputs: () => ({ ...valid(), 'script-file': '../../etc/passwd' }),
      message: /Input 'script-file': '..\/..\/etc\/passwd' is outside the workspace/
    },
    {
      name: 'an empty script file',
      inputs: () => ({ ...valid(), 'script-file': 'empty.txt' }),
      message: /Input 'script-file': file 'empty\.txt' is empty/
    },
    {
      name: 'a max-videos that is no whole number',
      inputs: () => ({ ...valid(), 'max-videos': '2.5' }),
      message: /Input 'max-videos': '2\.5' must be a whole number/
    },
    { name: 'a non-boolean cleanup', inputs: () => ({ ...valid(), cleanup: 'maybe' }), message: /Input 'cleanup': 'maybe' is not a boolean/ },
    {
      name: 'wait: false with resume',
      inputs: () => ({ ...valid(), wait: 'false', resume: 'abc' }),
      message: /Input 'wait': 'wait: false' with 'resume' would neither export nor download/
    },
    { name: 'a non-boolean wait', inputs: () => ({ ...valid(), wait: 'later' }), message: /Input 'wait': 'later' is not a boolean/ },
    {
      name: 'plan without a manifest',
      inputs: () => ({ ...valid(), plan: 'true' }),
      message: /Input 'plan': a plan lists the videos of a 'manifest'/
    },
    {
      name: 'manifest-entry without a manifest',
      inputs: () => ({ ...valid(), 'manifest-entry': 'intro' }),
      message: /Input 'manifest-entry': names a video of a 'manifest'/
    },
    { name: 'a non-boolean plan', inputs: () => ({ ...valid(), plan: 'soon' }), message: /Input 'plan': 'soon' is not a boolean/ },
    {
      name: 'a non-boolean artifact-per-video',
      inputs: () => ({ ...valid(), 'artifact-per-video': 'each' }),
      message: /Input 'artifact-per-video': 'each' is not a boolean/
    },
    {
      name: 'a non-whole max-parallel',
      inputs: () => ({ ...valid(), 'max-parallel': '2.5' }),
      message: /Input 'max-parallel': '2\.5' must be a whole number of videos/
    },
    {
      name: 'a non-boolean only-changed',
      inputs: () => ({ ...valid(), 'only-changed': 'maybe' }),
      message: /Input 'only-changed': 'maybe' is not a boolean/
    },
    {
      name: 'a non-boolean release-upload',
      inputs: () => ({ ...valid(), 'release-upload': 'v1' }),
      message: /Input 'release-upload': 'v1' is not a boolean/
    },
    {
      name: 'a non-boolean release-replace',
      inputs: () => ({ ...valid(), 'release-upload': 'true', 'release-tag': 'v1', 'release-replace': 'always' }),
      message: /Input 'release-replace': 'always' is not a boolean/
    },
    { name: 'a non-boolean comment', inputs: () => ({ ...valid(), comment: 'please' }), message: /Input 'comment': 'please' is not a boolean/ },
    {
      name: 'an output name with a folder',
      inputs: () => ({ ...valid(), 'output-name': 'a/b.mp4' }),
      message: /Input 'output-name': 'a\/b\.mp4' is not a plain file name/
    },
    {
      name: 'an unknown generation',
      inputs: () => ({ ...valid(), 'api-generation': 'v2' }),
      message: /Input 'api-generation': 'v2' is not one of v3, legacy, auto/
    }
  ]

  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const before = sim.requests.length
      const run = await runAction({ inputs: testCase.inputs(), workspace: makeWorkspace({ 'empty.txt': '\n  \n' }) })
      assert.equal(run.code, 1)
      assert.match(run.stdout, new RegExp(`::error::${testCase.message.source}`))
      assert.equal(sim.requests.length, before, 'nothing was sent')
      assert.match(run.summary, /not delivered/)
    })
  }
})

describe('legacy credentials', () => {
  const LEGACY = JSON.stringify({ scenes: [{ AIModel: { model: 'M1', clothes: 'C1', language: 'en', script: 'Hi' } }] })
  const appCredentials = { 'app-id': 'app-1', 'user-key': 'user-key-1' }

  for (const { name, inputs, files, names } of [
    {
      name: 'a legacy template',
      inputs: { template: 'promo.json' },
      files: { 'promo.json': LEGACY },
      names: /template promo\.json goes to the legacy API/
    },
    {
      name: 'a saved legacy project',
      inputs: { 'project-id': 'p1', 'api-generation': 'legacy' },
      files: {},
      names: /project p1 goes to the legacy API/
    },
    {
      name: 'a resumed legacy export',
      inputs: { resume: 'key-1', 'api-generation': 'legacy' },
      files: {},
      names: /export key-1 goes to the legacy API/
    },
    {
      name: 'a legacy entry of a manifest',
      inputs: { manifest: 'videos.yml' },
      files: { 'promo.json': LEGACY, 'videos.yml': `- name: new\n  project-id: ${SAMPLE_PROJECT_ID}\n- name: old\n  template: promo.json\n` },
      names: /video 'old' \(template promo\.json\) goes to the legacy API/
    }
  ]) {
    it(`refuses app-id and user-key for ${name}, sending nothing: the legacy API takes its secret key in api-key`, async () => {
      const sim = await startSimulator({ apps: { 'app-1': 'user-key-1' } })
      try {
        const run = await runAction({ inputs: { ...appCredentials, 'api-url': sim.apiUrl, ...inputs }, workspace: makeWorkspace(files) })
        assert.equal(run.code, 1)
        assert.match(run.stdout, /::error::Input 'api-key': the legacy API takes its secret key in `api-key`/)
        assert.match(run.stdout, names)
        assert.equal(sim.requests.length, 0, 'no token exchanged, nothing sent')
      } finally {
        await sim.close()
      }
    })
  }
})
