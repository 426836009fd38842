import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { cliWording } from '../../src/cli/wording.ts'

describe('cliWording', () => {
  it('names credentials as their environment variables and inputs as flags', () => {
    assert.equal(
      cliWording("Check 'app-id' and 'user-key' (or `api-key`); exchanging app-id and user-key. Check 'api-url' and 'legacy-api-url'"),
      'Check AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY (or AISTUDIOS_API_KEY); exchanging AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY. Check --api-url and --legacy-api-url'
    )
    assert.equal(cliWording("set them in 'variables' or 'variables-file'"), 'set them in --var or --variables-file')
  })
  it('says settings as flags and workflow terms as a terminal user knows them', () => {
    assert.equal(
      cliWording("'wait: false' with 'resume' would neither export nor download; set 'resume-mismatch: accept'"),
      '--no-wait with --resume would neither export nor download; set --resume-mismatch accept'
    )
    assert.equal(
      cliWording("Not waiting ('wait' is false); stopped ('fail-fast' is true)"),
      'Not waiting (--no-wait is given); stopped (--fail-fast is given)'
    )
    assert.equal(
      cliWording("Raise 'max-videos', or render fewer videos ('manifest-entry', 'only-changed')"),
      'Raise --max-videos, or render fewer videos (--manifest-entry)'
    )
    assert.equal(cliWording("plan fewer videos ('only-changed', a smaller manifest)"), 'plan fewer videos (a smaller manifest)')
    assert.equal(cliWording("a list (, 'x')"), "a list (, 'x')")
    assert.equal(
      cliWording("Give 'app-id' and 'user-key' (repository secrets) instead; the action exchanges them. Check that the runner can reach that host"),
      'Give AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY (environment variables) instead; the CLI exchanges them. Check that this machine can reach that host'
    )
    assert.equal(
      cliWording("required: set 'api-key' (or 'app-id' and 'user-key') from a repository secret"),
      'required: set AISTUDIOS_API_KEY (or AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY) in the environment'
    )
  })

  it('names an input as the flag typed for it, where two flags set it', () => {
    assert.equal(cliWording("so 'tags' would change nothing", ['--tags']), 'so --tags would change nothing')
    assert.equal(cliWording("so 'tags' would change nothing", ['--tag']), 'so --tag would change nothing')
    assert.equal(cliWording("in 'variables'", ['--variables', '--var']), 'in --variables')
    assert.equal(
      cliWording("Set 'api-key' to it instead (and drop 'app-id' and 'user-key')"),
      'Set AISTUDIOS_API_KEY to it instead (and unset AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY)'
    )
  })

  it('says what a workflow re-run does as what running the command again does', () => {
    assert.equal(
      cliWording("stood still ('stall-timeout' is 10 min); it is taken for dead and a re-run attempt exports anew"),
      'stood still (--stall-timeout is 10 min); it is taken for dead and running the command again exports anew'
    )
  })

  it("says a dry run's count as the flag that caps it, without what only a workflow does", () => {
    assert.equal(
      cliWording("A run would send 2 export(s) (max-videos: 1); resumed videos do not count, nor do videos 'reuse' finds"),
      'A run would send 2 export(s) (--max-videos 1); resumed videos do not count'
    )
    assert.equal(
      cliWording("Dry run: 'max-videos' would refuse this run unless 'reuse' finds enough earlier videos"),
      'Dry run: --max-videos would refuse this run'
    )
    assert.equal(cliWording('(scene: 1) (artifact-name: x)'), '(scene: 1) (artifact-name: x)')
  })

  it("tells an unconfirmed export's way to resume, and a refused resume's difference, in the command's terms", () => {
    assert.equal(
      cliWording("if it is there, re-run this step with the 'resume' input set to its project ID to download it"),
      'if it is there, run the same command again with --resume and that project ID added, leaving out any --no-wait, ' +
        '--tag, --resolution, --workspace-id and --webhook-url to download it'
    )
    assert.equal(cliWording('Nothing was spent; run the step again to export.'), 'Nothing was spent; run the same command again to export.')
    assert.equal(cliWording("it is named 'a', the step's video 'b'"), "it is named 'a', the command's video 'b'")
  })

  it('leaves other quoted words and names inside other text alone', () => {
    const text = "file 'my-app-id.json' of 'scene' in app-id.json; 'app-id and user-key'x"
    assert.equal(cliWording(text), text.replace("'app-id and user-key'", "'AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY'"))
  })
})
