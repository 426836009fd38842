/** The MP4 reader on files built box by box: 64-bit and to-the-end sizes, version 1 headers, and every refusal. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { NotMp4Error, readMp4Facts } from '../../src/video/mp4.ts'
import { tempDir } from '../helpers/run-action.ts'

const dir = tempDir('aistudios-mp4-boxes-')
let files = 0
const read = (bytes: Buffer) => {
  const file = path.join(dir, `${files++}.mp4`)
  fs.writeFileSync(file, bytes)
  return readMp4Facts(file)
}
const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(value)
  return bytes
}
const u64 = (value: number): Buffer => {
  const bytes = Buffer.alloc(8)
  bytes.writeBigUInt64BE(BigInt(value))
  return bytes
}
/** A box with a 32-bit size. */
const box = (type: string, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content)
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body])
}
/** A box with size 1 and a 64-bit size after its type. */
const largeBox = (type: string, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content)
  return Buffer.concat([u32(1), Buffer.from(type, 'latin1'), u64(16 + body.length), body])
}
/** A box with size 0: it runs to the end of its parent (or the file). */
const openBox = (type: string, ...content: Buffer[]): Buffer => Buffer.concat([u32(0), Buffer.from(type, 'latin1'), ...content])

const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'))
/** mvhd version 0: version/flags, created, modified, timescale, duration (32-bit each). */
const mvhd0 = (timescale: number, duration: number): Buffer => box('mvhd', u32(0), u32(0), u32(0), u32(timescale), u32(duration), Buffer.alloc(80))
/** mvhd version 1: version/flags, created and modified (64-bit), timescale (32), duration (64). */
const mvhd1 = (timescale: number, duration: number): Buffer =>
  box('mvhd', Buffer.from([1, 0, 0, 0]), u64(0), u64(0), u32(timescale), u64(duration), Buffer.alloc(80))
/** tkhd with width and height (16.16) where the version puts them: after 76 bytes (v0) or 88 (v1). */
const tkhd = (version: 0 | 1, width: number, height: number): Buffer => {
  const before = Buffer.alloc(version === 1 ? 88 : 76)
  before[0] = version
  return box('tkhd', before, u32(width * 65536), u32(height * 65536))
}
const stsd = (...codecs: string[]): Buffer => box('stsd', u32(0), u32(codecs.length), ...codecs.map((codec) => box(codec, Buffer.alloc(8))))
const trak = (header: Buffer | undefined, ...codecs: string[]): Buffer =>
  box('trak', ...(header ? [header] : []), box('mdia', box('minf', box('stbl', stsd(...codecs)))))
const mdat = box('mdat', Buffer.alloc(64, 7))

const refuses = (bytes: Buffer, detail: string): void => {
  assert.throws(
    () => read(bytes),
    (error: unknown) =>
      error instanceof NotMp4Error && error.name === 'NotMp4Error' && error.message === `The downloaded file is not a whole MP4 video (${detail})`
  )
}

