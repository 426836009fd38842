import * as core from '@actions/core'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { artifactServiceReachable, loadArtifactClient } from '../artifacts.js'
import type { Downloaded } from '../download/download.js'
import type { ArtifactSettings } from '../settings/settings.js'

export interface UploadedArtifact {
  id: number
  name: string
  url: string
  /** SHA-256 of the video itself, when it went up unzipped (the client hashes what it uploads). */
  videoSha256?: string
}

/**
 * The default artifact name: the video's name and its export key (unique per export, so matrix jobs
 * don't collide), plus the attempt on a re-run (which may re-attach to the same export).
 */
export function defaultArtifactName(videoPath: string, exportKey: string, runAttempt: string | undefined): string {
  const stem = path.basename(videoPath, path.extname(videoPath))
  return withAttempt(stem.includes(exportKey) ? stem : `${stem}-${exportKey}`, runAttempt)
}

/** The default name of one artifact holding several videos: unique to their export keys. */
export function defaultBatchArtifactName(exportKeys: string[], runAttempt: string | undefined): string {
  const digest = createHash('sha256').update(exportKeys.join('\n')).digest('hex').slice(0, 12)
  return withAttempt(`aistudios-videos-${digest}`, runAttempt)
}

function withAttempt(base: string, runAttempt: string | undefined): string {
  const attempt = Number(runAttempt)
  return (attempt > 1 ? `${base}-attempt-${attempt}` : base).replace(/["':<>|*?\\/\r\n]/g, '_')
}

export function artifactUrl(id: number, env: NodeJS.ProcessEnv): string {
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`
}

/** The artifact client, when uploading is asked for and possible (inside GitHub Actions). */
async function artifactClient(settings: ArtifactSettings) {
  if (!settings.enabled) return undefined
  if (!artifactServiceReachable()) {
    core.notice('Not running inside GitHub Actions (no ACTIONS_RUNTIME_TOKEN): the artifact upload was skipped')
    return undefined
  }
  return loadArtifactClient()
}

/** Uploads several videos as one zipped artifact (stored, not compressed: video does not compress). */
export async function uploadVideosArtifact(
  videos: Downloaded[],
  exportKeys: string[],
  rootDirectory: string,
  settings: ArtifactSettings
): Promise<UploadedArtifact | undefined> {
  const name = settings.name ?? defaultBatchArtifactName(exportKeys, process.env.GITHUB_RUN_ATTEMPT)
  return uploadZipped(name, videos, rootDirectory, settings)
}

async function uploadZipped(name: string, videos: Downloaded[], rootDirectory: string, settings: ArtifactSettings): Promise<UploadedArtifact | undefined> {
  const client = await artifactClient(settings)
  if (!client || videos.length === 0) return undefined
  const result = await client.uploadArtifact(
    name,
    videos.map((video) => video.path),
    rootDirectory,
    { retentionDays: settings.retentionDays, compressionLevel: 0 }
  )
  return { id: result.id ?? 0, name, url: artifactUrl(result.id ?? 0, process.env) }
}

/**
 * Uploads the video as a workflow artifact. Unzipped by default (skipArchive), so it plays in the
 * browser; the artifact then takes the file's name, so the file is linked under the artifact's name.
 */
export async function uploadVideoArtifact(
  video: Downloaded,
  exportKey: string,
  settings: ArtifactSettings
): Promise<UploadedArtifact | undefined> {
  const name = settings.name ?? defaultArtifactName(video.path, exportKey, process.env.GITHUB_RUN_ATTEMPT)
  if (settings.archive) return uploadZipped(name, [video], path.dirname(video.path), settings)
  const client = await artifactClient(settings)
  if (!client) return undefined
  const ext = path.extname(video.path)
  const fileName = name.endsWith(ext) ? name : `${name}${ext}`
  const staging = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'aistudios-'))
  const staged = path.join(staging, fileName)
  try {
    try {
      fs.linkSync(video.path, staged)
    } catch {
      fs.copyFileSync(video.path, staged) // another file system
    }
    const result = await client.uploadArtifact(fileName, [staged], staging, { retentionDays: settings.retentionDays, skipArchive: true })
    return { id: result.id ?? 0, name: fileName, url: artifactUrl(result.id ?? 0, process.env), videoSha256: result.digest }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
  }
}
