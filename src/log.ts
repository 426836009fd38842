import * as core from '@actions/core'
import type { Log } from './domain.js'

/** Log lines about one video: prefixed with its name in a batch (groups cannot interleave). */
export function videoLog(name?: string): Log {
  const line = (message: string): string => (name ? `[${name}] ${message}` : message)
  return {
    info: (message) => core.info(line(message)),
    warning: (message) => core.warning(line(message)),
    notice: (message) => core.notice(line(message))
  }
}
