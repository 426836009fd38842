import { plain, type Sink } from '../log.js'
import { terminalText } from '../text.js'

/**
 * The CLI's sink: plain lines, warnings and errors on stderr, a progress bar drawn in place on a
 * terminal (a line each time otherwise), and every masked secret replaced by *** in all it prints.
 * Text is printed without control characters, and a line that starts with `::` is broken, as in the
 * action: the CLI may itself run in a workflow step, where its output is the runner's log. Lines are
 * `reworded` (the action's input names as the CLI user sets them); a block of lines (a dry run's
 * request) is printed as it is.
 */
export function terminalSink(out: NodeJS.WriteStream, err: NodeJS.WriteStream, reword: (text: string) => string = (text) => text): Sink {
  const secrets: string[] = []
  let barShown = false
  const hide = (text: string): string => secrets.reduce((shown, secret) => shown.split(secret).join('***'), text)
  const write = (stream: NodeJS.WriteStream, text: string): void => {
    if (barShown) {
      out.write('\n')
      barShown = false
    }
    stream.write(`${plain(terminalText(hide(text)))}\n`)
  }
  return {
    // A block of lines (a dry run's request) is data, printed as it is; a line is the action's words.
    info: (message) => write(out, message.includes('\n') ? message : reword(message)),
    warning: (message) => write(err, `warning: ${reword(message)}`),
    notice: (message) => write(out, `note: ${reword(message)}`),
    error: (message) => write(err, `error: ${reword(message)}`),
    mask: (secret) => void (secret && secrets.push(secret)),
    group: async (title, work) => {
      write(out, `── ${title}`)
      return work()
    },
    progress: (percent, message) => {
      if (!out.isTTY) return write(out, message)
      const width = 30
      const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width)
      out.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${terminalText(hide(message)).replace(/\n/g, ' ')}\u001b[K`)
      barShown = true
    }
  }
}
