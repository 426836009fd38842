import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Job, Log, VideoResult } from '../domain.js'
import { errorMessage } from '../errors.js'
import { abortReason, untilCancelled, withDeadline } from '../waits.js'
import { formatMinutes } from '../text.js'
import type { GitHub } from '../github/connect.js'
import { downloadReusable, listCandidates, readRecord, workflowRun, type Candidate, type ReuseRecord } from '../github/reuse.js'
import { distrust, thisRun, type ThisRun } from '../github/reuse-trust.js'
import { sha256File } from './digest.js'
import { freePath } from './download.js'
import { readMp4Facts } from './mp4.js'

/**
 * Which earlier videos a step takes, beside its own request's: a reviewed draft's, with the review's
 * edits, `never` (no `from-draft`: such a video is not what the step makes), `also` (`from-draft: true`)
 * or `only` (`from-draft: required`); and, when the step knows its draft, that draft's only.
 */
export interface ReuseTakes {
  reviewed: 'never' | 'also' | 'only'
  draft?: string
}

/** Why a record's video is not one the step takes, if it is not. */
function notTaken({ reviewedDraft }: ReuseRecord, { reviewed, draft }: ReuseTakes): string | undefined {
  if (reviewedDraft === undefined)
    return reviewed === 'only' ? "its video was not exported from a reviewed draft ('from-draft' is required)" : undefined
  if (reviewed === 'never')
    return `its video was exported from reviewed draft ${reviewedDraft}, with the review's edits, and this step takes no drafts`
  if (draft !== undefined && reviewedDraft !== draft)
    return `its video was exported from draft ${reviewedDraft}, not this request's reviewed draft ${draft}`
  return undefined
}

/**
 * An earlier run's record, checked: the run is trusted (this repository's code, on a trusted ref), its
 * record parses and names that same run's unexpired artifact, and it is a video the step takes (`takes`).
 * Throws why not.
 */
async function trustedRecord(
  github: GitHub,
  candidate: Candidate,
  here: ThisRun,
  fingerprint: string,
  job: Job,
  until: AbortSignal,
  takes: ReuseTakes
): Promise<ReuseRecord> {
  const refused = distrust(await workflowRun(github, candidate.runId), here, job.github.reuseFrom)
  if (refused) throw new Error(refused)
  // The artifact client takes no signal: its downloads are left behind when `until` ends the wait.
  const record: ReuseRecord = await untilCancelled(readRecord(github, candidate, fingerprint, job.runner), until)
  const refusedAs = notTaken(record, takes)
  if (refusedAs) throw new Error(refusedAs)
  return record
}

/**
 * A dry run's reuse: the run whose trusted record of this request a run would take its video from, read
 * but not downloaded; undefined when there is none (each passed over is named in a warning).
 */
export async function findReusable(
  fingerprint: string,
  github: GitHub,
  job: Job,
  log: Log,
  signal: AbortSignal | undefined,
  takes: ReuseTakes
): Promise<number | undefined> {
  const { signal: until } = withDeadline(job.wait.timeoutMs, signal)
  const here = thisRun(github.context)
  for (const candidate of await listCandidates(github, fingerprint, job.runner, until)) {
    try {
      await trustedRecord(github, candidate, here, fingerprint, job, until, takes)
      return candidate.runId
    } catch (error) {
      if (until.aborted) throw error
      log.warning(`reuse: the video of run ${candidate.runId} would not be reused: ${errorMessage(error)}`)
    }
  }
  return undefined
}

/**
 * One earlier run's video, checked at every step: its record (trustedRecord), and the downloaded bytes,
 * which must match the record's size and SHA-256. Returns the record and the file in `staging`; throws why not.
 */
async function fetchTrusted(
  github: GitHub,
  candidate: Candidate,
  here: ThisRun,
  fingerprint: string,
  job: Job,
  staging: string,
  until: AbortSignal,
  takes: ReuseTakes
) {
  const record = await trustedRecord(github, candidate, here, fingerprint, job, until, takes)
  const file = await untilCancelled(downloadReusable(github, record, candidate.runId, staging), until)
  const size = fs.statSync(file).size
  if (size !== record.size) throw new Error(`its video has ${size} bytes, where its record says ${record.size}`)
  if ((await sha256File(file)) !== record.sha256) throw new Error("its video's SHA-256 differs from its record's")
  return { record, file }
}

/**
 * With `reuse`, the video of an earlier trusted run of this repository with the same request,
 * downloaded instead of exported: no credits spent. True when the result now holds it. A run that is
 * not trusted, or whose record or video does not check out, is passed over with a warning naming it;
 * with none left, the video is exported as usual.
 */
export async function reuseEarlier(
  result: VideoResult,
  fingerprint: string,
  github: GitHub,
  job: Job,
  log: Log,
  signal?: AbortSignal,
  /** Only a video exported from a reviewed draft will do (`from-draft: required` with no draft found). */
  takes: ReuseTakes = { reviewed: 'never' }
): Promise<boolean> {
  // Looking is bounded like the wait it stands in for, by 'timeout'; a stop ends it and the video.
  const { deadline: bound, signal: until } = withDeadline(job.wait.timeoutMs, signal)
  let candidates: Candidate[]
  try {
    candidates = await listCandidates(github, fingerprint, job.runner, until)
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal)
    const why = bound.aborted ? `no answer within 'timeout' (${formatMinutes(job.wait.timeoutMs)})` : errorMessage(error)
    log.warning(`reuse: earlier runs' videos could not be looked up (${why}); exporting anew`)
    return false
  }
  const here = thisRun(github.context)
  for (const candidate of candidates) {
    fs.mkdirSync(job.outputDir, { recursive: true })
    const staging = fs.mkdtempSync(path.join(job.outputDir, '.aistudios-reuse-'))
    try {
      const { record, file } = await fetchTrusted(github, candidate, here, fingerprint, job, staging, until, takes)
      const mp4 = readMp4Facts(file)
      const final = freePath(job.outputDir, result.spec.outputName ?? record.videoName, log)
      fs.renameSync(file, final)
      result.video = { path: final, size: record.size, mp4 }
      result.exportKey = record.exportKey
      result.generation = record.generation
      result.reusedFromRun = candidate.runId
      result.status = 'downloaded'
      log.notice(
        `reuse: run ${candidate.runId} already rendered this request (export ${record.exportKey}); its video was downloaded and nothing was exported`
      )
      return true
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal)
      if (bound.aborted) {
        log.warning(`reuse: no earlier run's video came within 'timeout' (${formatMinutes(job.wait.timeoutMs)}); exporting anew`)
        return false
      }
      log.warning(`reuse: the video of run ${candidate.runId} was not reused: ${errorMessage(error)}`)
    } finally {
      fs.rmSync(staging, { recursive: true, force: true })
    }
  }
  log.info(
    candidates.length
      ? 'reuse: no earlier run could be trusted with this request; exporting it'
      : 'reuse: no earlier run rendered this request; exporting it'
  )
  return false
}
