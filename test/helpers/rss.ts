import type { ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'

/** Peak resident set (VmHWM) of a live process, in kB; 0 once it is gone (a zombie has none). */
function peakRssKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** Samples a child's peak RSS until it exits; read `.kb` afterwards. Linux only (/proc). */
export function watchPeakRss(child: ChildProcess): { kb: number } {
  const peak = { kb: 0 }
  const timer = setInterval(() => {
    peak.kb = Math.max(peak.kb, peakRssKb(child.pid ?? -1))
  }, 20)
  child.on('exit', () => clearInterval(timer))
  return peak
}
