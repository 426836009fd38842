import * as fs from 'node:fs'
import * as path from 'node:path'

/** What a file system's refusal means, in words. */
const WHY: Record<string, string> = {
  EFBIG: 'it would be larger than this process may write (a file-size limit, ulimit -f)',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EISDIR: 'a folder stands at its name',
  ENOTDIR: 'a file stands where a folder of its path must be',
  EEXIST: 'a file stands where a folder of its path must be',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only'
}

/** Why a write failed, in words, with the system's code. */
export function whyNotWritten(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  if (code && WHY[code]) return `${WHY[code]} (${code})`
  return code ?? (cause instanceof Error ? cause.message : String(cause))
}

/**
 * A file this machine could not write: the message names it and why, and nothing of it is left
 * behind. Not the user's input nor the API: the CLI's exit status 1.
 */
export class WriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
    what = ''
  ) {
    super(`Could not write ${what ? `${what} ` : ''}${file}: ${whyNotWritten(cause)}; nothing of it was kept`, { cause })
    this.name = 'WriteError'
  }
}

/**
 * Writes `text` to `target` through a fresh folder beside it, renamed over it: a symbolic link a pull
 * request left at that name is replaced, never followed. On any failure the folder is removed and a
 * WriteError names `target`.
 */
export function replaceFile(target: string, text: string, what = ''): void {
  let staging: string | undefined
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true })
    staging = fs.mkdtempSync(path.join(path.dirname(target), '.aistudios-write-'))
    fs.writeFileSync(path.join(staging, 'file'), text)
    fs.renameSync(path.join(staging, 'file'), target)
  } catch (error) {
    throw new WriteError(target, error, what)
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true })
  }
}
