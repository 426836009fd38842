import type { Generation } from '../api/types.js'

/** How to pick up an export that a run started but did not finish, without paying for it again. */
export function resumeHint(exportKey: string, generation: Generation): string {
  const legacy = generation === 'legacy' ? ' and api-generation: legacy' : ''
  return (
    `Export ${exportKey} was accepted and may still be rendering (its credits are spent). To download it ` +
    `without exporting again, re-run this step with the input resume: ${exportKey}${legacy}.`
  )
}
