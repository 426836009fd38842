import * as fs from 'node:fs'
import type { ApiConfig, ArtifactSettings, BatchOptions, Credentials, Job, RunnerEnv, VideoSpec, WaitSettings } from '../domain.js'
import { InputError } from '../errors.js'
import { readGitHubSettings } from './github-settings.js'
import { entryNames, readManifest, refuseOneVideoInputs, selectEntries } from './manifest.js'
import { readPipeline } from './pipeline.js'
import { checkOutputDirNames, probeOutputDir } from './output-dir.js'
import { parseBoolean, parseChoice, parseNumber, parseUrl, resolveInWorkspace, type InputReader } from './parse.js'
import { windowsUnsafe } from '../schemas.js'
import { videoGeneration } from './template-shape.js'
import { inlineInputs, readVideoSpec } from './video-spec.js'
import { mask, warning } from '../log.js'
import { MAX_MATRIX_JOBS } from './plan.js'

const DEFAULT_V3_URL = 'https://app.aistudios.com'
/** The legacy API's current host; `https://aistudios.com` is the retired one (the API contract, section 1). */
const DEFAULT_LEGACY_URL = 'https://v2.aistudios.com'

/** Reads the secrets first and masks them before anything else can print them. */
function readCredentials(get: InputReader): Credentials {
  const apiKey = get('api-key').trim()
  const appId = get('app-id').trim()
  const userKey = get('user-key').trim()
  // The app ID is half of a credential pair: hidden like the key, so an echo of it gives nothing away.
  for (const secret of [apiKey, appId, userKey]) if (secret) mask(secret)
  // A header cannot carry a newline or a space: refused here rather than failing (and retried) as a network error.
  for (const [input, value] of [
    ['api-key', apiKey],
    ['app-id', appId],
    ['user-key', userKey]
  ]) {
    if (/[^\x21-\x7e]/.test(value))
      throw new InputError(input, 'holds a space, a newline or another character a credential cannot have; check the secret')
  }
  if (apiKey && (appId || userKey)) {
    throw new InputError('api-key', "give either 'api-key' or 'app-id' with 'user-key', not both")
  }
  if (apiKey) return { apiKey }
  if (appId && userKey) return { appId, userKey }
  if (appId || userKey) {
    throw new InputError(appId ? 'user-key' : 'app-id', "'app-id' and 'user-key' must be given together")
  }
  throw new InputError('api-key', "required: set 'api-key' (or 'app-id' and 'user-key') from a repository secret")
}

function readApi(get: InputReader): ApiConfig {
  const credentials = readCredentials(get)
  const v3Url = parseUrl('api-url', get('api-url').trim() || DEFAULT_V3_URL)
  const legacyRaw = get('legacy-api-url').trim()
  const requestTimeoutSeconds = parseNumber('request-timeout', get('request-timeout'), 30, { min: 1, max: 600, unit: 'seconds' })
  return {
    v3Url,
    // The legacy API lives on its own host; a custom api-url (a proxy, a simulator) serves both unless told.
    legacyUrl: legacyRaw
      ? parseUrl('legacy-api-url', legacyRaw)
      : v3Url.origin === new URL(DEFAULT_V3_URL).origin
        ? new URL(DEFAULT_LEGACY_URL)
        : v3Url,
    credentials,
    requestTimeoutMs: requestTimeoutSeconds * 1000
  }
}

function readWait(get: InputReader): WaitSettings {
  const interval = get('poll-interval').trim().toLowerCase()
  const pollFloorSeconds =
    interval === '' || interval === 'auto' ? 1 : parseNumber('poll-interval', interval, 1, { min: 1, max: 600, unit: 'seconds (or auto)' })
  const timeoutMinutes = parseNumber('timeout', get('timeout'), 30, { min: 0.1, max: 360, unit: 'minutes' })
  const stallMinutes = parseNumber('stall-timeout', get('stall-timeout'), 10, { min: 0.1, max: 360, unit: 'minutes' })
  return { pollFloorMs: pollFloorSeconds * 1000, timeoutMs: timeoutMinutes * 60_000, stallTimeoutMs: stallMinutes * 60_000 }
}

