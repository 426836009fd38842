/** The transfer underneath the downloader: one GET from the simulator's CDN straight into a file. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Agent } from 'undici'
import { tempDir } from './helpers/run-action.ts'
import { FileWriteError, transfer } from '../src/video/transfer.ts'
import { SAMPLE_VIDEO, instantVideoUrl, startSimulator, syntheticVideo } from './simulator/server.ts'

describe('transfer', () => {
  let dir: string
  let dispatcher: Agent
  before(() => {
    dir = tempDir('aistudios-transfer-')
    dispatcher = new Agent()
  })
  after(async () => {
    await dispatcher.close()
  })

  it('writes the body into the file it is given and counts what landed', async () => {
    const sim = await startSimulator({ renderMs: 0 })
    try {
      const file = path.join(dir, 'whole.mp4')
      let written = 0
      const response = await transfer(dispatcher, await instantVideoUrl(sim), {
        headers: {},
        target: () => ({ path: file, append: false }),
        onWritten: (count) => (written += count)
      })
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers['content-type'], 'video/mp4')
      assert.deepEqual(fs.readFileSync(file), SAMPLE_VIDEO)
      assert.equal(written, SAMPLE_VIDEO.length)
    } finally {
      await sim.close()
    }
  })

  it('appends a resumed range to what is on disk', async () => {
    const sim = await startSimulator({ renderMs: 0 })
    try {
      const file = path.join(dir, 'resumed.mp4')
      const half = Math.floor(SAMPLE_VIDEO.length / 2)
      fs.writeFileSync(file, SAMPLE_VIDEO.subarray(0, half))
      const response = await transfer(dispatcher, await instantVideoUrl(sim), {
        headers: { Range: `bytes=${half}-` },
        target: () => ({ path: file, append: true }),
        onWritten: () => {}
      })
      assert.equal(response.statusCode, 206)
      assert.deepEqual(fs.readFileSync(file), SAMPLE_VIDEO)
    } finally {
      await sim.close()
    }
  })

  it('reads and drops the body of an answer it has no file for', async () => {
    const sim = await startSimulator({ renderMs: 0 })
    try {
      const url = new URL(await instantVideoUrl(sim))
      url.searchParams.set('Signature', 'forged')
      let asked = 0
      const response = await transfer(dispatcher, url.href, {
        headers: {},
        target: () => {
          asked++
          return undefined
        },
        onWritten: () => assert.fail('nothing is written')
      })
      assert.equal(response.statusCode, 403)
      assert.equal(asked, 1)
    } finally {
      await sim.close()
    }
  })

  it('stops the transfer with the file named when the disk is full', { skip: !fs.existsSync('/dev/full') && 'needs /dev/full' }, async () => {
    const size = 64 << 20
    const sim = await startSimulator({ renderMs: 0, videoSize: size })
    try {
      const error = await transfer(dispatcher, await instantVideoUrl(sim), {
        headers: {},
        target: () => ({ path: '/dev/full', append: false }),
        onWritten: () => {}
      }).then(
        () => assert.fail('the transfer succeeded'),
        (reason: unknown) => reason
      )
      assert.ok(error instanceof FileWriteError, String(error))
      assert.match(error.message, /^Could not write the video to \/dev\/full: .*ENOSPC/)
      assert.equal(sim.requests.filter((r) => r.origin === 'cdn').length, 1)
    } finally {
      await sim.close()
    }
  })

  it('names the file it could not open', async () => {
    const sim = await startSimulator({ renderMs: 0 })
    try {
      const file = path.join(dir, 'missing-folder', 'video.mp4')
      await assert.rejects(
        transfer(dispatcher, await instantVideoUrl(sim), { headers: {}, target: () => ({ path: file, append: false }), onWritten: () => {} }),
        (error: unknown) => error instanceof FileWriteError && error.message.startsWith(`Could not write the video to ${file}: ENOENT`)
      )
    } finally {
      await sim.close()
    }
  })

  it('stops when its signal is aborted, leaving what landed on disk', async () => {
    const size = 256 << 20
    const sim = await startSimulator({ renderMs: 0, videoSize: size })
    try {
      const file = path.join(dir, 'aborted.mp4')
      const controller = new AbortController()
      let written = 0
      await assert.rejects(
        transfer(dispatcher, await instantVideoUrl(sim), {
          headers: {},
          signal: controller.signal,
          target: () => ({ path: file, append: false }),
          onWritten: (count) => {
            written += count
            if (written >= 1 << 20) controller.abort(new Error('cancelled by the test'))
          }
        }),
        /cancelled by the test/
      )
      const onDisk = fs.readFileSync(file)
      assert.equal(onDisk.length, written)
      assert.ok(written < size)
      const expected = Buffer.concat(await syntheticVideo(0, written, size).toArray())
      assert.ok(onDisk.equals(expected), 'what landed is the start of the video')
    } finally {
      await sim.close()
    }
  })
})
