import * as core from '@actions/core'
import * as path from 'node:path'
import type { ApiConfig } from '../api/client.js'
import type { Credentials, Generation } from '../api/types.js'
import { InputError } from '../errors.js'
import { parseTemplate, type Template, type Variable } from '../request/template.js'
import { parseBoolean, parseChoice, parseNumber, parseUrl, readInputFile } from './parse.js'
import { readSpeech } from './speech.js'
import { readVariables } from './variables.js'

export const RESOLUTIONS = ['4k', '1080', '720', '480'] as const
export type Resolution = (typeof RESOLUTIONS)[number]

const DEFAULT_V3_URL = 'https://app.aistudios.com'
const DEFAULT_LEGACY_URL = 'https://aistudios.com'

/** What the video is made from. */
export type Source =
  | { kind: 'project'; projectId: string }
  /** A JSON template in the repository; the generation is detected from its shape unless forced. */
  | { kind: 'template'; template: Template; variables: Map<string, Variable>; generation?: Generation }
  /** An export already started (by an earlier run): only wait and download. */
  | { kind: 'resume'; key: string; generation: Generation }

/** New speech for one scene's first avatar. `from` names where it came from, for messages. */
export interface SceneSpeech {
  scene: number
  text: string
  from: string
}

/** Fields of the export request that the user may set; absent means the API's default. */
export interface ExportOptions {
  name?: string
  resolution?: Resolution
  workspaceId?: string
  webhookUrl?: string
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

export interface Settings {
  api: ApiConfig
  source: Source
  speech: SceneSpeech[]
  exportOptions: ExportOptions
  wait: WaitSettings
  workspace: string
  outputDir: string
  /** The repository files the video is made from (workspace-relative; a folder ends with '/'). */
  files: string[]
  /** The video's file name in outputDir, when chosen; otherwise taken from the download URL. */
  outputName?: string
  artifact: ArtifactSettings
  dryRun: boolean
  /** Names the video in log lines when several render at once (manifest entries). */
  label?: string
  /** false: send the export, report its key and stop; a later run resumes it. */
  waitForRender: boolean
}

export type InputReader = (name: string) => string

/** Secrets already masked: a manifest reads the credentials once per entry. */
const masked = new Set<string>()

/** Reads the secrets first and masks them before anything else can print them. */
function readCredentials(get: InputReader): Credentials {
  const apiKey = get('api-key').trim()
  const appId = get('app-id').trim()
  const userKey = get('user-key').trim()
  for (const secret of [apiKey, userKey]) {
    if (secret && !masked.has(secret)) {
      core.setSecret(secret)
      masked.add(secret)
    }
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

function readSource(get: InputReader, workspace: string): Source {
  const resume = get('resume').trim()
  const projectId = get('project-id').trim()
  const templatePath = get('template').trim()
  const generation = parseChoice('api-generation', get('api-generation'), ['v3', 'legacy', 'auto'] as const)
  if (resume) {
    const ignored = projectId ? `project ${projectId}` : templatePath ? `template ${templatePath}` : ''
    if (ignored) core.notice(`'resume' is set: ${ignored} is not exported again; waiting for ${resume}`)
    return { kind: 'resume', key: resume, generation: generation === 'legacy' ? 'legacy' : 'v3' }
  }
  if (projectId && templatePath) throw new InputError('template', "give either 'template' or 'project-id', not both")
  if (templatePath) {
    const { file, text } = readInputFile('template', templatePath, workspace)
    return {
      kind: 'template',
      template: parseTemplate(file, templatePath, text),
      variables: readVariables(get, workspace),
      generation: generation === 'auto' ? undefined : generation
    }
  }
  if (!projectId) throw new InputError('project-id', "required: the ID of a saved AI Studios project, or a 'template' (or 'resume')")
  if (!/^[\w-]+$/.test(projectId)) throw new InputError('project-id', `'${projectId}' is not a project ID (letters, digits, '-' and '_')`)
  if (generation === 'legacy') throw new InputError('api-generation', "saved projects ('project-id') exist only in the v3 API")
  for (const input of ['variables', 'variables-file']) {
    if (get(input).trim()) throw new InputError(input, "placeholders are filled only in a 'template', not in a saved project")
  }
  return { kind: 'project', projectId }
}

function readExportOptions(get: InputReader): ExportOptions {
  const webhook = get('webhook-url').trim()
  return {
    name: get('name').trim() || undefined,
    resolution: parseChoice('resolution', get('resolution').replace(/p$/i, ''), RESOLUTIONS),
    workspaceId: get('workspace-id').trim() || undefined,
    webhookUrl: webhook ? parseUrl('webhook-url', webhook).toString() : undefined
  }
}

function readWait(get: InputReader): WaitSettings {
  const interval = get('poll-interval').trim().toLowerCase()
  const pollFloorSeconds =
    interval === '' || interval === 'auto'
      ? 1
      : parseNumber('poll-interval', interval, 1, { min: 1, max: 600, unit: 'seconds (or auto)' })
  const timeoutMinutes = parseNumber('timeout', get('timeout'), 30, { min: 0.1, max: 360, unit: 'minutes' })
  const stallMinutes = parseNumber('stall-timeout', get('stall-timeout'), 10, { min: 0.1, max: 360, unit: 'minutes' })
  return { pollFloorMs: pollFloorSeconds * 1000, timeoutMs: timeoutMinutes * 60_000, stallTimeoutMs: stallMinutes * 60_000 }
}

function readInputPaths(get: InputReader, workspace: string): string[] {
  const files = ['template', 'variables-file', 'script-file', 'scripts-file'].map((input) => get(input).trim())
  const dir = get('scripts-dir').trim()
  const relative = (raw: string): string => path.relative(workspace, path.resolve(workspace, raw)).split(path.sep).join('/')
  return [...files.filter(Boolean).map(relative), ...(dir ? [`${relative(dir)}/`] : [])]
}

function readOutputName(get: InputReader): string | undefined {
  const raw = get('output-name').trim()
  if (!raw) return undefined
  if (/[/\\<>:"|?*\u0000-\u001f]/.test(raw) || /^\.+$/.test(raw) || raw.length > 120) {
    throw new InputError('output-name', `'${raw}' is not a plain file name (no folders, no reserved characters, at most 120 characters)`)
  }
  return /\.[A-Za-z0-9]{2,4}$/.test(raw) ? raw : `${raw}.mp4`
}

function readWaitFlag(get: InputReader, source: Source): boolean {
  const wait = parseBoolean('wait', get('wait'), true)
  if (!wait && source.kind === 'resume') {
    throw new InputError('wait', "'wait: false' with 'resume' would neither export nor download; drop one of them")
  }
  return wait
}

/** Characters the artifact service refuses in a name. */
const BAD_ARTIFACT_CHARS = /["':<>|*?\\/\r\n]/

function readArtifact(get: InputReader): ArtifactSettings {
  const name = get('artifact-name').trim()
  if (BAD_ARTIFACT_CHARS.test(name)) {
    throw new InputError('artifact-name', `'${name}' contains a character artifacts cannot have (" : < > | * ? \\ / or a newline)`)
  }
  const retention = get('retention-days').trim()
  return {
    enabled: parseBoolean('upload-artifact', get('upload-artifact'), true),
    name: name || undefined,
    archive: parseBoolean('archive', get('archive'), false),
    retentionDays: retention ? parseNumber('retention-days', retention, 0, { min: 1, max: 90, integer: true, unit: 'days' }) : undefined
  }
}

/** Turns the step's inputs into one validated settings object; nothing is sent before this succeeds. */
export function readSettings(get: InputReader, workspace: string): Settings {
  const credentials = readCredentials(get)
  const apiUrlRaw = get('api-url').trim()
  const v3Url = parseUrl('api-url', apiUrlRaw || DEFAULT_V3_URL)
  const requestTimeoutSeconds = parseNumber('request-timeout', get('request-timeout'), 30, { min: 1, max: 600, unit: 'seconds' })
  const source = readSource(get, workspace)
  const outputDir = get('output-dir').trim() || 'videos'
  return {
    api: {
      v3Url,
      // The legacy API lives on another host; a custom api-url (a proxy, a simulator) serves both.
      legacyUrl: v3Url.origin === new URL(DEFAULT_V3_URL).origin ? new URL(DEFAULT_LEGACY_URL) : v3Url,
      credentials,
      requestTimeoutMs: requestTimeoutSeconds * 1000
    },
    source,
    speech: readSpeech(get, workspace),
    exportOptions: readExportOptions(get),
    wait: readWait(get),
    workspace,
    outputDir: path.resolve(workspace, outputDir),
    files: readInputPaths(get, workspace),
    outputName: readOutputName(get),
    artifact: readArtifact(get),
    dryRun: parseBoolean('dry-run', get('dry-run'), false),
    waitForRender: readWaitFlag(get, source)
  }
}
