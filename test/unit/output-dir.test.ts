import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import { probeOutputDir } from '../../src/job/output-dir.ts'

const workspace = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'aistudios-out-'))

describe('probeOutputDir', () => {
  it('makes the folder and its parents, and leaves nothing in it', () => {
    const dir = path.join(workspace(), 'a', 'b')
    probeOutputDir(dir, 'a/b')
    assert.deepEqual(fs.readdirSync(dir), [])
  })

  it('refuses a folder that cannot be made, naming the input', () => {
    const root = workspace()
    fs.writeFileSync(path.join(root, 'taken'), 'x')
    assert.throws(
      () => probeOutputDir(path.join(root, 'taken', 'videos'), 'taken/videos'),
      (error: unknown) => error instanceof InputError && /Input 'output-dir': 'taken\/videos': a file stands where/.test(error.message)
    )
  })
})
