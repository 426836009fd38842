/** One download by this action's downloader, in a process of its own; prints the milliseconds it took. */
import * as fs from 'node:fs'
import { downloadVideo } from '../src/download/download.ts'

const [url, outputDir] = process.argv.slice(2)
const started = performance.now()
const video = await downloadVideo(url, { outputDir, fallbackStem: 'bench', requestTimeoutMs: 30_000, refreshUrl: async () => url })
console.log(Math.round(performance.now() - started))
fs.rmSync(video.path)
