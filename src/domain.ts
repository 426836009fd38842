/**
 * The shapes every step shares, and nothing else: a leaf that imports nothing, so any step may use it
 * without reaching into another step.
 */

/** Where in a repository file a bad value sits; becomes an annotation on that line. */
export interface FileLocation {
  file: string
  line?: number
  column?: number
}

/** The two generations of the export API (see the API contract's "Hosts and generations"). */
export type Generation = 'v3' | 'legacy'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export const isJsonObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/** What one export would send. */
export interface ExportRequest {
  generation: Generation
  /**
   * Absent: `body` is a project, created and exported in one call. `saved`: `body` names a saved v3
   * project (`projectId`) exported as it is, with the export's own options: nothing is created.
   * `draft`: `body` is a v3 project created with `isExport: false`: saved for review, nothing rendered or paid.
   */
  kind?: 'saved' | 'draft'
  body: JsonObject
  /** For `saved`: a digest of the project as read, so the request's fingerprint changes when the project is edited. */
  content?: string
  /**
   * The fingerprint of the step's own request this one stands for (a reviewed draft's export, from-draft):
   * the ledger knows the export by it, whichever request paid for it, and a later run whose draft is gone
   * finds its video by it (`reuse`).
   */
  standsFor?: string
  /**
   * What `reuse` knows the video by, when not the request itself: a reviewed draft's export, by what the
   * draft holds and the export's options, whichever draft project holds it (a new draft of the same content
   * is the same video).
   */
  reuseAs?: string
}

export interface Progress {
  /** 0–100, a float. */
  progress: number
  /** Present once the video can be fetched; may lag behind progress reaching 100. */
  downloadUrl?: string
  state?: string
}

export type Credentials = { apiKey: string } | { appId: string; userKey: string }

export interface ApiConfig {
  /** Base URL of the v3 API, e.g. https://app.aistudios.com */
  v3Url: URL
  /** Base URL of the legacy API, e.g. https://v2.aistudios.com */
  legacyUrl: URL
  credentials: Credentials
  requestTimeoutMs: number
}

export const RESOLUTIONS = ['4k', '1080', '720', '480'] as const
export type Resolution = (typeof RESOLUTIONS)[number]

/** New speech for one line of a scene (line 0 unless given). `from` names where it came from, for messages. */
export interface SceneSpeech {
  scene: number
  line?: number
  text: string
  from: string
  /** Where it is written, for refusals found later (a scene that does not exist, speech given twice). */
  at?: WrittenAt
}

/** Where a value is written: "scripts.yml:3:1" with the file's location, or "line 2" of an input. */
export interface WrittenAt {
  where: string
  location?: FileLocation
}

/** A value for the clips a user tagged in the editor. `from` names where it came from, for messages. */
export interface TagValue {
  tag: string
  value: string
  from: string
}

/** Fields of the export request that the user may set; absent means the API's default. */
export interface ExportOptions {
  name?: string
  resolution?: Resolution
  workspaceId?: string
  webhookUrl?: string
}

/** A template as read from the repository: its text (for locations) and its parsed value. */
export interface Template {
  file: string
  /** The path as the user wrote it, for messages. */
  name: string
  text: string
  data: Json
}

export interface Variable {
  value: string
  /** The input it came from (variables or variables-file), for messages. */
  from: string
}

/** What a new export is made from. */
export type ExportSource =
  /** A saved project: v3 unless `api-generation: legacy` (the legacy API keeps its own, by key). */
  | { kind: 'project'; projectId: string; generation?: Generation }
  /** A JSON template in the repository; the generation is detected from its shape unless forced. */
  | { kind: 'template'; template: Template; variables: Map<string, Variable>; generation?: Generation }

/** What a video is made from. */
export type Source =
  | ExportSource
  /**
   * An export already started (by an earlier run): only wait and download. Its generation is forced, or
   * that of the video's template, else v3. `of`: what the step would export, which the export is checked against.
   */
  | { kind: 'resume'; key: string; generation?: Generation; template?: Template; of?: ExportSource }

/** One video to produce: the step's own inputs, or one entry of a manifest. */
export interface VideoSpec {
  /** The manifest entry's name; absent for the step's own video. Prefixes its log lines in a batch. */
  name?: string
  source: Source
  speech: SceneSpeech[]
  tags: TagValue[]
  exportOptions: ExportOptions
  /** The repository files the video is made from (workspace-relative; a folder ends with '/'). */
  files: string[]
  /**
   * The step's own inputs that say what the video is made from as text (`script`, `variables`, …), not
   * as files: they are written in the workflow. Never a manifest entry's, which its manifest holds.
   */
  inline?: string[]
  /** The video's file name in the output folder, when chosen; otherwise taken from the download URL. */
  outputName?: string
  /** A manifest entry as written (JSON), to tell whether a push changed it. */
  definition?: string
  /** Where a manifest entry is written, for refusals found later (a scene its speech names that does not exist). */
  location?: FileLocation
}

export interface WaitSettings {
  /** Never poll more often than this. */
  pollFloorMs: number
  timeoutMs: number
  stallTimeoutMs: number
}

