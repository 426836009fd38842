/** Text for people, shared by the summary and the pull request comment. */
import type { Mp4Facts } from './domain.js'

/**
 * Text safe inside HTML and its double-quoted attributes (and a Markdown table's cells). Line breaks
 * are written as entities too: a blank line inside an HTML block in Markdown would end it, and what
 * followed (an API message's `## heading` or `![image](…)`) would be read as Markdown.
 */
export const escapeHtml = (text: string): string => text.replace(/[<>&|"\r\n]/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Text from outside (an API message, a name) as one cell of a Markdown table inside HTML: on one line,
 * every character Markdown or HTML could read as syntax (a pipe, a bracket, a backtick, a heading, an
 * autolink's `:` `@` and `www.`, emphasis, an entity) written as a numeric entity, so it shows as
 * written and can add no heading, link, image or tag. Capped at `max` characters first.
 */
export function escapeCell(text: string, max = 200): string {
  const line = text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim()
  const capped = line.length > max ? `${line.slice(0, max - 1)}…` : line
  return capped.replace(/[^\p{L}\p{N} ,.\-/%+]|(?<=www)\./giu, (c) => `&#${c.codePointAt(0)};`)
}

/** A value from outside in a message: quoted, on one line (JSON escapes every control character), at most `max` characters. */
export const quotedValue = (text: string, max = 100): string => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)

/** What the file says it is: "3.5 s, 320×180, avc1 + mp4a". */
export function describeMp4({ durationSeconds, width, height, codecs }: Mp4Facts): string {
  const picture = width !== undefined && height !== undefined ? `, ${width}×${height}` : ''
  return `${durationSeconds.toFixed(1)} s${picture}${codecs.length ? `, ${codecs.join(' + ')}` : ''}`
}

/** A span of time as the inputs count it: `1.5 min`, whole minutes from ten on. */
export function formatMinutes(ms: number): string {
  return `${(ms / 60_000).toFixed(ms < 600_000 ? 1 : 0)} min`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/**
 * Text for a terminal or a log from whatever wrote it (an API message, a name, a file): escape
 * sequences (colours, cursor moves, OSC links and titles) removed, and every other control character
 * but newline and tab, with the Unicode marks that reorder text (bidi overrides), removed too; a
 * terminal shows it as written and can be made to do nothing else.
 */
export function terminalText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- escape sequences are exactly what is removed
      .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009d[^\u0007\u009c]*(?:\u0007|\u009c)?/g, '')
      // eslint-disable-next-line no-control-regex -- CSI (ESC [ or its one-byte form) and two-byte escapes
      .replace(/(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|\u001b[ -/]*[0-~]?/g, '')
      .replace(/[^\P{Cc}\n\t]|[\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
  )
}
