/** Memory stays flat whatever the video's size: a 1 GiB download, a 256 MiB release asset, under 150 MB peak RSS. */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { describe, it } from 'node:test'
import { pipeline } from 'node:stream/promises'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { watchPeakRss } from './helpers/rss.ts'
import { SAMPLE_PROJECT_ID, startSimulator, syntheticVideo } from './simulator/server.ts'
import { GITHUB_TOKEN, startGitHubApi } from './stand-ins/github-api.ts'

const SIZE = 1 << 30
const BUDGET_KB = 150 * 1024

async function sha256(stream: NodeJS.ReadableStream): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(stream, hash)
  return hash.digest('hex')
}

describe('a 1 GiB video', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('downloads intact with the action process under 150 MB peak RSS', async (t) => {
    const sim = await startSimulator({ renderMs: 500, videoSize: SIZE })
    const workspace = makeWorkspace()
    let peak = { kb: 0 }
    try {
      const run = await runAction({
        workspace,
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false' },
        timeoutMs: 180_000,
        onStart: (child) => {
          peak = watchPeakRss(child)
        }
      })
      assert.equal(run.code, 0, run.stdout + run.stderr)
      const expected = await sha256(syntheticVideo(0, SIZE, SIZE))
      assert.equal(run.outputs['video-size'], String(SIZE))
      assert.equal(fs.statSync(run.outputs['video-path']).size, SIZE)
      assert.equal(run.outputs['video-sha256'], expected)
      assert.equal(await sha256(fs.createReadStream(run.outputs['video-path'])), expected)
      assert.ok(peak.kb > 0, 'the peak was read')
      t.diagnostic(`peak RSS ${(peak.kb / 1024).toFixed(0)} MB`)
      assert.ok(peak.kb < BUDGET_KB, `peak RSS ${(peak.kb / 1024).toFixed(0)} MB`)
    } finally {
      await sim.close()
      fs.rmSync(workspace, { recursive: true, force: true })
    }
  })
})

describe('a 256 MiB release asset', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('is streamed from disk, the action process under 150 MB peak RSS', async (t) => {
    const size = 256 << 20
    const sim = await startSimulator({ renderMs: 300, videoSize: size })
    const github = await startGitHubApi()
    github.releases.push({ id: 1, tag: 'v2.0', assets: [] })
    let peak = { kb: 0 }
    try {
      const run = await runAction({
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          'project-id': SAMPLE_PROJECT_ID,
          'upload-artifact': 'false',
          'release-upload': 'true',
          'github-token': GITHUB_TOKEN
        },
        env: eventEnv('release', { release: { tag_name: 'v2.0' } }, github.url),
        timeoutMs: 120_000,
        onStart: (child) => {
          peak = watchPeakRss(child)
        }
      })
      assert.equal(run.code, 0, run.stdout + run.stderr)
      const asset = github.releases[0].assets[0]
      assert.equal(asset.bytes.length, size)
      assert.equal(createHash('sha256').update(asset.bytes).digest('hex'), run.outputs['video-sha256'])
      t.diagnostic(`peak RSS ${(peak.kb / 1024).toFixed(0)} MB`)
      assert.ok(peak.kb > 0 && peak.kb < BUDGET_KB, `peak RSS ${(peak.kb / 1024).toFixed(0)} MB`)
    } finally {
      await sim.close()
      await github.close()
    }
  })
})
