/** One download by this action's downloader, in a process of its own; prints the milliseconds it took. */
import * as fs from 'node:fs'
import { videoLog } from '../src/log.ts'
import { downloadVideo } from '../src/video/download.ts'

const [url, outputDir] = process.argv.slice(2)
const started = performance.now()
const video = await downloadVideo(url, {
  outputDir,
  fallbackStem: 'bench',
  requestTimeoutMs: 30_000,
  maxBytes: 2 ** 40,
  allowLoopback: true,
  refreshUrl: () => Promise.resolve(url),
  log: videoLog()
})
console.log(Math.round(performance.now() - started))
fs.rmSync(video.path)
