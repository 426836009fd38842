import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import { parseScriptsInput, readSpeech } from '../../src/job/speech.ts'
import { tempDir } from '../helpers/run-action.ts'

const workspace = fs.realpathSync(tempDir('aistudios-speech-'))
const write = (file: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true })
  fs.writeFileSync(path.join(workspace, file), text)
}
write('intro.txt', '  Hello from a file.  \n')
write('empty.txt', ' \n')
write('lines.yml', "0: First scene\n'1.1': The answer\n")
write('list.yml', '- Scene zero\n- Scene one\n')
write('bad-key.yml', 'intro: Hello\n')
write('blank-value.yml', "0: '  '\n")
write('scalar.yml', 'just text\n')
write('dir/0-intro.txt', 'Dir scene zero\n')
write('dir/1.1-answer.txt', 'Dir answer\n')
write('dir/README.md', 'not speech')
write('empty-dir/0.txt', '')
write('order/2.txt', 'two')
write('order/10.txt', 'ten')
write('order/0.txt', 'zero')
write('order/1.txt', 'one')
write('keys.yml', "12: Twelve\n'1.12': Line twelve\n3: '  padded  '\n")
write('prefix-key.yml', '1x: Hello\n')
write('suffix-key.yml', 'x1: Hello\n')
write('list-value.yml', '0: [a, b]\n')
write('broken.yml', '0: "unterminated\n')

/** Where a scripts-file entry is written, as a speech carries it. */
const fileAt = (name: string, line: number, column: number) => ({
  where: `${name}:${line}:${column}`,
  location: { file: path.join(workspace, name), line, column }
})
/** Where a whole file of speech is. */
const dirAt = (name: string) => ({ where: name, location: { file: path.join(workspace, name) } })
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''
const read = (inputs: Record<string, string>) => readSpeech(reader(inputs), workspace)
const refuses = (inputs: Record<string, string>, input: string, pattern: RegExp): void => {
  assert.throws(
    () => read(inputs),
    (error: unknown) => error instanceof InputError && error.input === input && pattern.test(error.message)
  )
}

describe('parseScriptsInput', () => {
  it('reads scene and scene.line addresses, skipping blank lines and comments', () => {
    assert.deepEqual(parseScriptsInput('# intro\n0: Hello\n\n 1.2 :  Bye  \r\n'), [
      { scene: 0, text: 'Hello', from: 'scripts', at: { where: 'line 2' } },
      { scene: 1, line: 2, text: 'Bye', from: 'scripts', at: { where: 'line 4' } }
    ])
  })
  it('reads many-digit scenes and lines, and text right after the colon', () => {
    assert.deepEqual(parseScriptsInput('12.34: x\n7:xyz\n  \n  # indented comment'), [
      { scene: 12, line: 34, text: 'x', from: 'scripts', at: { where: 'line 1' } },
      { scene: 7, text: 'xyz', from: 'scripts', at: { where: 'line 2' } }
    ])
  })
  it('reads text that only holds quotes as it is', () => {
    assert.deepEqual(
      parseScriptsInput('0: say "hi"\n1: "hi" there').map((speech) => speech.text),
      ['say "hi"', '"hi" there']
    )
  })
  it('names the scripts input when a quoted value is not valid YAML', () => {
    assert.throws(
      () => parseScriptsInput('0: "bad \\q escape"'),
      (error: unknown) => error instanceof InputError && error.input === 'scripts'
    )
  })
  it('reads a quoted value as YAML, so colons and escapes work', () => {
    assert.deepEqual(parseScriptsInput('0: "Time: 10:30\\tnow"'), [{ scene: 0, text: 'Time: 10:30\tnow', from: 'scripts', at: { where: 'line 1' } }])
    assert.deepEqual(parseScriptsInput("0: 'it''s'"), [{ scene: 0, text: "it's", from: 'scripts', at: { where: 'line 1' } }])
  })
  it('refuses a line without an index, naming its line number', () => {
    assert.throws(
      () => parseScriptsInput('0: ok\nintro: Hello'),
      /^InputError: Input 'scripts': line 2: expected 'INDEX: text'.*got 'intro: Hello'$/s
    )
    assert.throws(() => parseScriptsInput('-1: x'), /line 1: expected/)
    assert.throws(() => parseScriptsInput('   intro   '), /got 'intro'$/)
  })
})