/** Characters the artifact service refuses in a name, and control characters, which no file may hold. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a name must not hold
const BAD_ARTIFACT_CHARS = /["':<>|*?\\/\u0000-\u001f\u007f]/

function readArtifact(get: InputReader): ArtifactSettings {
  const name = get('artifact-name').trim()
  if (BAD_ARTIFACT_CHARS.test(name)) {
    throw new InputError(
      'artifact-name',
      // eslint-disable-next-line no-control-regex -- shown without them
      `'${name.replace(/[\u0000-\u001f\u007f]/g, ' ')}' contains a character artifacts cannot have (" : < > | * ? \\ / or a control character)`
    )
  }
  // download-artifact saves an artifact as a folder (or file) of its name, which Windows must be able to hold.
  const written = get('artifact-name').replace(/^\s+|\n+$/g, '')
  const unsafe = windowsUnsafe(written)
  if (name && unsafe) throw new InputError('artifact-name', `'${written}' ${unsafe}; choose another name`)
  const retention = get('retention-days').trim()
  return {
    enabled: parseBoolean('upload-artifact', get('upload-artifact'), true),
    name: name || undefined,
    archive: parseBoolean('archive', get('archive'), false),
    retentionDays: retention ? parseNumber('retention-days', retention, 0, { min: 1, max: 90, integer: true, unit: 'days' }) : undefined
  }
}

function readBatch(get: InputReader): BatchOptions {
  return {
    maxParallel: parseNumber('max-parallel', get('max-parallel'), 3, { min: 1, max: 20, integer: true, unit: 'videos' }),
    failFast: parseBoolean('fail-fast', get('fail-fast'), false),
    artifactPerVideo: parseBoolean('artifact-per-video', get('artifact-per-video'), false),
    maxJobs: parseNumber('max-jobs', get('max-jobs'), MAX_MATRIX_JOBS, { min: 1, max: MAX_MATRIX_JOBS, integer: true, unit: 'jobs' })
  }
}

/** What only a new export uses: with `resume` nothing is exported, so these would change nothing. */
export const EXPORT_ONLY_INPUTS: readonly string[] = ['tags', 'resolution', 'workspace-id', 'webhook-url']
/** What describes the video a resumed export is checked against; without a project or template to check, unused. */
const CHECKED_INPUTS = ['script', 'script-file', 'scripts', 'scripts-file', 'scripts-dir', 'variables', 'variables-file', 'name']

/** The step's own video with `resume`: an input it makes unused is refused by name, not dropped. */
function refuseUnusedWithResume(get: InputReader): void {
  if (!get('resume').trim()) return
  const source = get('project-id').trim() || get('template').trim()
  const unused = [...EXPORT_ONLY_INPUTS, ...(source ? [] : CHECKED_INPUTS)].find((input) => get(input).trim())
  if (!unused) return
  const why = EXPORT_ONLY_INPUTS.includes(unused)
    ? 'it changes a new export, and none is made'
    : "it describes the video to export, and none is made (give the 'project-id' or 'template' it was made from to have the export checked against it)"
  throw new InputError(unused, `'resume' downloads an export already made, so '${unused}' would change nothing: ${why}; drop it`)
}

/** The saved projects the videos name (their own, or a resumed export's source). */
const savedProjectsOf = (videos: VideoSpec[]): string[] =>
  videos.flatMap(({ source }) => {
    const made = source.kind === 'resume' ? source.of : source
    return made?.kind === 'project' ? [made.projectId] : []
  })

/** The videos: a manifest's entries (all, or the one `manifest-entry` names), or the step's own inputs as a plan of one. */
function readVideos(get: InputReader, workspace: string, plan: boolean): { videos: VideoSpec[]; manifest?: string; all?: VideoSpec[] } {
  if (get('manifest').trim()) {
    refuseOneVideoInputs(get)
    const manifest = readManifest(get, workspace)
    return { videos: selectEntries(manifest.videos, get), manifest: manifest.path, all: manifest.videos }
  }
  if (plan) throw new InputError('plan', "a plan lists the videos of a 'manifest'; set 'manifest'")
  if (get('manifest-entry').trim()) throw new InputError('manifest-entry', "names a video of a 'manifest'; set 'manifest'")
  if (get('pipeline').trim()) throw new InputError('pipeline', "names the batch pipeline of a 'manifest''s plan; set 'manifest'")
  refuseUnusedWithResume(get)
  return { videos: [{ ...readVideoSpec(get, workspace), inline: inlineInputs(get) }] }
}

/**
 * The legacy API takes only its own secret key: a v3 token bought with `app-id`/`user-key` would be
 * sent to it and refused, with the app ID blamed. Refused before anything is sent.
 */
