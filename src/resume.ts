import type { Generation } from './domain.js'

/** Who tells the user how to resume: the action (its step's inputs) or the CLI (its flags). */
export type FrontEnd = 'action' | 'cli'

/** How each front end writes the inputs that resume an export, and what to do with them. */
const HOW: Record<FrontEnd, (inputs: Array<[string, string]>) => string> = {
  action: (inputs) =>
    `re-run this step with the input${inputs.length > 1 ? 's' : ''} ${inputs.map(([name, value]) => `${name}: ${value}`).join(' and ')}`,
  cli: (inputs) => `run the same command again with ${inputs.map(([name, value]) => `--${name} ${value}`).join(' ')}`
}

/** How to pick up an export that a run started but did not finish, without paying for it again. */
export function resumeHint(exportKey: string, generation: Generation, entry?: string, frontEnd: FrontEnd = 'action'): string {
  const inputs: Array<[string, string]> = [
    ...(entry ? [['manifest-entry', entry] as [string, string]] : []),
    ['resume', exportKey],
    ...(generation === 'legacy' ? [['api-generation', 'legacy'] as [string, string]] : [])
  ]
  return `Export ${exportKey} was accepted and may still be rendering (its credits are spent). To download it without exporting again, ${HOW[frontEnd](inputs)}.`
}
