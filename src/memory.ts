import * as v8 from 'node:v8'
import * as vm from 'node:vm'

const COLLECT_EVERY_BYTES = 16 << 20

/**
 * Every socket or file read is a fresh Buffer that only garbage collection frees; left to itself V8
 * lets tens of MB of them pile up during a long transfer. A minor collection every 16 MiB keeps
 * memory flat whatever the video's size, and a download faster, as freed buffers are reused while
 * still warm (bench/RESULTS.md). The runner starts node without flags, so the collector is exposed
 * here. Returns the function to call with each count of bytes moved.
 */
export function collectAsBytesMove(): (count: number) => void {
  v8.setFlagsFromString('--expose-gc')
  const collect = vm.runInNewContext('gc') as (options: { type: 'minor' }) => void
  let since = 0
  return (count) => {
    since += count
    if (since >= COLLECT_EVERY_BYTES) {
      since = 0
      collect({ type: 'minor' })
    }
  }
}