describe('readSpeech', () => {
  it('gives nothing when no speech input is set', () => {
    assert.deepEqual(read({}), [])
  })
  it('takes script or script-file for scene 0, trimmed, naming where it came from', () => {
    assert.deepEqual(read({ script: '  Hi  ' }), [{ scene: 0, text: 'Hi', from: 'script' }])
    assert.deepEqual(read({ 'script-file': ' intro.txt ' }), [
      { scene: 0, text: 'Hello from a file.', from: 'script-file intro.txt', at: dirAt('intro.txt') }
    ])
  })
  it('refuses script beside script-file, and an empty script-file', () => {
    refuses({ script: 'a', 'script-file': 'intro.txt' }, 'script', /either 'script' or 'script-file', not both/)
    refuses({ 'script-file': 'empty.txt' }, 'script-file', /file 'empty.txt' is empty/)
  })
  it('reads a scripts-file as a map of addresses or a list', () => {
    assert.deepEqual(read({ 'scripts-file': 'lines.yml' }), [
      { scene: 0, text: 'First scene', from: 'scripts-file lines.yml', at: fileAt('lines.yml', 1, 1) },
      { scene: 1, line: 1, text: 'The answer', from: 'scripts-file lines.yml', at: fileAt('lines.yml', 2, 1) }
    ])
    assert.deepEqual(
      read({ 'scripts-file': 'list.yml' }).map(({ scene, text }) => [scene, text]),
      [
        [0, 'Scene zero'],
        [1, 'Scene one']
      ]
    )
  })
  it('reads many-digit keys and trims the speech', () => {
    assert.deepEqual(read({ 'scripts-file': 'keys.yml' }), [
      { scene: 3, text: 'padded', from: 'scripts-file keys.yml', at: fileAt('keys.yml', 3, 1) },
      { scene: 12, text: 'Twelve', from: 'scripts-file keys.yml', at: fileAt('keys.yml', 1, 1) },
      { scene: 1, line: 12, text: 'Line twelve', from: 'scripts-file keys.yml', at: fileAt('keys.yml', 2, 1) }
    ])
  })
  it('names the scripts-file input when the file is missing or not YAML', () => {
    refuses({ 'scripts-file': 'missing.yml' }, 'scripts-file', /file 'missing.yml' does not exist/)
    refuses({ 'scripts-file': 'broken.yml' }, 'scripts-file', /broken\.yml:\d+:\d+: not valid YAML/)
  })
  it('refuses a scripts-file with a bad key, blank speech, or no map at all', () => {
    refuses({ 'scripts-file': 'prefix-key.yml' }, 'scripts-file', /'1x' is not a scene index/)
    refuses({ 'scripts-file': 'suffix-key.yml' }, 'scripts-file', /'x1' is not a scene index/)
    refuses({ 'scripts-file': 'list-value.yml' }, 'scripts-file', /the speech of 0 must be non-empty text/)
    refuses({ 'scripts-file': 'bad-key.yml' }, 'scripts-file', /'intro' is not a scene index/)
    refuses({ 'scripts-file': 'blank-value.yml' }, 'scripts-file', /the speech of 0 must be non-empty text/)
    refuses({ 'scripts-file': 'scalar.yml' }, 'scripts-file', /must map scene indexes to speech/)
  })
  it('reads a scripts-dir by file name, ignoring files without an index', () => {
    assert.deepEqual(read({ 'scripts-dir': 'dir/' }), [
      { scene: 0, text: 'Dir scene zero', from: 'scripts-dir dir/0-intro.txt', at: dirAt('dir/0-intro.txt') },
      { scene: 1, line: 1, text: 'Dir answer', from: 'scripts-dir dir/1.1-answer.txt', at: dirAt('dir/1.1-answer.txt') }
    ])
  })
  it('reads a scripts-dir in the order of its file names', () => {
    assert.deepEqual(
      read({ 'scripts-dir': 'order' }).map((speech) => speech.text),
      ['zero', 'one', 'ten', 'two']
    )
  })
  it('refuses a scripts-dir that is not a folder, outside the workspace, or holds an empty file', () => {
    refuses({ 'scripts-dir': '../elsewhere' }, 'scripts-dir', /is outside the workspace/)
    refuses({ 'scripts-dir': 'intro.txt' }, 'scripts-dir', /'intro.txt' is not a directory/)
    refuses({ 'scripts-dir': 'missing' }, 'scripts-dir', /'missing' is not a directory/)
    refuses({ 'scripts-dir': 'empty-dir' }, 'scripts-dir', /file 'empty-dir\/0.txt' is empty/)
  })
  it('refuses two sources for one line, N and N.0 being the same, naming both', () => {
    refuses({ script: 'a', scripts: '0.0: b' }, 'scripts', /line 0 of scene 0 is given speech twice: by script and by scripts/)
    refuses({ script: 'a', scripts: '0: b' }, 'scripts', /: scene 0 is given speech twice: by script and by scripts$/)
    refuses(
      { scripts: '1.1: a', 'scripts-dir': 'dir' },
      'scripts-dir',
      /line 1 of scene 1 is given speech twice: by scripts and by scripts-dir dir\/1.1-answer.txt/
    )
    assert.equal(read({ script: 'a', scripts: '0.1: b' }).length, 2)
  })
})
