import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ArtifactSettings, Downloaded, RunnerEnv, UploadedArtifact } from '../domain.js'
import { artifactUrl, loadArtifactClient } from '../github/artifact-service.js'
import { group, notice } from '../log.js'

/**
 * The default artifact name: the video's name and its export key (unique per export, so matrix jobs
 * don't collide), plus the attempt on a re-run (which may re-attach to the same export).
 */
export function defaultArtifactName(videoPath: string, exportKey: string, runAttempt: number): string {
  const stem = path.basename(videoPath, path.extname(videoPath))
  return withAttempt(stem.includes(exportKey) ? stem : `${stem}-${exportKey}`, runAttempt)
}

/** The default name of one artifact holding several videos: unique to their export keys. */
export function defaultBatchArtifactName(exportKeys: string[], runAttempt: number): string {
  const digest = createHash('sha256').update(exportKeys.join('\n')).digest('hex').slice(0, 12)
  return withAttempt(`aistudios-videos-${digest}`, runAttempt)
}

function withAttempt(base: string, attempt: number): string {
  return (attempt > 1 ? `${base}-attempt-${attempt}` : base).replace(/["':<>|*?\\/\r\n]/g, '_')
}

/** The artifact client, when uploading is asked for and possible (inside GitHub Actions). */
async function artifactClient(settings: ArtifactSettings, runner: RunnerEnv) {
  if (!settings.enabled) return undefined
  if (!runner.artifactService) {
    notice('Not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN): the artifact upload was skipped')
    return undefined
  }
  return loadArtifactClient()
}

/** Uploads several videos as one zipped artifact (stored, not compressed: video does not compress). */
export async function uploadVideosArtifact(
  videos: Downloaded[],
  exportKeys: string[],
  rootDirectory: string,
  settings: ArtifactSettings,
  runner: RunnerEnv
): Promise<UploadedArtifact | undefined> {
  const name = settings.name ?? defaultBatchArtifactName(exportKeys, runner.runAttempt)
  return uploadZipped(name, videos, rootDirectory, settings, runner)
}

async function uploadZipped(
  name: string,
  videos: Downloaded[],
  rootDirectory: string,
  settings: ArtifactSettings,
  runner: RunnerEnv
): Promise<UploadedArtifact | undefined> {
  const client = await artifactClient(settings, runner)
  if (!client || videos.length === 0) return undefined
  const result = await group(`Artifact upload: ${name}`, () =>
    client.uploadArtifact(
      name,
      videos.map((video) => video.path),
      rootDirectory,
      { retentionDays: settings.retentionDays, compressionLevel: 0 }
    )
  )
  return { id: result.id ?? 0, name, url: artifactUrl(result.id ?? 0, runner), zipped: true }
}

/**
 * Uploads the video as a workflow artifact. Unzipped by default (skipArchive), so it plays in the
 * browser; the artifact then takes the file's name, so the file is linked under the artifact's name.
 * An `artifact-name` is always the artifact's exact name: without the video's ending (`.mp4`) the
 * artifact is zipped, as download-artifact finds it by that name.
 */
export async function uploadVideoArtifact(
  video: Downloaded,
  exportKey: string,
  settings: ArtifactSettings,
  runner: RunnerEnv
): Promise<UploadedArtifact | undefined> {
  const ext = path.extname(video.path)
  // An unzipped artifact takes its file's name: a chosen name without the video's ending is kept
  // exact by zipping instead (the video inside keeps its own name).
  const exact = settings.name !== undefined && !settings.name.endsWith(ext)
  const name = settings.name ?? defaultArtifactName(video.path, exportKey, runner.runAttempt)
  if (settings.archive || exact) return uploadZipped(name, [video], path.dirname(video.path), settings, runner)
  const client = await artifactClient(settings, runner)
  if (!client) return undefined
  const fileName = name.endsWith(ext) ? name : `${name}${ext}`
  const staging = fs.mkdtempSync(path.join(runner.tempDir, 'aistudios-'))
  const staged = path.join(staging, fileName)
  try {
    try {
      fs.linkSync(video.path, staged)
    } catch {
      fs.copyFileSync(video.path, staged) // another file system
    }
    // The client's own lines (validation, blob progress, digest) are folded under one heading.
    const result = await group(`Artifact upload: ${fileName}`, () =>
      client.uploadArtifact(fileName, [staged], staging, { retentionDays: settings.retentionDays, skipArchive: true })
    )
    return { id: result.id ?? 0, name: fileName, url: artifactUrl(result.id ?? 0, runner), videoSha256: result.digest, zipped: false }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}