export interface ArtifactSettings {
  enabled: boolean
  /** Chosen by the user; otherwise derived from the video once the export key is known. */
  name?: string
  archive: boolean
  retentionDays?: number
}

/**
 * Which runs of this repository `reuse` may take a video from (a fork's never): `branch`, runs of this
 * branch or of this pull request; `branch-or-default`, those and the default branch's; `repository`,
 * any branch's or pull request's run of this repository.
 */
export const REUSE_SCOPES = ['branch', 'branch-or-default', 'repository'] as const
export type ReuseScope = (typeof REUSE_SCOPES)[number]

/** What the run does on GitHub's side, beside the artifact. */
export interface GitHubSettings {
  /** Absent: the GitHub features asked for are skipped with a warning. */
  token?: string
  /** Render only the videos whose input files changed in the triggering push or pull request. */
  onlyChanged: boolean
  /** Download an earlier run's video of the same request instead of exporting it again (the `reuse` input). */
  reuse: boolean
  /** Whose earlier runs `reuse` trusts (the `reuse-from` input); never a fork's. */
  reuseFrom: ReuseScope
  /** Attach the videos to this release. */
  release?: { tag: string; replace: boolean }
  /** Keep one comment on the pull request with what was rendered. */
  comment: boolean
  /**
   * `from-draft`: before exporting, look for the draft a draft run of this repository saved for the same
   * request and export it as it is; `required` fails before paying when there is none.
   */
  fromDraft: FromDraft
}

export const FROM_DRAFT = ['false', 'true', 'required'] as const
export type FromDraft = (typeof FROM_DRAFT)[number]

export interface BatchOptions {
  maxParallel: number
  failFast: boolean
  /** One artifact per video; always so for a single video. */
  artifactPerVideo: boolean
  /** A plan's most matrix entries (`max-jobs`): the videos are grouped into this many shards at most. */
  maxJobs: number
}

/** What the runner tells the action through its environment, read once. */
export interface RunnerEnv {
  workspace: string
  tempDir: string
  runAttempt: number
  serverUrl: string
  repository: string
  runId: string
  eventPath?: string
  /** Set inside GitHub Actions: the run's artifact service can be reached. */
  artifactService: boolean
  /** GitHub Enterprise Server, which has no artifact service for this client. */
  enterpriseServer: boolean
  /** Where the job summary goes; absent outside a runner. */
  summaryFile?: string
  /**
   * The workflow file of the run (GITHUB_WORKFLOW_REF's path, the caller's in a reusable workflow): where
   * a step's inline inputs may be written. Absent outside a runner.
   */
  workflowFile?: string
  /** The job's ID in its workflow (GITHUB_JOB): named in the result record it leaves. */
  jobId?: string
  /** The longest an artifact may be kept in this repository (GITHUB_RETENTION_DAYS), when the runner says. */
  maxRetentionDays?: number
}

/**
 * A batch pipeline: one plan, its render jobs and its collect job. Its ID names its result records, so
 * two pipelines in one run neither collide nor read each other's; its manifest keys its comment rows.
 */
export interface Pipeline {
  id: string
  /** The manifest's workspace-relative path. */
  manifest: string
}

/** Everything the step's inputs ask for, validated; nothing is sent before it exists. */
export interface Job {
  runner: RunnerEnv
  api: ApiConfig
  /** The videos, in the manifest's order; one without a manifest. */
  videos: VideoSpec[]
  /** Every saved project the step names, in all of a manifest's entries (a shard's job too): the user's, never deleted. */
  savedProjects?: string[]
  /** The manifest's workspace-relative path, when there is one. */
  manifest?: string
  /** The batch pipeline of a manifest's plan, render or collect job. */
  pipeline?: Pipeline
  batch: BatchOptions
  wait: WaitSettings
  /** false: send the export, report its key and stop; a later run resumes it. */
  waitForRender: boolean
  dryRun: boolean
  /** `draft`: each video's project is created without rendering it (isExport: false), for review; nothing is paid. */
  draft: boolean
  /** A resumed export that is not what the step would export: refused (the default) or downloaded anyway. */
  resumeMismatch: 'refuse' | 'accept'
  /** Send nothing: output the matrix of videos for a fan-out over jobs. */
  plan: boolean
  /** The most exports one run may send (`max-videos`); resumed and reused videos do not count. */
  maxVideos?: number
  /** Delete each v3 project the run exported once its video is delivered (`cleanup`). */
  cleanup: boolean
  /** `manifest-entry` names the videos: a job of a plan's matrix, which leaves the comment to the collect job. */
  matrixJob: boolean
  outputDir: string
  /** The most bytes one video may have (`max-video-size`): bounds a download that states no length. */
  maxVideoBytes: number
  artifact: ArtifactSettings
  github: GitHubSettings
}

/** What the MP4 itself says about the video (its `moov` box). */
export interface Mp4Facts {
  /** Seconds. */
  durationSeconds: number
  width?: number
  height?: number
  /** The sample entries' four-character codes (`avc1`, `mp4a`, …), in track order. */
  codecs: string[]
}

