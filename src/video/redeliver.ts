import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Job, Log, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { artifactUrl, loadArtifactClient } from '../github/artifact-service.js'
import { abortReason, untilCancelled } from '../waits.js'
import { sha256File } from './digest.js'
import { freePath } from './download.js'
import type { DeliveredVideo } from './ledger.js'
import { readMp4Facts } from './mp4.js'

/** The delivered file inside the artifact (which may be zipped with others, in folders): found by name, checked by size and digest. */
function findFile(dir: string, name: string): string | undefined {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === name) return path.join(entry.parentPath, entry.name)
  }
  return undefined
}

/**
 * On a re-run attempt, a video an earlier attempt of this run delivered before `cleanup` deleted its
 * project: downloaded again from that attempt's artifact and checked against the ledger's size and
 * SHA-256, so nothing is exported or waited for. Fails the video (and sends nothing) when it cannot.
 */
export async function redeliver(result: VideoResult, delivered: DeliveredVideo, job: Job, log: Log, signal: AbortSignal): Promise<void> {
  result.stage = 'download'
  result.deliveredByAttempt = delivered.attempt
  fs.mkdirSync(job.outputDir, { recursive: true })
  const staging = fs.mkdtempSync(path.join(job.outputDir, '.aistudios-redeliver-'))
  try {
    // The artifact client takes no signal: a download past the video's deadline is left behind.
    await untilCancelled((await loadArtifactClient()).downloadArtifact(delivered.artifactId, { path: staging }), signal)
    // Unzipped, the video is saved under its artifact's name; zipped, under its own.
    const file = findFile(staging, delivered.file)
    if (!file) throw new Error(`it holds no file ${delivered.file}`)
    const size = fs.statSync(file).size
    if (size !== delivered.size) throw new Error(`its ${delivered.file} has ${size} bytes, where the ledger says ${delivered.size}`)
    if ((await sha256File(file)) !== delivered.sha256) throw new Error(`its ${delivered.file}'s SHA-256 differs from the ledger's`)
    const mp4 = readMp4Facts(file)
    // Where attempt 1 saved it, so a later step reading that path finds it again.
    const final = freePath(job.outputDir, result.spec.outputName ?? delivered.savedAs ?? delivered.file, log)
    fs.renameSync(file, final)
    result.video = { path: final, size, mp4 }
    result.sha256 = delivered.sha256
    // Still an artifact of this run: delivered again by reference, not uploaded under a name it already holds.
    result.artifact = {
      id: delivered.artifactId,
      name: delivered.artifactName,
      url: artifactUrl(delivered.artifactId, job.runner),
      zipped: delivered.zipped ?? false
    }
    result.status = 'downloaded'
    log.info(
      `Saved ${path.relative(job.runner.workspace, final)} (${size} bytes) from attempt ${delivered.attempt}'s artifact ${delivered.artifactName}`
    )
  } catch (error) {
    if (signal.aborted) throw abortReason(signal)
    throw new Error(
      `Attempt ${delivered.attempt} delivered this video (export ${result.exportKey}) as the artifact ${delivered.artifactName}, and 'cleanup' ` +
        `deleted its project, so it is neither waited for nor exported again; taking it from that artifact failed (${errorMessage(error)}). ` +
        `Download it from attempt ${delivered.attempt}'s artifacts, or run the workflow anew (a new run exports again)`,
      { cause: error }
    )
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}
