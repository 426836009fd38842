import { EXPORT_ONLY_INPUTS } from '../job/inputs.js'
import type { FrontEnd } from '../resume.js'
import type { CliArgs } from './args.js'
import { cliName, cliSetting } from './wording.js'

/** The flags, as typed, that a resumed run refuses as unused: --no-wait, and what changes only a new export. */
const unusedWithResume = (typed: string): boolean =>
  typed === '--no-wait' || EXPORT_ONLY_INPUTS.some((input) => typed === `--${input}` || typed === cliName(input))

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`)

/**
 * How to run the command the user typed again with `inputs` set, in words that work when followed
 * literally: each flag to add (one already typed with that value is not added twice), and each typed
 * flag to leave out, as typed (one the hint sets anew, and what a resumed run refuses). Pure.
 */
export function resumeCommand(args: CliArgs, inputs: Array<[string, string]>): string {
  const added = inputs.filter(([input, value]) => args.inputs.get(input) !== value)
  const replaced = added.filter(([input]) => args.inputs.has(input)).map(([input]) => `--${input}`)
  const dropped = [...new Set([...replaced, ...args.typed.filter(unusedWithResume)])].map((flag) =>
    args.typed.filter((typed) => typed === flag).length > 1 ? `every ${flag}` : flag
  )
  const add = added.map(([input, value]) => cliSetting(input, value) ?? `--${input} ${value}`).join(' ')
  const leave = dropped.length ? `leaving out ${listed(dropped)}` : ''
  if (!add) return `run the same command again${leave ? `, ${leave}` : ''}`
  return `run the same command again with ${add} added${leave ? `, ${leave}` : ''}`
}

/** The CLI as a front end of the resume advice: in the flags of the command as it was typed. */
export const cliFrontEnd = (args: CliArgs): FrontEnd => ({
  resumeWith: (inputs) => resumeCommand(args, inputs),
  again: 'run the same command again',
  rerunsJobs: false
})