export interface Downloaded {
  path: string
  size: number
  mp4: Mp4Facts
}

export interface UploadedArtifact {
  id: number
  name: string
  url: string
  /** SHA-256 of the video itself, when it went up unzipped (the client hashes what it uploads). */
  videoSha256?: string
  /** Whether the videos are zipped inside it (archive, or one artifact for a batch). */
  zipped: boolean
}

/**
 * How far a video got: only its request printed (dry-run), exported and left to render (started),
 * saved as a draft for review and not rendered (draft), downloaded and delivered, failed, or never
 * started (skipped by fail-fast).
 */
export type VideoStatus = 'downloaded' | 'started' | 'draft' | 'dry-run' | 'failed' | 'skipped'

/** What the run did for one video, filled in step by step; the reports are made from it alone. */
export interface VideoResult {
  spec: VideoSpec
  /** The name shown for it, the same in every state: the entry's name, or the step's `output-name` without its extension, or `video`. */
  name: string
  status: VideoStatus
  /** The step it reached last: where a failed video failed. From 'download' on, its render was seen finished. */
  stage?: 'request' | 'export' | 'render' | 'download' | 'deliver'
  /** What the video was made from, for people ("project abc123"). */
  source: string
  startedAt: number
  generation: Generation
  /** Known as soon as the export is accepted: from then on the user must always learn it. */
  exportKey?: string
  /** The export was sent but its answer never came: it may have been accepted. */
  exportUnconfirmed?: boolean
  /**
   * The draft's project (`draft`, or a template's own `isExport: false`), and where to open it in AI Studios;
   * `recorded`: an earlier attempt of the run left its record already.
   */
  draft?: { projectId: string; url: string; created: boolean; recorded: boolean }
  /**
   * The draft run's draft this video was exported from (`from-draft`), the run that saved it, and whether
   * that run created it (a saved project that was its own draft is the user's, never deleted by `cleanup`).
   */
  fromDraft?: { projectId: string; runId: number; created: boolean }
  /** A dry run's request: where it would go, its body, and the file it was saved to. */
  dryRun?: { url: string; body: string; path: string }
  videoUrl?: string
  /** The exported project's thumbnail (v3), from its record once rendered. */
  thumbnailUrl?: string
  /** What the render cost, where the API says so (the legacy API's `cube_used`). */
  credits?: number
  polls?: number
  video?: Downloaded
  /** Hex SHA-256 of the video. */
  sha256?: string
  /** What the ledger knows the video's export by (ledgerFingerprint): the step's own request. */
  fingerprint?: string
  /** What a later run with `reuse` finds the video by: the exact request sent (a reviewed draft's, as the review left it). */
  reuseKey?: string
  /** The earlier workflow run whose video was reused instead of exported. */
  reusedFromRun?: number
  /**
   * The earlier attempt of this run that delivered the video before `cleanup` deleted its project: its
   * key can no longer be resumed, and a re-run attempt takes the video from that attempt's artifact.
   */
  deliveredByAttempt?: number
  artifact?: UploadedArtifact
  /** The video's download URL as a release asset. */
  releaseUrl?: string
  /** Saved, but a delivery failed: the video is kept, and only that delivery is owed. */
  undelivered?: Undelivered
  /** Every delivery it was given is done: nothing that ends the run afterwards (a cancel, cleanup) makes it undelivered. */
  delivered?: boolean
  error?: string
  /** The API could not be reached, and how: what failed this video (the CLI's exit status tells them apart). */
  unreached?: Unreached
  /** What failed it was the API's answer (an HTTP error, refused credentials), not the network or this machine. */
  refusedByApi?: boolean
  /** What failed it was a file this machine could not write (its message names the file). */
  unwritable?: boolean
}

/** A delivery that failed after the video was saved. */
export interface Undelivered {
  /** Which delivery, as a sentence names it: "the artifact upload", "attaching the video to release v1.0". */
  delivery: string
  reason: string
  /** Where the video is, relative to the workspace. */
  savedAs: string
}

/**
 * How a request failed to reach the API: its host name does not resolve, the connection was refused,
 * the host cannot be reached (or not within the connect timeout), or no answer came in time.
 */
export type Unreached = 'dns' | 'refused' | 'unreachable' | 'no-answer'

/** What an export key (a v3 project ID, a legacy key) looks like; anything else is refused, never printed raw. */
export const EXPORT_KEY = /^[\w-]{1,128}$/

/** A video the run did not deliver: it failed, or fail-fast stopped it before it started. */
export const notDelivered = (result: VideoResult): boolean => result.status === 'failed' || result.status === 'skipped'

/** Log lines about one video; in a batch each names it. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  notice(message: string): void
  /** A render's progress: a line in a log, a bar on a terminal. */
  progress(percent: number, message: string): void
  /** Folds what `work` prints under a heading: for one video; in a batch, groups would interleave. */
  group<T>(title: string, work: () => Promise<T>): Promise<T>
}
