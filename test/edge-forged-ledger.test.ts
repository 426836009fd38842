/**
 * Attack (attack1): a `delivered` mark is trusted as it is read. Any job of the run holds a runtime token that
 * may upload artifacts; one that plants `aistudios-ledger-<fingerprint>-delivered-<key>` (the name copied from
 * the `-v3-<key>` entry the render job left) pointing at an artifact of its own makes the re-run attempt deliver
 * the planted file as the rendered video, asking the API nothing. Expected to FAIL while the bug is there.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO } from './simulator/server.ts'

const world = useStandIns({ renderMs: 600_000 })

/** Uploads `files` as the artifact `name` from another job of the run, as any step there could. */
async function upload(env: Record<string, string>, name: string, file: string, skipArchive: boolean): Promise<number> {
  const code = `
    import { DefaultArtifactClient } from '@actions/artifact'
    const r = await new DefaultArtifactClient().uploadArtifact(${JSON.stringify(name)}, [${JSON.stringify(file)}], ${JSON.stringify(path.dirname(file))}, { skipArchive: ${skipArchive} })
    console.log(JSON.stringify(r))`
  // Not spawnSync: the artifact service's stand-in answers from this very process.
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  assert.equal(status, 0, stderr)
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { id: number }).id
}

describe('a planted delivered mark', () => {
  it('a re-run attempt does not deliver a file another job of the run planted as the video', async () => {
    const runId = 9300
    const inputs = { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, script: 'Trusted words' }
    // Attempt 1 times out while the render runs: its key is in the ledger, as `-v3-<key>`.
    const first = await runAction({ inputs: { ...inputs, timeout: '0.1' }, env: { ...world.artifacts.envForRun(runId), GITHUB_RUN_ATTEMPT: '1' } })
    assert.equal(first.code, 1, first.stdout)
    const entry = world.artifacts.artifacts.find((a) => a.runId === runId && /^aistudios-ledger-[0-9a-f]{32}-v3-/.test(a.name))
    assert.ok(entry, 'the ledger entry is there')
    const [, fingerprint, key] = /^aistudios-ledger-([0-9a-f]{32})-v3-(.+)$/.exec(entry.name)!

    // Another job of the same run (a test step running the repository's code, a third-party action) plants a video...
    const attacker = world.artifacts.envForRun(runId, 'other-job')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attack1-'))
    const planted = Buffer.concat([SAMPLE_VIDEO, Buffer.from([0, 0, 0, 16]), Buffer.from('free'), Buffer.from('PLANTED!')])
    fs.writeFileSync(path.join(dir, 'evil.mp4'), planted)
    const artifactId = await upload(attacker, 'evil.mp4', path.join(dir, 'evil.mp4'), true)
    // ...and the mark that sends the re-run to it.
    const markDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attack1-'))
    const delivered = {
      attempt: 1,
      artifactId,
      artifactName: 'evil.mp4',
      file: 'evil.mp4',
      size: planted.length,
      sha256: createHash('sha256').update(planted).digest('hex')
    }
    fs.writeFileSync(path.join(markDir, 'export.json'), JSON.stringify({ end: 'delivered', key, delivered, fingerprint, attempt: 1 }))
    await upload(attacker, `aistudios-ledger-${fingerprint}-delivered-${key}`, path.join(markDir, 'export.json'), false)

    world.sim.options.renderMs = 300
    const again = await runAction({ inputs, env: { ...world.artifacts.envForRun(runId, 'render-attempt-2'), GITHUB_RUN_ATTEMPT: '2' } })
    const saved = again.outputs['video-path'] ? fs.readFileSync(again.outputs['video-path']) : undefined
    assert.ok(
      !saved?.equals(planted),
      `observed: the re-run delivered the planted file as export ${key}'s video (exit ${again.code}):\n${again.stdout}`
    )
  })
})
