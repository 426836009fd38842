import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../errors.js'

/**
 * Makes `output-dir` (and its parents) and writes and removes a small file in it, so a folder the
 * run cannot write to refuses the run before the export spends credits, not after the render.
 */
export function probeOutputDir(outputDir: string, raw: string): void {
  try {
    fs.mkdirSync(outputDir, { recursive: true })
    // A folder of a fresh name, made and removed: no name a pull request could have planted a link at.
    fs.rmdirSync(fs.mkdtempSync(path.join(outputDir, '.aistudios-write-check-')))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where a folder of it must be' : `it cannot be written (${code})`
    throw new InputError('output-dir', `'${raw}': ${why}; nothing was exported`)
  }
}
