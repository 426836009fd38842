import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../errors.js'
import { windowsUnsafe } from '../schemas.js'

/**
 * Refuses an `output-dir` with a folder name Windows cannot hold (`out.`, `CON`, `a:b`), on every runner
 * alike, before anything is paid for: the same workflow may run on a Windows runner. Pure.
 */
export function checkOutputDirNames(raw: string): void {
  for (const folder of raw.split(/[/\\]/)) {
    if (folder === '' || folder === '.' || folder === '..') continue
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a name must not hold
    const why = /[<>:"|?*\u0000-\u001f]/.test(folder)
      ? 'holds a character Windows reserves (< > : " | ? * or a control character)'
      : windowsUnsafe(folder)
    if (why) throw new InputError('output-dir', `'${raw}': the folder name '${folder}' ${why}; choose another folder`)
  }
}

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
