import type { Generation } from './domain.js'

/** How to pick up an export that a run started but did not finish, without paying for it again. */
export function resumeHint(exportKey: string, generation: Generation, entry?: string): string {
  const inputs = [entry ? `manifest-entry: ${entry}` : '', `resume: ${exportKey}`, generation === 'legacy' ? 'api-generation: legacy' : '']
  return (
    `Export ${exportKey} was accepted and may still be rendering (its credits are spent). To download it ` +
    `without exporting again, re-run this step with the input${entry ? 's' : ''} ${inputs.filter(Boolean).join(' and ')}.`
  )
}
