import * as core from '@actions/core'
import type { Log } from './domain.js'
import { terminalText } from './text.js'

/**
 * Where the shared steps' lines go. In the action, the runner's log, through @actions/core's workflow
 * commands; the CLI puts a terminal's in its place. Reports and deliveries stay the action's own.
 */
export interface Sink {
  info(message: string): void
  warning(message: string): void
  notice(message: string): void
  error(message: string, where?: core.AnnotationProperties): void
  /** Hides a secret in everything printed after. */
  mask(secret: string): void
  group<T>(title: string, work: () => Promise<T>): Promise<T>
  /** A render's progress: a line in a log, a bar on a terminal. */
  progress(percent: number, message: string): void
}

/**
 * A line of text for the log that the runner cannot read as a workflow command, whatever it holds
 * (a name, an API message, a file's content): a line that starts with `::` is broken with a zero-width
 * space. Warnings, errors and notices need no such care: @actions/core escapes their newlines.
 */
export const plain = (text: string): string => text.replace(/^(\s*):(?=:)/gm, '$1:\u200b')

/** The shortest secret replaced in what the action writes. */
const MIN_REDACTED = 4

/** Every secret masked so far; what the runner hides in its log is hidden from what the action writes too. */
const secrets: string[] = []

/**
 * `text` with every masked secret (as written, URL-encoded and JSON-escaped) replaced by ***: for what
 * the action itself writes where the runner's masking does not reach (outputs, the summary, comments,
 * records). An API that echoes a key in its message cannot carry it out.
 */
export function redact(text: string): string {
  let shown = text
  // A value this short is no real credential (a test's `u`); hiding it would garble every message.
  for (const secret of secrets.filter((value) => value.length >= MIN_REDACTED)) {
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) shown = shown.split(form).join('***')
  }
  return shown
}

const actionsSink: Sink = {
  info: (message) => core.info(plain(terminalText(message))),
  warning: (message) => core.warning(terminalText(message)),
  notice: (message) => core.notice(terminalText(message)),
  error: (message, where) => core.error(terminalText(message), where),
  mask: (secret) => core.setSecret(secret),
  group: (title, work) => core.group(terminalText(title), work),
  progress: (_percent, message) => core.info(plain(terminalText(message)))
}

let sink: Sink = actionsSink

/** Sends every line from here on to another sink (the CLI's terminal). */
export function useSink(other: Sink): void {
  sink = other
}

export const info = (message: string): void => sink.info(message)
export const warning = (message: string): void => sink.warning(message)
export const notice = (message: string): void => sink.notice(message)
export const errorLine = (message: string, where?: core.AnnotationProperties): void => sink.error(message, where)
export function mask(secret: string): void {
  if (!secret) return
  secrets.push(secret)
  sink.mask(secret)
}
export const group = <T>(title: string, work: () => Promise<T>): Promise<T> => sink.group(title, work)

/** Log lines about one video: prefixed with its name in a batch (groups cannot interleave). */
export function videoLog(name?: string): Log {
  const line = (message: string): string => (name ? `[${name}] ${message}` : message)
  return {
    info: (message) => sink.info(line(message)),
    warning: (message) => sink.warning(line(message)),
    notice: (message) => sink.notice(line(message)),
    progress: (percent, message) => sink.progress(percent, line(message)),
    group: (title, work) => (name ? work() : sink.group(title, work))
  }
}

/** Workflow commands whose message is for people (a prefix may go before it); the others carry data (a mask, state). */
const FOR_PEOPLE = /^::(?:debug|notice|warning|error|group)(?: [^:]*)?::/

/** One line of stdout with `prefix` before what people read: after a workflow command's `::name::`, never inside another command. */
export function prefixLine(line: string, prefix: string): string {
  if (!line) return line
  const command = FOR_PEOPLE.exec(line)?.[0]
  if (command) return `${command}${prefix}${line.slice(command.length)}`
  return line.startsWith('::') ? line : `${prefix}${line}`
}

/**
 * Runs `work` with every line written to stdout starting with `[name] `: for a library that logs through
 * @actions/core itself (the artifact client), so in a batch its lines name their video too. Only around
 * work that runs alone: a line anything else wrote meanwhile would carry the name as well.
 */
export async function withVideoName<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!name) return work()
  const stdout = process.stdout
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back exactly as it was, below
  const original = stdout.write
  const write = original.bind(stdout) as (chunk: string, ...rest: unknown[]) => boolean
  stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return write(
      text
        .split('\n')
        .map((line) => prefixLine(line, `[${name}] `))
        .join('\n'),
      ...rest
    )
  }
  try {
    return await work()
  } finally {
    stdout.write = original
  }
}
