import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { abortReason } from '../waits.js'

/** The checkout's own git: a source of the changed files with no cap, where it holds both commits. */

const GIT_TIMEOUT_MS = 60_000
const run = promisify(execFile)

async function git(workspace: string, args: string[], signal: AbortSignal | undefined): Promise<string> {
  const { stdout } = await run('git', ['-C', workspace, ...args], { timeout: GIT_TIMEOUT_MS, maxBuffer: 64 << 20, signal })
  return stdout
}

const SHA = /^[0-9a-f]{7,64}$/i

/**
 * The files changed between two commits, by the checkout's git: both the old and the new path of a
 * rename (renames are not detected, so a move is a deletion and an addition). Undefined where the
 * checkout is no repository or lacks either commit (a shallow clone).
 */
export async function gitChangedFiles(workspace: string, base: string, head: string, signal?: AbortSignal): Promise<Set<string> | undefined> {
  if (!SHA.test(base) || !SHA.test(head)) return undefined
  try {
    await git(workspace, ['cat-file', '-e', `${base}^{commit}`], signal)
    await git(workspace, ['cat-file', '-e', `${head}^{commit}`], signal)
    // Three dots, from where they diverged, as GitHub's compare and a pull request's files count.
    const out = await git(workspace, ['diff', '--name-only', '--no-renames', '-z', `${base}...${head}`], signal)
    return new Set(out.split('\0').filter(Boolean))
  } catch {
    // A cancel ends the run; anything else says only that git cannot tell.
    if (signal?.aborted) throw abortReason(signal)
    return undefined
  }
}
