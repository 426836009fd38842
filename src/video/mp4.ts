import * as fs from 'node:fs'
import type { Mp4Facts } from '../domain.js'

/**
 * Reads what the MP4 itself says about the video, from its structure (ISO BMFF boxes): the movie
 * header (`moov/mvhd`) for the duration, each track's header (`trak/tkhd`) for the picture's size,
 * and the sample descriptions (`stsd`) for the codecs.
 *
 * A reader of these few boxes rather than mp4box.js: the action needs a handful of numbers from a file
 * it just wrote, and a full demuxer, built to parse media data, would add to the bundle every run loads
 * for them. This reader walks the top-level boxes with positioned reads, so memory stays flat however
 * large the `mdat` is, and reads only `moov` whole.
 */

/** The file is not a whole MP4: no `ftyp`, a box that runs past the end (a cut download), or no `moov`. */
export class NotMp4Error extends Error {
  constructor(detail: string) {
    super(`The downloaded file is not a whole MP4 video (${detail})`)
    this.name = 'NotMp4Error'
  }
}

/** A movie header larger than this is no video's (a long render's is a few MB). */
const MAX_MOOV_BYTES = 64 << 20
/**
 * Top-level boxes read at most: a video has a handful, a fragmented one a pair per fragment. The walk
 * is synchronous, so a file of millions of tiny boxes must not hold the process (0.3 s at this bound).
 */
const MAX_TOP_LEVEL_BOXES = 100_000

interface Box {
  type: string
  /** Where its content starts and ends, in the buffer or file it was found in. */
  start: number
  end: number
}

/** The boxes in `buffer` between two offsets; a box that claims more room than there is is refused. */
function* childBoxes(buffer: Buffer, from: number, to: number): Generator<Box> {
  for (let at = from; at + 8 <= to;) {
    let size = buffer.readUInt32BE(at)
    const type = buffer.toString('latin1', at + 4, at + 8)
    let header = 8
    if (size === 1) {
      size = Number(buffer.readBigUInt64BE(at + 8))
      header = 16
    } else if (size === 0) {
      size = to - at
    }
    if (size < header || at + size > to) throw new NotMp4Error(`the '${type}' box runs past its parent`)
    yield { type, start: at + header, end: at + size }
    at += size
  }
}

const find = (buffer: Buffer, box: Box, type: string): Box | undefined => {
  for (const child of childBoxes(buffer, box.start, box.end)) if (child.type === type) return child
  return undefined
}

/** Duration from `mvhd` (version 0: 32-bit fields; version 1: 64-bit times and duration). */
function durationOf(moov: Buffer, mvhd: Box): number {
  const version = moov[mvhd.start]
  const timescale = moov.readUInt32BE(mvhd.start + (version === 1 ? 20 : 12))
  const duration = version === 1 ? Number(moov.readBigUInt64BE(mvhd.start + 24)) : moov.readUInt32BE(mvhd.start + 16)
  if (timescale === 0) throw new NotMp4Error('its movie header has no time scale')
  return duration / timescale
}

/** A track: its picture size (16.16 fixed point in `tkhd`; 0 for sound) and its sample entries' codes. */
function trackOf(moov: Buffer, trak: Box): { width: number; height: number; codecs: string[] } {
  const tkhd = find(moov, trak, 'tkhd')
  let width = 0
  let height = 0
  if (tkhd) {
    // After version/flags: times, track ID, reserved, duration, reserved, layer, group, volume, reserved, matrix.
    const sizeAt = tkhd.start + (moov[tkhd.start] === 1 ? 88 : 76)
    if (sizeAt + 8 <= tkhd.end) {
      width = moov.readUInt32BE(sizeAt) / 65536
      height = moov.readUInt32BE(sizeAt + 4) / 65536
    }
  }
  const codecs: string[] = []
  const mdia = find(moov, trak, 'mdia')
  const minf = mdia && find(moov, mdia, 'minf')
  const stbl = minf && find(moov, minf, 'stbl')
  const stsd = stbl && find(moov, stbl, 'stsd')
  // stsd: version/flags and an entry count, then sample entries, each a box named by its codec.
  if (stsd) for (const entry of childBoxes(moov, stsd.start + 8, stsd.end)) codecs.push(entry.type)
  return { width, height, codecs }
}

/** Reads the facts of an MP4 file, refusing one that is not whole (see NotMp4Error). */
export function readMp4Facts(file: string): Mp4Facts {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const header = Buffer.alloc(16)
    let moov: Buffer | undefined
    let moovHeader = 8
    for (let at = 0, first = true, boxes = 0; at < size; first = false) {
      if (++boxes > MAX_TOP_LEVEL_BOXES) throw new NotMp4Error(`it has more than ${MAX_TOP_LEVEL_BOXES} top-level boxes, which no video has`)
      if (at + 8 > size) throw new NotMp4Error(`${size - at} stray byte(s) at its end`)
      fs.readSync(fd, header, 0, 16, at)
      const type = header.toString('latin1', 4, 8)
      if (first && type !== 'ftyp') {
        const preview = header
          .toString('utf8')
          .replace(/[^\x20-\x7e]+/g, ' ')
          .trim()
        throw new NotMp4Error(`it starts with '${preview}'`)
      }
      let boxSize = header.readUInt32BE(0)
      let headerSize = 8
      if (boxSize === 1) {
        boxSize = Number(header.readBigUInt64BE(8))
        headerSize = 16
      } else if (boxSize === 0) {
        boxSize = size - at
      }
      if (boxSize < headerSize || at + boxSize > size) throw new NotMp4Error(`its '${type}' box runs past the end: the file was cut short`)
      if (type === 'moov') {
        if (boxSize > MAX_MOOV_BYTES) throw new NotMp4Error(`its movie header is larger than ${MAX_MOOV_BYTES >> 20} MiB`)
        moov = Buffer.alloc(boxSize)
        fs.readSync(fd, moov, 0, boxSize, at)
        moovHeader = headerSize
      }
      at += boxSize
    }
    if (!moov) throw new NotMp4Error("it has no 'moov' box, so no player can read it")
    const whole: Box = { type: 'moov', start: moovHeader, end: moov.length }
    const mvhd = find(moov, whole, 'mvhd')
    if (!mvhd) throw new NotMp4Error("its 'moov' box has no movie header")
    const tracks = [...childBoxes(moov, whole.start, whole.end)].filter((box) => box.type === 'trak').map((trak) => trackOf(moov, trak))
    const picture = tracks.find((track) => track.width > 0 && track.height > 0)
    return {
      durationSeconds: durationOf(moov, mvhd),
      width: picture?.width,
      height: picture?.height,
      codecs: tracks.flatMap((track) => track.codecs)
    }
  } finally {
    fs.closeSync(fd)
  }
}