function refuseTokensForLegacy(credentials: Credentials, videos: VideoSpec[]): void {
  if (!('appId' in credentials)) return
  const legacy = videos.find((video) => videoGeneration(video) === 'legacy')
  if (!legacy) return
  const source = legacy.source
  const what =
    source.kind === 'template'
      ? `template ${source.template.name}`
      : source.kind === 'resume'
        ? `export ${source.key}`
        : `project ${source.projectId}`
  throw new InputError(
    'api-key',
    `the legacy API takes its secret key in \`api-key\`, and ${legacy.name ? `video '${legacy.name}' (${what})` : what} goes to the legacy API; ` +
      "'app-id' and 'user-key' buy v3 tokens, which it does not accept. Set 'api-key' to the legacy API's secret key instead (and drop 'app-id' and 'user-key')"
  )
}

function readMaxVideos(get: InputReader): number | undefined {
  const raw = get('max-videos').trim()
  return raw ? parseNumber('max-videos', raw, 0, { min: 0, max: 10_000, integer: true, unit: 'exports' }) : undefined
}

/** Whether the step plans a matrix (`plan`) instead of rendering. */
export const isPlan = (get: InputReader): boolean => parseBoolean('plan', get('plan'), false)

/** Turns the step's inputs into one validated job; nothing is sent before this succeeds. */
export function readJob(get: InputReader, runner: RunnerEnv): Job {
  const api = readApi(get)
  const batch = readBatch(get)
  const plan = isPlan(get)
  checkOutputDirNames(get('output-dir').trim())
  const outputDir = resolveInWorkspace('output-dir', get('output-dir').trim() || 'videos', runner.workspace)
  if (fs.existsSync(outputDir) && !fs.statSync(outputDir).isDirectory())
    throw new InputError('output-dir', `'${get('output-dir').trim()}' is a file, not a folder`)
  const { videos, manifest, all = videos } = readVideos(get, runner.workspace, plan)
  refuseTokensForLegacy(api.credentials, videos)
  // A plan writes nothing; every other run writes there, so it is tried now, before anything is paid for.
  if (!plan) probeOutputDir(outputDir, get('output-dir').trim() || 'videos')
  const waitForRender = parseBoolean('wait', get('wait'), true)
  if (!waitForRender && videos.some((video) => video.source.kind === 'resume')) {
    throw new InputError('wait', "'wait: false' with 'resume' would neither export nor download; drop one of them")
  }
  const resumeMismatch = parseChoice('resume-mismatch', get('resume-mismatch'), ['refuse', 'accept'] as const) ?? 'refuse'
  if (get('resume-mismatch').trim() && !videos.some((video) => video.source.kind === 'resume')) {
    throw new InputError('resume-mismatch', "applies only to a resumed export; set 'resume' or drop it")
  }
  const draft = parseBoolean('draft', get('draft'), false)
  const fromDraft = get('from-draft').trim()
  if (draft && fromDraft && fromDraft !== 'false') {
    throw new InputError(
      'from-draft',
      "is for the run that exports the reviewed drafts, and 'draft' is true: this run saves drafts and exports nothing. Set one of the two"
    )
  }
  const artifact = readArtifact(get)
  if (artifact.name && batch.artifactPerVideo && videos.length > 1) {
    throw new InputError(
      'artifact-name',
      `names one artifact, but 'artifact-per-video' makes ${videos.length}, which would collide; drop 'artifact-name' (each artifact is named after its video) or 'artifact-per-video'`
    )
  }
  // The artifact service does not exist on GitHub Enterprise Server: decided now, before anything is paid for.
  if (artifact.enabled && runner.enterpriseServer) {
    warning(
      `${runner.serverUrl} is GitHub Enterprise Server, where workflow artifacts of this kind are not available: the video is saved in 'output-dir' but not uploaded`
    )
    artifact.enabled = false
  }
  return {
    runner,
    api,
    videos,
    savedProjects: savedProjectsOf(all),
    manifest,
    pipeline: manifest === undefined ? undefined : readPipeline(get, manifest),
    batch,
    wait: readWait(get),
    waitForRender,
    dryRun: parseBoolean('dry-run', get('dry-run'), false),
    draft,
    resumeMismatch,
    plan,
    maxVideos: readMaxVideos(get),
    cleanup: parseBoolean('cleanup', get('cleanup'), false),
    matrixJob: manifest !== undefined && entryNames(get('manifest-entry')).length > 0,
    outputDir,
    maxVideoBytes: parseNumber('max-video-size', get('max-video-size'), 4096, { min: 1, max: 1 << 20, unit: 'MiB' }) * (1 << 20),
    artifact,
    github: readGitHubSettings(get, runner)
  }
}
