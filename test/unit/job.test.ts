import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import { readJob } from '../../src/job/inputs.ts'
import { readRunnerEnv } from '../../src/job/runner.ts'
import { tempDir } from '../helpers/run-action.ts'

const workspace = tempDir('aistudios-settings-')
fs.writeFileSync(path.join(workspace, 'speech.txt'), '\uFEFFHello from a file.\n')
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''
const runner = readRunnerEnv({ GITHUB_WORKSPACE: workspace })
/** The job, with its only video's spec spread in. */
const readSettings = (get: (name: string) => string) => {
  const job = readJob(get, runner)
  return { ...job, ...job.videos[0] }
}

describe('readJob', () => {
  it('applies the documented defaults', () => {
    const settings = readSettings(reader({ 'api-key': 'k', 'project-id': 'p1' }))
    assert.equal(settings.api.v3Url.toString(), 'https://app.aistudios.com/')
    assert.equal(settings.api.legacyUrl.toString(), 'https://v2.aistudios.com/')
    assert.equal(settings.api.requestTimeoutMs, 30_000)
    assert.deepEqual(settings.wait, { pollFloorMs: 1000, timeoutMs: 1_800_000, stallTimeoutMs: 600_000 })
    assert.equal(settings.outputDir, path.join(workspace, 'videos'))
    assert.deepEqual(settings.artifact, { enabled: true, name: undefined, archive: false, retentionDays: undefined })
    assert.equal(settings.dryRun, false)
    assert.deepEqual(settings.speech, [])
    assert.deepEqual(settings.source, { kind: 'project', projectId: 'p1' })
  })

  it('treats the runner-filled default api-url as the default', () => {
    const settings = readSettings(reader({ 'api-key': 'k', 'project-id': 'p1', 'api-url': 'https://app.aistudios.com' }))
    assert.equal(settings.api.legacyUrl.toString(), 'https://v2.aistudios.com/')
  })

  it('serves both generations from a custom api-url', () => {
    const settings = readSettings(reader({ 'api-key': 'k', 'project-id': 'p1', 'api-url': 'http://127.0.0.1:9' }))
    assert.equal(settings.api.legacyUrl.toString(), 'http://127.0.0.1:9/')
  })

  it('reads speech from a file, without BOM and trailing newline', () => {
    const settings = readSettings(reader({ 'api-key': 'k', 'project-id': 'p1', 'script-file': 'speech.txt' }))
    assert.deepEqual(settings.speech, [
      {
        scene: 0,
        text: 'Hello from a file.',
        from: 'script-file speech.txt',
        at: { where: 'speech.txt', location: { file: path.join(fs.realpathSync(workspace), 'speech.txt') } }
      }
    ])
  })

  it('parses decimal minutes, a poll floor and 1080p', () => {
    const settings = readSettings(
      reader({ 'api-key': 'k', 'project-id': 'p1', timeout: '2.5', 'poll-interval': '3', resolution: '1080p', 'retention-days': '7' })
    )
    assert.equal(settings.wait.timeoutMs, 150_000)
    assert.equal(settings.wait.pollFloorMs, 3000)
    assert.equal(settings.exportOptions.resolution, '1080')
    assert.equal(settings.artifact.retentionDays, 7)
  })

  it('makes resume win over project-id, which its export is checked against', () => {
    const settings = readSettings(reader({ 'api-key': 'k', 'project-id': 'p1', resume: 'abc', 'api-generation': 'v3' }))
    assert.deepEqual(settings.source, { kind: 'resume', key: 'abc', generation: 'v3', template: undefined, of: { kind: 'project', projectId: 'p1' } })
  })

  it('refuses by name an input that resume makes unused', () => {
    for (const [inputs, unused] of [
      [{ script: 'Hello' }, 'script'],
      [{ 'project-id': 'p1', tags: 'title: Hi' }, 'tags'],
      [{ 'project-id': 'p1', resolution: '720' }, 'resolution']
    ] as const) {
      assert.throws(
        () => readSettings(reader({ 'api-key': 'k', resume: 'abc', ...inputs })),
        (error: unknown) => error instanceof InputError && error.input === unused && /'resume' downloads an export already made/.test(error.message)
      )
    }
  })
})
