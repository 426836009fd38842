/**
 * File names that every runner can keep: Windows reserves device names (CON, NUL, COM1…, with any
 * extension), drops trailing dots and spaces, and splits on `\` as well as `/`. Checked through
 * path.win32 whatever the machine running the tests, and the same on POSIX.
 */
import assert from 'node:assert/strict'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { readJob } from '../../src/job/inputs.ts'
import { manifestEntry, VIDEO_NAME } from '../../src/job/manifest-schema.ts'
import { checkOutputDirNames } from '../../src/job/output-dir.ts'
import { readRunnerEnv } from '../../src/job/runner.ts'
import { readVideoSpec } from '../../src/job/video-spec.ts'
import { tempDir } from '../helpers/run-action.ts'
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

  for (const name of [
    'CON',
    'nul.mp4',
    'COM1',
    'LPT1.mp4',
    'a\\b.mp4',
    'trail.',
    'trail ',
    'trail.mp4.',
    'aux.txt',
    'a<b',
    'a:b',
    'a"b',
    'a|b',
    'a?b',
    'a*b',
    'a\u0001b'
  ]) {
    it(`refuses ${JSON.stringify(name)}, naming the input`, () => assert.throws(() => spec(name), /Input 'output-name': /))
  }

  for (const name of ['weekly', 'weekly.mp4', 'console', 'release-v1.2.10']) {
    it(`takes ${JSON.stringify(name)} as a name every runner keeps`, () => assertPortable(spec(name).outputName ?? ''))
  }
})

/** Every other name a run gives: refused by name on every runner, before anything is exported. */
describe('names Windows cannot hold', () => {
  const unsafe = ['trail.', 'trail ', 'CON', 'nul.mp4', 'COM9', 'lpt1.txt']

  for (const name of unsafe) {
    it(`a manifest's video named ${JSON.stringify(name)} is refused`, () => {
      assert.equal(VIDEO_NAME.test(name), false)
      assert.equal(manifestEntry.safeParse({ name: 'ok', 'project-id': 'p', output: name }).success, false, `output: ${name}`)
    })
  }
  for (const name of ['trail', 'a.b', 'console', 'v1.2-rc_3']) it(`a manifest's video may be named ${name}`, () => assert.ok(VIDEO_NAME.test(name)))

  const workspace = tempDir('aistudios-names-')
  const runner = readRunnerEnv({ GITHUB_WORKSPACE: workspace })
  const job = (inputs: Record<string, string>) => () => readJob((name) => ({ 'api-key': 'k', 'project-id': 'p', ...inputs })[name] ?? '', runner)

  for (const name of [...unsafe, 'a\tb', 'a<b']) {
    it(`the artifact named ${JSON.stringify(name)} is refused, naming the input`, () =>
      assert.throws(job({ 'artifact-name': name }), /Input 'artifact-name': /))
  }
  it('an artifact may be named as before', () => assert.doesNotThrow(job({ 'artifact-name': 'weekly video.mp4' })))

  for (const dir of ['out.', 'videos/CON', 'a/nul.d/b', 'x:y', 'trail /v']) {
    it(`an output-dir holding the folder name of ${JSON.stringify(dir)} is refused`, () => {
      assert.throws(() => checkOutputDirNames(dir), /Input 'output-dir': .*the folder name /)
      assert.throws(job({ 'output-dir': dir }), /Input 'output-dir': /)
    })
  }
  for (const dir of ['', 'videos', './out/videos', 'out\\videos', 'a.b/c'])
    it(`output-dir ${JSON.stringify(dir)} is taken`, () => checkOutputDirNames(dir))
})
