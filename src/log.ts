import * as core from '@actions/core'
import type { Log } from './domain.js'

/**
 * A line of text for the log that the runner cannot read as a workflow command, whatever it holds
 * (a name, an API message, a file's content): a line that starts with `::` is broken with a zero-width
 * space. Warnings, errors and notices need no such care: @actions/core escapes their newlines.
 */
export const plain = (text: string): string => text.replace(/^(\s*):(?=:)/gm, '$1:\u200b')

/** core.info for text that may hold anything from outside. */
export const info = (message: string): void => core.info(plain(message))

/** Log lines about one video: prefixed with its name in a batch (groups cannot interleave). */
export function videoLog(name?: string): Log {
  const line = (message: string): string => (name ? `[${name}] ${message}` : message)
  return {
    info: (message) => info(line(message)),
    warning: (message) => core.warning(line(message)),
    notice: (message) => core.notice(line(message)),
    group: (title, work) => (name ? work() : core.group(title, work))
  }
}
