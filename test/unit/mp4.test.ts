/** The MP4 reader on the simulator's real video and on the same file cut, padded and reordered. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { NotMp4Error, readMp4Facts } from '../../src/video/mp4.ts'
import { tempDir } from '../helpers/run-action.ts'
import { SAMPLE_VIDEO, syntheticVideo } from '../simulator/server.ts'

const dir = tempDir('aistudios-mp4-')
const write = (name: string, bytes: Buffer): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, bytes)
  return file
}
/** The sample's top-level boxes by type: ftyp, moov, free, mdat. */
function topBoxes(bytes: Buffer): Map<string, Buffer> {
  const boxes = new Map<string, Buffer>()
  for (let at = 0; at < bytes.length;) {
    const size = bytes.readUInt32BE(at)
    boxes.set(bytes.toString('latin1', at + 4, at + 8), bytes.subarray(at, at + size))
    at += size
  }
  return boxes
}
const box = (type: string, content: Buffer): Buffer => {
  const header = Buffer.alloc(8)
  header.writeUInt32BE(8 + content.length)
  header.write(type, 4, 'latin1')
  return Buffer.concat([header, content])
}
const SAMPLE_FACTS = { width: 320, height: 180, codecs: ['avc1', 'mp4a'] }

describe('readMp4Facts', () => {
  it("reads the simulator's real video: duration, size and codecs", () => {
    const facts = readMp4Facts(write('sample.mp4', SAMPLE_VIDEO))
    assert.ok(Math.abs(facts.durationSeconds - 3.5) < 0.1, `duration ${facts.durationSeconds}`)
    assert.deepEqual({ width: facts.width, height: facts.height, codecs: facts.codecs }, SAMPLE_FACTS)
  })

  it('refuses the same file cut short, naming the box that runs past the end', () => {
    const file = write('cut.mp4', SAMPLE_VIDEO.subarray(0, SAMPLE_VIDEO.length - 1000))
    assert.throws(
      () => readMp4Facts(file),
      (error: unknown) => error instanceof NotMp4Error && /'mdat' box runs past the end/.test(error.message)
    )
  })

  it('reads it padded with a free box', () => {
    const facts = readMp4Facts(write('free.mp4', Buffer.concat([SAMPLE_VIDEO, box('free', Buffer.alloc(4096))])))
    assert.deepEqual({ width: facts.width, height: facts.height, codecs: facts.codecs }, SAMPLE_FACTS)
  })

  it('reads it with moov after mdat', () => {
    const boxes = topBoxes(SAMPLE_VIDEO)
    const reordered = Buffer.concat(['ftyp', 'mdat', 'moov'].map((type) => boxes.get(type) as Buffer))
    const facts = readMp4Facts(write('moov-last.mp4', reordered))
    assert.ok(Math.abs(facts.durationSeconds - 3.5) < 0.1)
    assert.deepEqual(facts.codecs, SAMPLE_FACTS.codecs)
  })

  it('refuses a file with no moov box, and one that is no MP4 at all', () => {
    const boxes = topBoxes(SAMPLE_VIDEO)
    const noMoov = write('no-moov.mp4', Buffer.concat([boxes.get('ftyp') as Buffer, boxes.get('mdat') as Buffer]))
    assert.throws(() => readMp4Facts(noMoov), /has no 'moov' box/)
    assert.throws(() => readMp4Facts(write('page.mp4', Buffer.from('<!DOCTYPE html><html>503</html>'))), /it starts with '<!DOCTYPE html>/)
  })

  it("reads the simulator's synthetic large video as a valid MP4", async () => {
    const size = 3 * (1 << 20) + 12345
    const chunks: Buffer[] = []
    for await (const chunk of syntheticVideo(0, size, size)) chunks.push(chunk as Buffer)
    const facts = readMp4Facts(write('synthetic.mp4', Buffer.concat(chunks)))
    assert.deepEqual(facts.codecs, SAMPLE_FACTS.codecs)
  })
})
