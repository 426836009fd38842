import * as core from '@actions/core'
import * as path from 'node:path'
import { deliverOnGitHub } from '../deliver/github.js'
import { connectGitHub } from '../github/connect.js'
import { needsGitHub, readGitHubSettings } from '../settings/delivery.js'
import { changedEntries } from './changed.js'
import { uploadVideoArtifact, uploadVideosArtifact } from '../deliver/artifact.js'
import { videoSha256 } from '../download/checksum.js'
import { setVideosOutput, writeBatchSummary, writePlan } from '../report/batch.js'
import { readBatchOptions, readManifest, selectEntries } from '../settings/manifest.js'
import type { InputReader } from '../settings/settings.js'
import { notDelivered, renderAll } from './batch.js'

/** manifest → entries (all validated) → only what changed → render each → deliver → report; exit 1 if any failed. */
export async function produceBatch(get: InputReader, workspace: string, signal: AbortSignal): Promise<void> {
  const options = readBatchOptions(get)
  const githubSettings = readGitHubSettings(get)
  let entries = selectEntries(readManifest(get, workspace), get)
  const github = needsGitHub(githubSettings) ? await connectGitHub(githubSettings) : undefined
  if (githubSettings.onlyChanged && github) {
    entries = await changedEntries(github, entries, path.resolve(workspace, get('manifest').trim()), workspace)
    if (entries.length === 0) return core.notice('only-changed: no video\'s inputs changed; nothing was rendered')
  }
  if (options.plan) return writePlan(entries)

  const results = await renderAll(entries, options, signal)
  const done = results.filter((result) => result.status === 'downloaded')
  const artifact = entries[0].settings.artifact
  if (options.artifactPerVideo || entries.length === 1) {
    for (const result of done) {
      const { video, exportKey } = result.outcome
      if (video && exportKey) result.outcome.artifact = await uploadVideoArtifact(video, exportKey, artifact)
    }
  } else {
    const shared = await uploadVideosArtifact(
      done.flatMap((result) => result.outcome.video ?? []),
      done.flatMap((result) => result.outcome.exportKey ?? []),
      entries[0].settings.outputDir,
      artifact
    )
    for (const result of done) result.outcome.artifact = shared
  }
  for (const result of done) {
    const { video, artifact: uploaded } = result.outcome
    if (video) result.outcome.sha256 = await videoSha256(video, uploaded)
  }
  await deliverOnGitHub(github, githubSettings, results)
  setVideosOutput(results)
  await writeBatchSummary(results)
  const failed = results.filter(notDelivered)
  if (failed.length > 0) {
    core.setFailed(`${failed.length} of ${results.length} video(s) were not delivered: ${failed.map((r) => r.name).join(', ')}`)
  }
}
