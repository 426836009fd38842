import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cliWording } from '../../src/cli/args.ts'

describe('cliWording', () => {
  it('names credentials as their environment variables and inputs as flags', () => {
    assert.equal(
      cliWording("Check 'app-id' and 'user-key' (or `api-key`); exchanging app-id and user-key. Check 'api-url' and 'legacy-api-url'"),
      'Check AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY (or AISTUDIOS_API_KEY); exchanging AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY. Check --api-url and --legacy-api-url'
    )
    assert.equal(cliWording("set them in 'variables' or 'variables-file'"), 'set them in --var or --variables-file')
  })
  it('leaves other quoted words and names inside other text alone', () => {
    const text = "file 'my-app-id.json' of 'scene' in app-id.json; 'app-id and user-key'x"
    assert.equal(cliWording(text), text.replace("'app-id and user-key'", "'AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY'"))
  })
})
