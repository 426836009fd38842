/** Refusals inside variables and scripts (files and inputs) name the line and column where the entry is written. */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import { readSpeech } from '../../src/job/speech.ts'
import { readVariables } from '../../src/job/variables.ts'
import { applySpeech } from '../../src/request/speech.ts'
import { tempDir } from '../helpers/run-action.ts'

const workspace = fs.realpathSync(tempDir('aistudios-written-at-'))
const files: Record<string, string> = {
  'vars-list.yml': 'A: ok\n# a comment\nB: [x, y]\n',
  'vars-name.yml': 'A: ok\n"  padded ": x\n',
  'vars-scalar.yml': '\n\njust text\n',
  'sf-key.yml': "0: hi\n'x': bad\n",
  'sf-blank.yml': "0: hi\n  # note\n3: ''\n",
  'sf-scalar.yml': '\ntext\n',
  'sf-far.yml': '0: hi\n7: nobody\n',
  'sf-twice.yml': '0: again\n'
}
for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), text)

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

/** Asserts a refusal of `input` at `file` line and column (or no file), its message starting with `prefix`. */
function refusedAt(
  act: () => unknown,
  input: string,
  file: string | undefined,
  line: number | undefined,
  column: number | undefined,
  detail: RegExp
): void {
  assert.throws(act, (error: unknown) => {
    assert.ok(error instanceof InputError, String(error))
    assert.equal(error.input, input)
    assert.deepEqual(error.location, file === undefined ? undefined : { file: path.join(workspace, file), line, column })
    assert.match(error.detail, detail)
    return true
  })
}

describe('variables refusals', () => {
  it('name the file, line and column of the entry at fault', () => {
    const read = (file: string) => () => readVariables(reader({ 'variables-file': file }), workspace)
    refusedAt(read('vars-list.yml'), 'variables-file', 'vars-list.yml', 3, 1, /^vars-list\.yml:3:1: the value of B must be text/)
    refusedAt(read('vars-name.yml'), 'variables-file', 'vars-name.yml', 2, 1, /^vars-name\.yml:2:1: ' {2}padded ' is not a placeholder name/)
    refusedAt(read('vars-scalar.yml'), 'variables-file', 'vars-scalar.yml', 3, 1, /^vars-scalar\.yml:3:1: must be a mapping of NAME: value/)
  })
  it('name the line and column in the variables input', () => {
    refusedAt(
      () => readVariables(reader({ variables: 'A: 1\nB:\n  - x' }), workspace),
      'variables',
      undefined,
      undefined,
      undefined,
      /^line 2, column 1: the value of B/
    )
  })
})

describe('scripts refusals', () => {
  const read = (inputs: Record<string, string>) => () => readSpeech(reader(inputs), workspace)
  it('name the file, line and column of a bad key, blank speech or a file of no entries', () => {
    refusedAt(read({ 'scripts-file': 'sf-key.yml' }), 'scripts-file', 'sf-key.yml', 2, 1, /^sf-key\.yml:2:1: 'x' is not a scene index/)
    refusedAt(read({ 'scripts-file': 'sf-blank.yml' }), 'scripts-file', 'sf-blank.yml', 3, 1, /^sf-blank\.yml:3:1: the speech of 3 must be non-empty/)
    refusedAt(read({ 'scripts-file': 'sf-scalar.yml' }), 'scripts-file', 'sf-scalar.yml', 2, 1, /^sf-scalar\.yml:2:1: must map scene indexes/)
  })
  it('name where the second speech for one line is written', () => {
    refusedAt(
      read({ scripts: '1: a', 'scripts-file': 'sf-twice.yml', script: 'b' }),
      'scripts-file',
      'sf-twice.yml',
      1,
      1,
      /^sf-twice\.yml:1:1: scene 0 is given speech twice: by script and by scripts-file sf-twice\.yml$/
    )
    refusedAt(read({ script: 'a', scripts: '\n# c\n0: b' }), 'scripts', undefined, undefined, undefined, /^line 3: scene 0 is given speech twice/)
  })
  it('carry their place to a refusal found later, when the scene is known', () => {
    const speech = readSpeech(reader({ 'scripts-file': 'sf-far.yml' }), workspace)
    refusedAt(
      () => applySpeech([{ AIModel: { script: '' } }], speech, 'legacy', 't.json'),
      'scripts-file',
      'sf-far.yml',
      2,
      1,
      /^sf-far\.yml:2:1: scene 7 does not exist: t\.json has 1 scene\(s\)/
    )
    const inline = readSpeech(reader({ scripts: '0: a\n0.1: b' }), workspace)
    refusedAt(
      () => applySpeech([{ AIModel: { script: '' } }], inline, 'legacy', 't.json'),
      'scripts',
      undefined,
      undefined,
      undefined,
      /^line 2: line 1 of scene 0 of t\.json does not exist/
    )
  })
})
