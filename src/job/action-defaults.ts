import type { InputReader } from './parse.js'

/**
 * The defaults action.yml declares (a test keeps the two equal). The runner sets every one of them on
 * every run, whether the step gives the input or not; `${{ github.token }}` is evaluated by the runner and
 * so is not listed.
 */
export const ACTION_DEFAULTS: Readonly<Record<string, string>> = {
  plan: 'false',
  collect: 'false',
  'max-jobs': '256',
  'max-parallel': '3',
  'fail-fast': 'false',
  'artifact-per-video': 'false',
  'api-url': 'https://app.aistudios.com',
  'api-generation': 'auto',
  'poll-interval': 'auto',
  timeout: '30',
  'stall-timeout': '10',
  'request-timeout': '30',
  'max-video-size': '4096',
  wait: 'true',
  'resume-mismatch': 'refuse',
  'output-dir': 'videos',
  'upload-artifact': 'true',
  archive: 'false',
  'only-changed': 'false',
  'release-upload': 'false',
  'release-replace': 'false',
  comment: 'false',
  reuse: 'false',
  'reuse-from': 'branch-or-default',
  cleanup: 'false',
  'dry-run': 'false',
  draft: 'false',
  'from-draft': 'false'
}

/**
 * The step's inputs as the user gave them: a value equal to its action.yml default reads as not given,
 * since the runner sets it on every run and cannot tell the two apart. So no check of the kind "applies
 * only with X" ever refuses a default, and each parser's fallback (the same value) stands in. Pure.
 */
export function asGiven(get: InputReader): InputReader {
  return (name) => {
    const value = get(name)
    const fallback = ACTION_DEFAULTS[name]
    if (fallback === undefined) return value
    // A keyword reads the same in any case (True, AUTO); a folder or URL does not (Videos is not videos).
    const same = KEYWORD.test(fallback) ? value.trim().toLowerCase() === fallback : value.trim() === fallback
    return same ? '' : value
  }
}

/** The defaults their parsers read in any case: booleans and choices. */
const KEYWORD = /^(true|false|auto|refuse|branch-or-default)$/