describe('readMp4Facts, box by box', () => {
  it('reads version 0 headers: duration, the first picture track and every codec', () => {
    const facts = read(Buffer.concat([ftyp, box('moov', mvhd0(1000, 2500), trak(tkhd(0, 0, 0), 'mp4a'), trak(tkhd(0, 1920, 1080), 'avc1')), mdat]))
    assert.deepEqual(facts, { durationSeconds: 2.5, width: 1920, height: 1080, codecs: ['mp4a', 'avc1'] })
  })

  it('reads version 1 headers, with 64-bit times', () => {
    const facts = read(Buffer.concat([ftyp, box('moov', mvhd1(600, 6 * 2 ** 32 + 600), trak(tkhd(1, 1280, 720), 'hvc1')), mdat]))
    assert.deepEqual(facts, { durationSeconds: (6 * 2 ** 32 + 600) / 600, width: 1280, height: 720, codecs: ['hvc1'] })
  })

  it('reads 64-bit box sizes at the top level and inside moov (a video over 4 GiB has them)', () => {
    const facts = read(
      Buffer.concat([ftyp, largeBox('moov', mvhd0(10, 35), largeBox('trak', tkhd(0, 640, 360))), largeBox('mdat', Buffer.alloc(32))])
    )
    assert.deepEqual(facts, { durationSeconds: 3.5, width: 640, height: 360, codecs: [] })
  })

  it('reads a last box of size 0 as running to the end, at the top level and inside moov', () => {
    assert.equal(read(Buffer.concat([ftyp, box('moov', mvhd0(1, 4)), openBox('mdat', Buffer.alloc(100))])).durationSeconds, 4)
    assert.equal(read(Buffer.concat([ftyp, openBox('moov', mvhd0(2, 5))])).durationSeconds, 2.5)
  })

  it('has no picture size for a track whose header is too short or missing', () => {
    const short = box('tkhd', Buffer.alloc(80))
    const facts = read(Buffer.concat([ftyp, box('moov', mvhd0(1, 1), trak(short, 'avc1'), trak(undefined, 'mp4a')), mdat]))
    assert.deepEqual(facts, { durationSeconds: 1, width: undefined, height: undefined, codecs: ['avc1', 'mp4a'] })
  })

  it('refuses a file that does not start with ftyp, showing its first bytes as text', () => {
    refuses(Buffer.concat([Buffer.from('html\0\u0001\u0002body  xx', 'latin1'), Buffer.alloc(16)]), "it starts with 'html body  xx'")
  })

  it('refuses stray bytes at the end, counting them', () => {
    refuses(Buffer.concat([ftyp, box('moov', mvhd0(1, 1)), Buffer.alloc(7)]), '7 stray byte(s) at its end')
    assert.equal(read(Buffer.concat([ftyp, box('moov', mvhd0(1, 1)), box('free', Buffer.alloc(0))])).durationSeconds, 1)
  })

  it('refuses a top-level box cut short, or one too small for its own header', () => {
    const moov = box('moov', mvhd0(1, 1))
    refuses(Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(64)).subarray(0, 40)]), "its 'mdat' box runs past the end: the file was cut short")
    refuses(Buffer.concat([ftyp, moov, u32(4), Buffer.from('free'), Buffer.alloc(8)]), "its 'free' box runs past the end: the file was cut short")
    refuses(
      Buffer.concat([ftyp, moov, u32(1), Buffer.from('mdat'), u64(12), Buffer.alloc(8)]),
      "its 'mdat' box runs past the end: the file was cut short"
    )
  })

  it('refuses a box inside moov that runs past its parent, or is too small for its header', () => {
    const overlong = Buffer.concat([u32(200), Buffer.from('trak'), Buffer.alloc(8)])
    refuses(Buffer.concat([ftyp, box('moov', mvhd0(1, 1), overlong)]), "the 'trak' box runs past its parent")
    const tiny = Buffer.concat([u32(7), Buffer.from('trak')])
    refuses(Buffer.concat([ftyp, box('moov', mvhd0(1, 1), tiny, Buffer.alloc(8))]), "the 'trak' box runs past its parent")
    const tinyLarge = Buffer.concat([u32(1), Buffer.from('trak'), u64(15)])
    refuses(Buffer.concat([ftyp, box('moov', mvhd0(1, 1), tinyLarge)]), "the 'trak' box runs past its parent")
  })

  it('refuses a file without moov, a moov without mvhd, and a movie header without a time scale', () => {
    refuses(Buffer.concat([ftyp, mdat]), "it has no 'moov' box, so no player can read it")
    refuses(Buffer.concat([ftyp, box('moov', trak(tkhd(0, 1, 1)))]), "its 'moov' box has no movie header")
    refuses(Buffer.concat([ftyp, box('moov', mvhd0(0, 100))]), 'its movie header has no time scale')
    refuses(Buffer.concat([ftyp, box('moov', mvhd1(0, 100))]), 'its movie header has no time scale')
  })

  it('refuses a file of more top-level boxes than any video has, and reads one at the bound', () => {
    const moov = box('moov', mvhd0(1, 9))
    const free = box('free')
    // ftyp and moov count: the rest of the bound is empty boxes.
    const at = (count: number): Buffer => Buffer.concat([ftyp, moov, ...Array<Buffer>(count - 2).fill(free)])
    assert.equal(read(at(100_000)).durationSeconds, 9)
    refuses(at(100_001), 'it has more than 100000 top-level boxes, which no video has')
  })

  it('refuses a movie header over 64 MiB without reading it, and reads one of exactly 64 MiB', () => {
    const header = (size: number): Buffer => Buffer.concat([u32(1), Buffer.from('moov'), u64(size)])
    // A sparse file: the claimed moov is really there, as zeros, but never read whole.
    const file = path.join(dir, 'huge-moov.mp4')
    fs.writeFileSync(file, Buffer.concat([ftyp, header((64 << 20) + 1)]))
    fs.truncateSync(file, ftyp.length + (64 << 20) + 1)
    assert.throws(() => readMp4Facts(file), /its movie header is larger than 64 MiB/)
    const exact = path.join(dir, 'exact-moov.mp4')
    const moov = box('moov', mvhd0(1, 9))
    const padded = Buffer.concat([u32(1), Buffer.from('moov'), u64(64 << 20), moov.subarray(8)])
    fs.writeFileSync(exact, Buffer.concat([ftyp, padded]))
    fs.truncateSync(exact, ftyp.length + (64 << 20))
    assert.equal(readMp4Facts(exact).durationSeconds, 9)
  })
})
