import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Job, Log, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import type { ArtifactLoader } from '../github/artifact-service.js'
import type { GitHub } from '../github/connect.js'
import { downloadReusable, findReusable } from '../github/reuse.js'
import { freePath } from './download.js'
import { readMp4Facts } from './mp4.js'

/**
 * With `reuse`, the video of an earlier run of this repository with the same request, downloaded
 * instead of exported: no credits spent. True when the result now holds it. Any trouble on the way
 * (no such video, an expired or unreadable one, a refused token) means exporting as usual, with a warning.
 */
export async function reuseEarlier(
  result: VideoResult,
  fingerprint: string,
  github: GitHub,
  artifacts: ArtifactLoader,
  job: Job,
  log: Log
): Promise<boolean> {
  let staging: string | undefined
  try {
    const reusable = await findReusable(github, fingerprint, job.runner, artifacts)
    if (!reusable) {
      log.info('reuse: no earlier run rendered this request; exporting it')
      return false
    }
    fs.mkdirSync(job.outputDir, { recursive: true })
    staging = fs.mkdtempSync(path.join(job.outputDir, '.aistudios-reuse-'))
    const downloaded = await downloadReusable(github, reusable, staging, artifacts)
    const mp4 = readMp4Facts(downloaded)
    const final = freePath(job.outputDir, result.spec.outputName ?? reusable.record.videoName, log)
    fs.renameSync(downloaded, final)
    result.video = { path: final, size: fs.statSync(final).size, mp4 }
    result.exportKey = reusable.record.exportKey
    result.generation = reusable.record.generation
    result.reusedFromRun = reusable.runId
    result.name = result.spec.name ?? path.basename(final)
    result.status = 'downloaded'
    log.notice(
      `reuse: run ${reusable.runId} already rendered this request (export ${reusable.record.exportKey}); its video was downloaded and nothing was exported`
    )
    return true
  } catch (error) {
    log.warning(`reuse: the earlier video could not be reused (${errorMessage(error)}); exporting anew`)
    return false
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true })
  }
}
