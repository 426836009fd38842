import * as core from '@actions/core'

/** An info logger whose lines name the video when several render at once (a manifest's entries). */
export function labelled(label: string | undefined): (message: string) => void {
  return (message) => core.info(label ? `[${label}] ${message}` : message)
}
