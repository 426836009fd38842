/**
 * File names that every runner can keep: Windows reserves device names (CON, NUL, COM1…, with any
 * extension), drops trailing dots and spaces, and splits on `\` as well as `/`. Checked through
 * path.win32 whatever the machine running the tests, and the same on POSIX.
 */
import assert from 'node:assert/strict'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { readVideoSpec } from '../../src/job/video-spec.ts'
import { windowsUnsafe } from '../../src/schemas.ts'
import { videoFileName } from '../../src/video/filename.ts'

/** A name each platform's path module takes as one file in the current folder, with nothing dropped or reserved. */
function assertPortable(name: string): void {
  for (const flavour of [path.win32, path.posix]) {
    assert.equal(flavour.basename(name), name, `${name}: one name, no folder (${flavour === path.win32 ? 'win32' : 'posix'})`)
    assert.equal(flavour.dirname(flavour.join('videos', name)), 'videos', name)
  }
  assert.equal(path.win32.normalize(name), name, `${name}: Windows keeps it as written`)
  assert.equal(windowsUnsafe(name), undefined, `${name}: ${windowsUnsafe(name)}`)
  assert.doesNotMatch(name, /[<>:"|?*\\/]/, name)
}

describe('windowsUnsafe', () => {
  const unsafe = [
    'CON',
    'con.mp4',
    'Nul.MP4',
    'aux',
    'PRN.json',
    'COM1.mp4',
    'lpt9',
    'COM¹.mp4',
    'video.',
    'video ',
    'clip.mp4.',
    'COM0',
    'lpt0.mp4',
    'CONIN$',
    'conout$.mp4',
    'nul .mp4',
    'CON  .txt'
  ]
  for (const name of unsafe) it(`refuses ${JSON.stringify(name)}`, () => assert.ok(windowsUnsafe(name)))
  const safe = ['console.mp4', 'CONTENT', 'com10.mp4', 'lpt.mp4', 'nullable.mp4', 'a.b.mp4', '주간.mp4', 'conin.mp4', 'nul-.mp4', 'com 1.mp4']
  for (const name of safe) it(`takes ${JSON.stringify(name)}`, () => assert.equal(windowsUnsafe(name), undefined))
})

describe('a file name from the download URL', () => {
  const segments = [
    'CON',
    'con.mp4',
    'NUL.mp4',
    'com1.MP4',
    'lpt3',
    'video.%20.',
    'clip%20.mp4',
    'a%5Cb.mp4',
    'dir%5C..%5Cx.mp4',
    'trailing.',
    'sp%20%20'
  ]
  for (const segment of segments) {
    it(`${segment} → a name every runner keeps`, () => assertPortable(videoFileName(`https://cdn.example.com/v/${segment}`, 'key-1')))
  }

  it('keeps a device name recognisable, made safe', () => {
    assert.equal(videoFileName('https://cdn.example.com/v/CON.mp4', 'k'), '_CON.mp4')
    assert.equal(videoFileName('https://cdn.example.com/v/nul', 'k'), '_nul.mp4')
  })
})

describe('output-name', () => {
  const spec = (outputName: string) => readVideoSpec((input) => ({ 'project-id': 'p1', 'output-name': outputName })[input] ?? '', process.cwd())

  for (const name of ['CON', 'nul.mp4', 'COM1', 'LPT1.mp4', 'a\\b.mp4']) {
    it(`refuses ${JSON.stringify(name)}, naming the input`, () => assert.throws(() => spec(name), /Input 'output-name': /))
  }

  for (const name of ['weekly', 'weekly.mp4', 'console', 'release-v1.2.10']) {
    it(`takes ${JSON.stringify(name)} as a name every runner keeps`, () => assertPortable(spec(name).outputName ?? ''))
  }
})
