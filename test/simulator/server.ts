/**
 * A simulator of the AI Studios export API (../shared/aistudios-api.md): the v3 API on one origin, the
 * legacy API on its own origin (and, for a custom api-url that serves both, on the v3 one too) with its
 * own envelopes, the CDN on a third origin with signed, expiring URLs. A real HTTP server on loopback, with
 * render time, progress curve, URL lag and injected faults as options, and a record of every request.
 */
import { createHmac, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

type JsonObject = Record<string, unknown>

export const SAMPLE_VIDEO = fs.readFileSync(fileURLToPath(new URL('./fixtures/sample.mp4', import.meta.url)))
export const SAMPLE_PROJECT = JSON.parse(fs.readFileSync(fileURLToPath(new URL('./fixtures/project.json', import.meta.url)), 'utf8')) as JsonObject
export const SAMPLE_PROJECT_ID = 'proj-weekly-update'
/** A 1.6 project: a dialogue scene (two avatars, one script entry a line) and clips tagged in the editor. */
export const DIALOGUE_PROJECT = JSON.parse(
  fs.readFileSync(fileURLToPath(new URL('./fixtures/project-dialogue.json', import.meta.url)), 'utf8')
) as JsonObject
export const DIALOGUE_PROJECT_ID = 'proj-dialogue-16'
/** A saved legacy project as `GET /api/odin/editor/project/{key}` returns it under `response` (get-project.mdx). */
export const LEGACY_PROJECT = JSON.parse(
  fs.readFileSync(fileURLToPath(new URL('./fixtures/legacy-project.json', import.meta.url)), 'utf8')
) as JsonObject
export const LEGACY_PROJECT_ID = 'legacy-proj-4e2a'
/** The legacy API's secret key. v3 has no long-lived key: a test of the `api-key` path mints a token (`mintToken`). */
export const TEST_API_KEY = 'sim-api-key-7f3a9c'

export type Route = 'auth' | 'token' | 'project' | 'export' | 'progress' | 'workspaces' | 'delete' | 'cdn'

/** One injected fault, applied to the next `times` requests of its route (default once). */
export type Fault = { route: Route; times?: number } &
  /** `msg`: what the JSON envelope says (default "Server error"), e.g. a 400 whose text holds "forbidden". */
  (
    | { kind: 'status'; status: number; html?: boolean; retryAfter?: string; msg?: string }
    /** HTTP 200 with `success: false`. */
    | { kind: 'envelope'; code: number | string; msg: string }
    /** The connection is closed without an answer. */
    | { kind: 'reset' }
    /** No answer for this long, then the connection is closed. */
    | { kind: 'hang'; ms: number }
    /** The export is accepted and starts rendering, then the answer is lost. */
    | { kind: 'lose-answer' }
    /** The export is accepted and starts rendering, and the answer never comes (the connection stays open). */
    | { kind: 'hold-answer' }
    /** The export is accepted and starts rendering, and a proxy replaces its answer with this one. */
    | { kind: 'rewrite'; status: number; body?: string; headers?: Record<string, string> }
    /** The route answers exactly this and does nothing else: a broken server or a proxy in between. */
    | { kind: 'raw'; status: number; body: string }
    /** The progress call says the render is done and names this as its download URL. */
    | { kind: 'url'; url: string }
    /** The progress call says the key is not known: HTTP 404, or HTTP 200 with `success: false` and code `NOT_FOUND` (no message). */
    | { kind: 'not-found'; shape?: 'status' | 'envelope' }
    /** The CDN sends this fraction of the video, then cuts the connection. */
    | { kind: 'cut'; fraction: number }
    /** The CDN sends this fraction of the video, then nothing more, the connection left open. */
    | { kind: 'stall'; fraction: number }
    /** The route's usual answer, headers at once, then its body one byte every `everyMs` (a slow link or proxy). */
    | { kind: 'trickle'; everyMs: number }
    /** The request is handled at once (an export is accepted and starts rendering); its answer leaves `ms` later. */
    | { kind: 'delay'; ms: number }
    /** The CDN answers 200 with a video that never ends: no Content-Length, bytes for as long as they are read. */
    | { kind: 'endless' }
    /** The CDN answers 200 with an HTML error page instead of the video. */
    | { kind: 'html-page' }
    /** From the API: a redirect to the CDN's origin (another host). From the CDN: the video moved, or to `location`. */
    | { kind: 'redirect'; location?: string }
  )

/** Progress (0–1) at a fraction (0–1) of the render time. */
export type Curve = (fraction: number) => number

export const CURVES = {
  linear: (f: number) => f,
  /** Jumps in uneven steps with float values, as real renders do. */
  steps: (f: number) => Math.floor(f * 7) / 7 + (f > 0.5 ? 0.0123 : 0),
  /** Sticks at 42.5% forever: a render that died. */
  dead: (f: number) => Math.min(f, 0.425)
} satisfies Record<string, Curve>

export interface SimulatorOptions {
  /** The legacy API's secret keys, accepted as they are in Authorization. v3 accepts only tokens it issued. */
  apiKeys?: string[]
  /** appId → userKey pairs that can be exchanged for a token. */
  apps?: Record<string, string>
  /** How long an exchanged token is accepted (the API's is 24 hours). */
  tokenLifetimeMs?: number
  /** Export requests (1 = the first to arrive) at whose arrival every exchanged token is revoked: a token refused mid-run. */
  revokeTokensAtExports?: number[]
  /** Saved projects by ID. */
  projects?: Record<string, JsonObject>
  /**
   * The export of a saved project answers the project's own ID as the export's (export-project.md does not
   * say whether the export gets an ID of its own): cleanup must still never delete the user's project.
   */
  exportKeepsId?: boolean
  /** Saved legacy projects by key: `{ projectName, scenes }`. */
  legacyProjects?: Record<string, JsonObject>
  /**
   * The `state` an export's record says once rendered: "exported" is the one value documented (for list
   * items, get-projects.md); the getting-started pages call a finished video "Complete" in prose.
   */
  recordState?: string
  renderMs?: number
  /** How long an export waits in the API's queue at 0% before its render starts (the docs: up to minutes). */
  queueMs?: number
  curve?: Curve
  /** Progress answers at 100 that still carry no download URL. */
  urlLagPolls?: number
  /** How long after progress reaches 100 the download URL appears (in progress answers and the export's record). */
  urlLagMs?: number
  /** Whether progress answers carry a `state` field too. */
  withState?: boolean
  /** Which field the legacy progress answer names the video by. */
  legacyUrlField?: 'url' | 'videoUrl'
  /** Legacy answers flat beside `success` (the reference) or under `data` (the tutorials). */
  legacyShape?: 'flat' | 'data'
  /** How a wrong key is refused: a 401 envelope, a 200 `success: false`, or a gateway's HTML 401. */
  authFailure?: 'status' | 'envelope' | 'html'
  video?: Buffer
  /** Serve a synthetic video of this many bytes instead (streamed, never held in memory). */
  videoSize?: number
  videoName?: string
  /** How long a signed download URL stays valid. */
  urlLifetimeMs?: number
  /** Whether the CDN honours Range requests. */
  ranges?: boolean
  faults?: Fault[]
}

export interface RecordedRequest {
  /** When it arrived (ms since the epoch). */
  at: number
  origin: 'api' | 'legacy' | 'cdn'
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
}

export interface RecordedExport {
  generation: 'v3' | 'legacy'
  path: string
  body: JsonObject
  key: string
  /** When the render reaches 100% (ms since the epoch). */
  finishesAt: number
}

export interface RecordedDraft {
  /** The saved project's ID. */
  key: string
  body: JsonObject
}

interface Render {
  key: string
  /** When it leaves the queue and starts rendering (ms since the epoch). */
  startedAt: number
  pollsAt100: number
  body: JsonObject
}

export interface Simulator {
  /**
   * A v3 token, issued as `POST /auth/token` issues one: what an earlier step of a job would hand the
   * action as `api-key` (v3 documents no long-lived key).
   */
  mintToken(): string
  /** The project IDs `DELETE /api/odin/v3/editor/project` removed, in order. */
  deleted: string[]
  apiUrl: string
  /** The legacy API's own origin (v2.aistudios.com in the real service). */
  legacyUrl: string
  cdnUrl: string
  requests: RecordedRequest[]
  exports: RecordedExport[]
  /** Projects created with `isExport: false`: saved, never rendered nor billed (they are in `options.projects` too). */
  drafts: RecordedDraft[]
  /** Every fault as it was applied, in order: a fault test proves with it that its fault fired. */
  fired: Fault[]
  options: Required<Omit<SimulatorOptions, 'faults'>> & { faults: Fault[] }
  close(): Promise<void>
}

/** One MiB of media data; a synthetic video's `mdat` repeats it. */
const SYNTHETIC_BLOCK = (() => {
  const block = Buffer.alloc(1 << 20)
  for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) & 0xff
  return block
})()

/** The sample's `ftyp` and `moov` boxes: a synthetic video starts with them, so it is a valid MP4. */
const SAMPLE_HEAD = (() => {
  let end = 0
  for (let at = 0; at < SAMPLE_VIDEO.length; at += SAMPLE_VIDEO.readUInt32BE(at)) {
    const type = SAMPLE_VIDEO.toString('latin1', at + 4, at + 8)
    if (type === 'ftyp' || type === 'moov') end = at + SAMPLE_VIDEO.readUInt32BE(at)
  }
  return SAMPLE_VIDEO.subarray(0, end)
})()

/** The first bytes of a synthetic video of `total` bytes: the sample's head, then an `mdat` header spanning the rest. */
function syntheticHead(total: number): Buffer {
  const large = total - SAMPLE_HEAD.length > 0xffffffff
  const mdat = Buffer.alloc(large ? 16 : 8)
  if (large) {
    mdat.writeUInt32BE(1)
    mdat.writeBigUInt64BE(BigInt(total - SAMPLE_HEAD.length), 8)
  } else {
    mdat.writeUInt32BE(total - SAMPLE_HEAD.length)
  }
  mdat.write('mdat', 4, 'latin1')
  return Buffer.concat([SAMPLE_HEAD, mdat])
}

/** Bytes start..end of a synthetic video of `total` bytes (a valid MP4), streamed with backpressure. */
export function syntheticVideo(start: number, end: number, total: number): Readable {
  const head = syntheticHead(total)
  let offset = start
  return new Readable({
    read() {
      if (offset >= end) return void this.push(null)
      const chunk =
        offset < head.length
          ? head.subarray(offset, Math.min(head.length, end))
          : SYNTHETIC_BLOCK.subarray(
              offset % SYNTHETIC_BLOCK.length,
              Math.min(SYNTHETIC_BLOCK.length, (offset % SYNTHETIC_BLOCK.length) + (end - offset))
            )
      offset += chunk.length
      this.push(chunk)
    }
  })
}

/** What the simulator's legacy API says an export cost (`cube_used`). */
export const LEGACY_CUBES = 2

const sign = (secret: string, value: string): string => createHmac('sha256', secret).update(value).digest('hex').slice(0, 32)

/** A body one byte every `everyMs`: a link slow enough that no idle timer ever fires. */
async function* trickled(body: Readable, everyMs: number): AsyncGenerator<Buffer> {
  for await (const chunk of body as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.length; at++) {
      await new Promise((resolve) => setTimeout(resolve, everyMs))
      yield chunk.subarray(at, at + 1)
    }
  }
}

/** Answers whose sending a fault slows down: held back, or trickled a byte at a time. */
const pacing = new WeakMap<http.ServerResponse, { delayMs?: number; trickleMs?: number }>()

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  const write = (): void => {
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...headers
    })
    const everyMs = pacing.get(res)?.trickleMs
    if (!everyMs) return void res.end(text)
    res.flushHeaders()
    const bytes = Buffer.from(text)
    let at = 0
    const timer = setInterval(() => {
      if (at < bytes.length) res.write(bytes.subarray(at, ++at))
      if (at >= bytes.length) {
        clearInterval(timer)
        res.end()
      }
    }, everyMs)
    res.on('close', () => clearInterval(timer))
  }
  const delayMs = pacing.get(res)?.delayMs
  if (!delayMs) return write()
  const timer = setTimeout(write, delayMs)
  res.on('close', () => clearTimeout(timer))
}

const ok = (res: http.ServerResponse, data: unknown): void => send(res, 200, { success: true, data })
const failure = (res: http.ServerResponse, status: number, code: number | string, msg: string): void =>
  send(res, status, { success: false, error: { code, msg } })
/** A legacy failure: `msg` at the top level, no `error` object. */
const legacyFailure = (res: http.ServerResponse, status: number, msg: string): void => send(res, status, { success: false, msg })
const htmlPage = (status: number, title: string): string =>
  `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><center><h1>${status} ${title}</h1></center><hr><center>nginx</center></body></html>`

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** A request body as a JSON object; undefined when it is not one. */
function jsonBody(body: string): JsonObject | undefined {
  try {
    const parsed = JSON.parse(body) as unknown
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : undefined
  } catch {
    return undefined
  }
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * What `create-project.md` (1.6) says is missing or wrong in a create-and-export body, if anything:
 * scenes, each with `sceneIdx` and `clips`; each clip with `id`, `type`, `layer` and its geometry; each
 * scene with an avatar with `scripts[]`, every line with `org`, `isTTS`, `tts`, `modelId`, `clothId`, the
 * last two matching an avatar clip's `model.ai_name` and `model.emotion`.
 */
/**
 * Per clip type, the fields `clips.md` marks required besides the common ones, and what each must hold:
 * text that names something (a URL, a colour, a shape) is not empty; a text or label shown may be; a
 * size is any number (the exist-project tutorial sends fontSize 7.5, clips.md says Int).
 */
type Need = 'named' | 'text' | 'number'
const CLIP_REQUIRED: Record<string, Array<[string, Need]>> = {
  shape: [
    ['shapeName', 'named'],
    ['fill', 'named']
  ],
  image: [['source_url', 'named']],
  textImage: [
    ['text', 'text'],
    ['fill', 'named'],
    ['fontSize', 'number']
  ],
  videoImage: [['video_url', 'named']],
  audio: [
    ['source_url', 'named'],
    ['label', 'text']
  ]
}
const holds = (value: unknown, need: Need): boolean =>
  need === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string' && (need === 'text' || value !== '')
/** Legacy clip types whose `detail.url` the reference (image, background) and the tutorial (userVideo) give. */
const LEGACY_MEDIA_TYPES = new Set(['image', 'background', 'userVideo'])

/**
 * What the legacy reference (export-project.mdx) requires of a scene. `AIModel` itself (absent in the
 * legacy tutorial's scenes) and `AIModel.language` (omitted by the reference's own samples) are not.
 */
export function legacyBodyProblem(body: JsonObject): string | undefined {
  for (const [index, scene] of (body.scenes as unknown[]).entries()) {
    const at = `scenes[${index}]`
    if (!isObject(scene)) return `${at} is not an object`
    const model = scene.AIModel
    if (model !== undefined) {
      if (!isObject(model)) return `${at}.AIModel is not an object`
      for (const field of ['model', 'clothes'])
        if (typeof model[field] !== 'string' || model[field] === '') return `${at}.AIModel.${field} is required`
      if (typeof model.script !== 'string') return `${at}.AIModel.script is required`
      for (const field of ['locationX', 'locationY']) if (!holds(model[field], 'number')) return `${at}.AIModel.${field} is required (Float)`
      // Required by the reference, left out by its own samples: absent passes, present must name a language.
      if (model.language !== undefined && !holds(model.language, 'named')) return `${at}.AIModel.language must match the model's language`
    }
    if (scene.clips === undefined) continue
    if (!Array.isArray(scene.clips)) return `${at}.clips is not an array`
    for (const [c, clip] of scene.clips.entries()) {
      if (!isObject(clip) || typeof clip.type !== 'string' || clip.type === '') return `${at}.clips[${c}].type is required`
      if (!isObject(clip.detail)) return `${at}.clips[${c}].detail is required`
      if (LEGACY_MEDIA_TYPES.has(clip.type) && (typeof clip.detail.url !== 'string' || clip.detail.url === ''))
        return `${at}.clips[${c}].detail.url is required`
    }
  }
  return undefined
}

export function v3BodyProblem(body: JsonObject): string | undefined {
  if (!Array.isArray(body.scenes) || body.scenes.length === 0) return 'scenes is required'
  for (const [index, scene] of body.scenes.entries()) {
    const at = `scenes[${index}]`
    if (!isObject(scene)) return `${at} is not an object`
    if (!Number.isInteger(scene.sceneIdx)) return `${at}.sceneIdx is required (Int)`
    if (!isObject(scene.background)) return `${at}.background is required (Json)`
    if (!Array.isArray(scene.clips)) return `${at}.clips is required (Array)`
    if (scene.scripts !== undefined && scene.scripts !== null && !Array.isArray(scene.scripts)) return `${at}.scripts must be an Array`
    const avatars: JsonObject[] = []
    for (const [c, clip] of scene.clips.entries()) {
      if (!isObject(clip)) return `${at}.clips[${c}] is not an object`
      if (typeof clip.id !== 'string' || clip.id === '') return `${at}.clips[${c}].id is required`
      if (typeof clip.type !== 'string' || clip.type === '') return `${at}.clips[${c}].type is required`
      for (const field of ['layer', 'top', 'left', 'width', 'height']) {
        if (!holds(clip[field], 'number')) return `${at}.clips[${c}].${field} is required (a number)`
      }
      if (!Number.isInteger(clip.layer)) return `${at}.clips[${c}].layer must be an Int`
      const missing = (Object.hasOwn(CLIP_REQUIRED, clip.type) ? CLIP_REQUIRED[clip.type] : []).find(([field, need]) => !holds(clip[field], need))
      // `source_url` (clips.md) or `resource_url` (the tutorial's code, contract 8): either names an image.
      if (missing && !(missing[0] === 'source_url' && clip.type === 'image' && holds(clip.resource_url, 'named'))) {
        return `${at}.clips[${c}].${missing[0]} is required for a ${clip.type} clip`
      }
      if (clip.type !== 'aiModel') continue
      if (!isObject(clip.model) || !holds(clip.model.ai_name, 'named') || !holds(clip.model.emotion, 'named')) {
        return `${at}.clips[${c}].model.ai_name and model.emotion are required`
      }
      avatars.push(clip.model)
    }
    // The reference requires scripts[] and ties each line to the scene's avatar clip; a scene with no avatar
    // has no line to speak (the getting-started page and export-from-json-template.md show such scenes without it).
    if (avatars.length === 0 && !Array.isArray(scene.scripts)) continue
    if (avatars.length > 0 && (!Array.isArray(scene.scripts) || scene.scripts.length === 0)) {
      // The 1.4 model, which getting-started, auth and the JSON-template tutorial still show: the avatar clip speaks its script.org.
      const scripted = scene.clips.filter((clip): clip is JsonObject => isObject(clip) && clip.type === 'aiModel' && isObject(clip.script))
      if (scripted.some((clip) => typeof (clip.script as JsonObject).org !== 'string'))
        return `${at}: an avatar clip's script.org is required (String)`
      if (scripted.length > 0) continue
      return `${at}.scripts is required`
    }
    // "Exactly one" entry (create-project.md) vs one a line of dialogue (tutorial export-from-exist-project.mdx, 5.3): both are taken.
    for (const [l, line] of (Array.isArray(scene.scripts) ? scene.scripts : []).entries()) {
      const where = `${at}.scripts[${l}]`
      if (!isObject(line)) return `${where} is not an object`
      if (typeof line.org !== 'string') return `${where}.org is required (String)`
      if (typeof line.isTTS !== 'boolean') return `${where}.isTTS is required (Boolean)`
      if (!('tts' in line) || !(line.tts === null || isObject(line.tts))) return `${where}.tts is required (Json or null)`
      if (!holds(line.modelId, 'named') || !holds(line.clothId, 'named')) return `${where}.modelId and clothId are required (String)`
      // A line of a scene without an avatar has no speaker to match (the action sends such a line as the project holds it).
      if (avatars.length > 0 && !avatars.some((model) => model.ai_name === line.modelId && model.emotion === line.clothId)) {
        return `${where}: modelId and clothId must match the avatar clip's model.ai_name and model.emotion`
      }
    }
  }
  return undefined
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })
}

/** The smallest body `create-project.md` accepts: one scene, one avatar clip, its one line. */
export const MINIMAL_V3_BODY = {
  scenes: [
    {
      sceneIdx: 0,
      background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
      clips: [
        {
          id: 'avatar',
          type: 'aiModel',
          layer: 1,
          top: 0,
          left: 0,
          width: 1920,
          height: 1080,
          model: { ai_name: 'M000004017', emotion: 'BG00006160' }
        }
      ],
      scripts: [{ org: 'Hello.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }]
    }
  ]
}

/**
 * Exports a minimal project through a simulator's API and returns the signed URL of its video: a
 * shortcut to the CDN for tests and benchmarks of the download alone (the render must be instant).
 */
export async function instantVideoUrl(sim: Pick<Simulator, 'apiUrl' | 'mintToken'>): Promise<string> {
  const headers = { Authorization: sim.mintToken(), 'Content-Type': 'application/json' }
  const body = JSON.stringify(MINIMAL_V3_BODY)
  const exported = (await (await fetch(`${sim.apiUrl}/api/odin/v3/editor/project`, { method: 'POST', headers, body })).json()) as {
    data: { projectId: string }
  }
  const progress = (await (await fetch(`${sim.apiUrl}/api/odin/v3/editor/progress/${exported.data.projectId}`, { headers })).json()) as {
    data: { downloadUrl?: string }
  }
  if (!progress.data.downloadUrl) throw new Error('the render is not instant: start the simulator with renderMs 0')
  return progress.data.downloadUrl
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const config = {
    apiKeys: options.apiKeys ?? [TEST_API_KEY],
    apps: options.apps ?? {},
    tokenLifetimeMs: options.tokenLifetimeMs ?? 24 * 3_600_000,
    revokeTokensAtExports: options.revokeTokensAtExports ?? [],
    projects: { ...(options.projects ?? { [SAMPLE_PROJECT_ID]: SAMPLE_PROJECT, [DIALOGUE_PROJECT_ID]: DIALOGUE_PROJECT }) },
    exportKeepsId: options.exportKeepsId ?? false,
    legacyProjects: options.legacyProjects ?? { [LEGACY_PROJECT_ID]: LEGACY_PROJECT },
    recordState: options.recordState ?? 'exported',
    renderMs: options.renderMs ?? 1500,
    queueMs: options.queueMs ?? 0,
    curve: options.curve ?? CURVES.linear,
    urlLagPolls: options.urlLagPolls ?? 0,
    urlLagMs: options.urlLagMs ?? 0,
    withState: options.withState ?? false,
    legacyUrlField: options.legacyUrlField ?? 'url',
    legacyShape: options.legacyShape ?? 'data',
    authFailure: options.authFailure ?? 'status',
    video: options.video ?? SAMPLE_VIDEO,
    videoSize: options.videoSize ?? 0,
    videoName: options.videoName ?? 'ai-studios-video.mp4',
    urlLifetimeMs: options.urlLifetimeMs ?? 600_000,
    ranges: options.ranges ?? true,
    faults: [...(options.faults ?? [])]
  }
  const secret = randomBytes(16).toString('hex')
  /** Exchanged tokens and when each stops being accepted. */
  const tokens = new Map<string, number>()
  const tokenValid = (key: string): boolean => (tokens.get(key) ?? 0) > Date.now()
  const mintToken = (): string => {
    const token = `tok-${randomBytes(16).toString('hex')}`
    tokens.set(token, Date.now() + config.tokenLifetimeMs)
    return token
  }
  const deleted: string[] = []
  const renders = new Map<string, Render>()
  const requests: RecordedRequest[] = []
  const exports: RecordedExport[] = []
  const drafts: RecordedDraft[] = []
  const fired: Fault[] = []
  let exportArrivals = 0
  const sockets = new Set<import('node:net').Socket>()
  let cdnUrl = ''

  /** Takes the next fault for a route, if one is queued. */
  function takeFault(route: Route): Fault | undefined {
    const index = config.faults.findIndex((fault) => fault.route === route)
    if (index < 0) return undefined
    const fault = config.faults[index]
    const times = (fault.times ?? 1) - 1
    if (times <= 0) config.faults.splice(index, 1)
    else config.faults[index] = { ...fault, times }
    fired.push(fault)
    return fault
  }

  /** Applies a generic fault, a failure in the legacy envelope on a legacy route; true when the request has been dealt with. */
  function applyFault(fault: Fault | undefined, res: http.ServerResponse, legacy = false): boolean {
    if (!fault) return false
    switch (fault.kind) {
      case 'status':
        send(
          res,
          fault.status,
          fault.html
            ? htmlPage(fault.status, 'Bad Gateway')
            : legacy
              ? { success: false, msg: fault.msg ?? 'Server error' }
              : { success: false, error: { code: fault.status, msg: fault.msg ?? 'Server error' } },
          fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}
        )
        return true
      case 'envelope':
        if (legacy) legacyFailure(res, 200, fault.msg)
        else failure(res, 200, fault.code, fault.msg)
        return true
      case 'reset':
        res.socket?.destroy()
        return true
      case 'hang':
        setTimeout(() => res.socket?.destroy(), fault.ms).unref()
        return true
      case 'redirect':
        res.writeHead(302, { Location: `${cdnUrl}/elsewhere` }).end()
        return true
      case 'raw':
        res.writeHead(fault.status, { 'Content-Type': 'application/json' }).end(fault.body)
        return true
      default:
        return false
    }
  }

  function authorized(req: http.IncomingMessage, res: http.ServerResponse, legacy: boolean): boolean {
    const key = req.headers.authorization ?? ''
    // v3 takes only the 24-hour tokens it issued (auth.md; no page documents a long-lived v3 key); the legacy API its secret keys.
    if (legacy ? config.apiKeys.includes(key) : tokenValid(key)) return true
    if (legacy && config.authFailure !== 'html') legacyFailure(res, config.authFailure === 'envelope' ? 200 : 401, 'Invalid API key')
    else if (config.authFailure === 'html') send(res, 401, htmlPage(401, 'Authorization Required'))
    else if (config.authFailure === 'envelope') failure(res, 200, 401, 'Invalid api key')
    else failure(res, 401, 401, 'Unauthorized')
    return false
  }

  /** A saved (never exported) project by its ID, if there is one. */
  const savedProject = (id: unknown): JsonObject | undefined =>
    typeof id === 'string' && Object.hasOwn(config.projects, id) ? config.projects[id] : undefined

  function startRender(body: JsonObject, key = randomBytes(12).toString('hex')): string {
    renders.set(key, { key, startedAt: Date.now() + config.queueMs, pollsAt100: 0, body })
    return key
  }

  /** How far along the render is (0–1); 0 while it waits in the queue. */
  const fractionOf = (render: Render): number =>
    config.renderMs > 0 ? Math.min(1, Math.max(0, (Date.now() - render.startedAt) / config.renderMs)) : Date.now() >= render.startedAt ? 1 : 0

  /** Whether the URL-lag time after the render reached 100% has passed. */
  const urlExists = (render: Render): boolean => Date.now() >= render.startedAt + config.renderMs + config.urlLagMs

  /** The record `GET /editor/project/{id}` gives for an exported project: its state, thumbnail and URL once done. */
  function exportedProject(render: Render): JsonObject {
    const fraction = fractionOf(render)
    const done = fraction >= 1 && urlExists(render)
    return {
      _id: render.key,
      name: render.body.name ?? 'Default Template',
      orientation: render.body.orientation ?? 'landscape',
      scenes: render.body.scenes ?? [],
      // A saved project exported as it is keeps its dictionary (export-project.md exports the project whole).
      ...(render.body.dictionary !== undefined ? { dictionary: render.body.dictionary } : {}),
      state: done ? config.recordState : 'progress',
      progress: Math.round(config.curve(fraction) * 100),
      creditSubstracted: done,
      thumbnailUrl: `${cdnUrl}/thumbnails/${render.key}.jpg`,
      ...(done ? { download_url: signedUrl(render.key) } : {})
    }
  }

  function signedUrl(key: string): string {
    const expires = Date.now() + config.urlLifetimeMs
    const file = `/videos/${key}/${encodeURIComponent(config.videoName)}`
    return `${cdnUrl}${file}?Expires=${expires}&Signature=${sign(secret, `${file}:${expires}`)}`
  }

  function progressOf(render: Render): { progress: number; url?: string; state: string } {
    const fraction = fractionOf(render)
    const progress = fraction >= 1 ? Math.round(config.curve(1) * 1e4) / 100 : Math.round(config.curve(fraction) * 1e4) / 100
    if (progress < 100) return { progress, state: 'progress' }
    render.pollsAt100++
    if (render.pollsAt100 <= config.urlLagPolls || !urlExists(render)) return { progress: 100, state: 'progress' }
    return { progress: 100, url: signedUrl(render.key), state: 'exported' }
  }

  /** The API: on the v3 origin both generations (a custom api-url serves both), on the legacy origin only its own. */
  async function api(req: http.IncomingMessage, res: http.ServerResponse, origin: 'api' | 'legacy'): Promise<void> {
    const body = await readBody(req)
    const url = new URL(req.url ?? '/', 'http://simulator')
    requests.push({ at: Date.now(), origin, method: req.method ?? '', path: url.pathname, headers: req.headers, body })
    const p = url.pathname
    const v3 = /^\/api\/odin\/v3\//.test(p)
    if (v3 && origin === 'legacy') return legacyFailure(res, 404, `No route ${req.method} ${p}`)
    const route: Route | undefined =
      p === '/api/odin/v3/auth/token'
        ? 'token'
        : p === '/api/odin/v3/auth'
          ? 'auth'
          : /\/editor\/progress\//.test(p)
            ? 'progress'
            : p === '/api/odin/v3/dropdown/workspaces'
              ? 'workspaces'
              : /\/editor\/project(\/|$)/.test(p) && req.method === 'POST'
                ? 'export'
                : /^\/api\/odin(\/v3)?\/editor\/project\/[^/]+$/.test(p) && req.method === 'GET'
                  ? 'project'
                  : p === '/api/odin/v3/editor/project' && req.method === 'DELETE'
                    ? 'delete'
                    : undefined
    // Each generation answers in its own envelope: v3 under `data`, legacy flat or under `data`, its failures with a top-level `msg`.
    const answer = (data: JsonObject): void =>
      v3 ? ok(res, data) : config.legacyShape === 'flat' ? send(res, 200, { success: true, ...data }) : ok(res, data)
    const refuse = (status: number, msg: string): void => (v3 ? failure(res, status, status, msg) : legacyFailure(res, status, msg))
    if (!route) return refuse(404, `No route ${req.method} ${p}`)
    const fault = takeFault(route)
    if (applyFault(fault, res, !v3)) return
    if (fault?.kind === 'trickle') pacing.set(res, { trickleMs: fault.everyMs })
    if (fault?.kind === 'delay') pacing.set(res, { delayMs: fault.ms })

    if (route === 'token') {
      const parsed = jsonBody(body)
      if (!parsed) return failure(res, 400, 400, 'Body is not JSON')
      const appId = typeof parsed.appId === 'string' ? parsed.appId : ''
      if (!appId || config.apps[appId] === undefined || config.apps[appId] !== parsed.userKey) {
        return config.authFailure === 'envelope'
          ? failure(res, 200, 401, 'Invalid appId or userKey')
          : failure(res, 401, 401, 'Invalid appId or userKey')
      }
      return ok(res, { token: mintToken() })
    }
    if (route === 'export' && config.revokeTokensAtExports.includes(++exportArrivals)) tokens.clear()
    if (route === 'auth') return ok(res, { isAuthenticated: tokenValid(req.headers.authorization ?? '') })
    if (!authorized(req, res, !v3)) return

    if (route === 'workspaces') return ok(res, [{ workspaceId: 'ws-1', workspaceName: 'Default' }])
    if (route === 'project' && !v3) {
      // get-project.mdx and the legacy tutorial: the project under `response`, beside `success`, not under `data`.
      const project = config.legacyProjects[decodeURIComponent(p.split('/').pop() ?? '')]
      if (!project) return legacyFailure(res, 404, 'Project not found')
      return send(res, 200, { success: true, response: project })
    }
    if (route === 'delete') {
      // delete-projects.md: `ids` (req) → `deletedCount`.
      const parsed = jsonBody(body)
      const ids = parsed?.ids
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) return failure(res, 400, 400, 'ids is required')
      const known = ids.filter((id) => renders.delete(id) || (Object.hasOwn(config.projects, id) && delete config.projects[id]))
      deleted.push(...known)
      return ok(res, { deletedCount: known.length })
    }
    if (route === 'project') {
      const id = decodeURIComponent(p.split('/').pop() ?? '')
      const render = renders.get(id)
      if (render) return ok(res, { project: exportedProject(render) })
      const project = config.projects[id]
      if (!project) return failure(res, 404, 404, `Project ${id} not found`)
      return ok(res, { project })
    }
    if (route === 'progress') {
      const key = decodeURIComponent(p.split('/').pop() ?? '')
      const render = renders.get(key)
      if (fault?.kind === 'not-found' && fault.shape === 'envelope') return send(res, 200, { success: false, error: { code: 'NOT_FOUND' } })
      if (!render || fault?.kind === 'not-found') return refuse(404, 'Project not found')
      const state = fault?.kind === 'url' ? { progress: 100, url: fault.url, state: 'exported' } : progressOf(render)
      const data: JsonObject = { progress: state.progress }
      if (config.withState) data.state = state.state
      if (state.url) {
        if (v3) data.downloadUrl = state.url
        else data[config.legacyUrlField] = state.url
      }
      return answer(data)
    }
    // route === 'export'
    const parsed = jsonBody(body)
    if (!parsed) return refuse(400, 'Body is not JSON')
    const generation = v3 ? 'v3' : 'legacy'
    // export-project.md: a saved project (a draft, or one made in the editor) exported as it is.
    const saved = v3 && p === '/api/odin/v3/editor/project/export' ? savedProject(parsed.projectId) : undefined
    if (v3 && p === '/api/odin/v3/editor/project/export') {
      if (typeof parsed.projectId !== 'string' || parsed.projectId === '') return refuse(400, 'projectId is required')
      // The API's envelope with its own code: the key an unknown project is refused with.
      if (!saved) return failure(res, 404, 'NOT_FOUND', `Project ${parsed.projectId} not found`)
    } else if (/\/editor\/project\/[^/]+$/.test(p)) {
      const id = decodeURIComponent(p.split('/').pop() ?? '')
      if (!config.projects[id]) return refuse(404, 'Project not found')
      if (!parsed.updates) return refuse(400, 'updates is required')
    } else if (!Array.isArray(parsed.scenes) || parsed.scenes.length === 0) {
      // The seed's bug (posting `{ scenes }` with scenes undefined) ends here.
      return refuse(400, 'scenes is required')
    } else {
      const problem = generation === 'v3' ? v3BodyProblem(parsed) : legacyBodyProblem(parsed)
      if (problem) return refuse(400, problem)
    }
    if (generation === 'v3' && parsed.resolution !== undefined && !['4k', '1080', '720', '480'].includes(parsed.resolution as string)) {
      return refuse(400, `Invalid resolution ${JSON.stringify(parsed.resolution)}`)
    }
    // create-project.md: `isExport: false` only saves the project (shown on the dashboard): nothing is rendered or billed.
    const draft = generation === 'v3' && p === '/api/odin/v3/editor/project' && parsed.isExport === false
    let key: string
    if (draft) {
      key = `draft-${randomBytes(8).toString('hex')}`
      const project: JsonObject = { ...parsed, _id: key, state: 'draft', progress: 0, creditSubstracted: false }
      for (const option of ['isExport', 'resolution', 'webhookUrl']) delete project[option]
      config.projects[key] = project
      drafts.push({ key, body: parsed })
    } else {
      // An exported saved project renders what the project holds, with the export's own options.
      const as: JsonObject | undefined = saved && {
        name: saved.name,
        orientation: saved.orientation,
        scenes: saved.scenes,
        ...(saved.dictionary !== undefined ? { dictionary: saved.dictionary } : {}),
        ...parsed,
        exportOf: parsed.projectId
      }
      if (as) delete as.projectId
      key = startRender(as || parsed, as && config.exportKeepsId ? String(parsed.projectId) : undefined)
      exports.push({ generation, path: p, body: parsed, key, finishesAt: Date.now() + config.queueMs + config.renderMs })
    }
    if (fault?.kind === 'lose-answer') {
      res.socket?.destroy()
      return
    }
    if (fault?.kind === 'hold-answer') return
    if (fault?.kind === 'rewrite')
      return void res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers }).end(fault.body ?? '')
    return answer(generation === 'v3' ? { projectId: key } : { key, cube_used: LEGACY_CUBES })
  }

  function cdn(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://cdn')
    requests.push({ at: Date.now(), origin: 'cdn', method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body: '' })
    const fault = takeFault('cdn')
    // On the CDN a redirect points at the video's new place (here: the same file, marked as moved).
    if (fault?.kind === 'redirect') return void res.writeHead(302, { Location: fault.location ?? `${req.url}&moved=1` }).end()
    if (applyFault(fault, res)) return
    const expires = Number(url.searchParams.get('Expires'))
    const signature = url.searchParams.get('Signature') ?? ''
    const match = /^\/videos\/([^/]+)\/[^/]+$/.exec(url.pathname)
    if (!match || !renders.has(match[1]) || signature !== sign(secret, `${url.pathname}:${expires}`)) {
      return send(res, 403, '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>')
    }
    if (Date.now() > expires)
      return send(res, 403, '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>')
    if (fault?.kind === 'html-page') return send(res, 200, htmlPage(503, 'Service Unavailable'))
    if (fault?.kind === 'endless') {
      res.writeHead(200, { 'Content-Type': 'video/mp4' })
      return void syntheticVideo(0, Infinity, 2 ** 40).pipe(res)
    }
    const length = config.videoSize || config.video.length
    const range = config.ranges ? /^bytes=(\d+)-$/.exec(req.headers.range ?? '') : null
    const start = range ? Number(range[1]) : 0
    if (start >= length && range) return send(res, 416, '')
    const headers: Record<string, string> = {
      'Content-Type': 'video/mp4',
      'Content-Length': String(length - start),
      ETag: `"${length}-${config.videoName}"`
    }
    if (config.ranges) headers['Accept-Ranges'] = 'bytes'
    if (range) headers['Content-Range'] = `bytes ${start}-${length - 1}/${length}`
    res.writeHead(range ? 206 : 200, headers)
    const partial = fault?.kind === 'cut' || fault?.kind === 'stall'
    const end = partial ? start + Math.floor((length - start) * fault.fraction) : length
    const whole = config.videoSize ? syntheticVideo(start, end, length) : Readable.from([config.video.subarray(start, end)])
    const body = fault?.kind === 'trickle' ? Readable.from(trickled(whole, fault.everyMs)) : whole
    body.pipe(res, { end: !partial })
    res.on('close', () => body.destroy())
    if (fault?.kind === 'cut') body.on('end', () => setTimeout(() => res.socket?.destroy(), 20))
  }

  const apiServer = http.createServer((req, res) => {
    // A legacy path served on the v3 origin (a custom api-url) fails in the legacy envelope too.
    const legacy = !(req.url ?? '').startsWith('/api/odin/v3/')
    api(req, res, 'api').catch((error: unknown) => (legacy ? legacyFailure(res, 500, String(error)) : failure(res, 500, 500, String(error))))
  })
  const legacyServer = http.createServer((req, res) => {
    api(req, res, 'legacy').catch((error: unknown) => legacyFailure(res, 500, String(error)))
  })
  const cdnServer = http.createServer(cdn)
  for (const server of [apiServer, legacyServer, cdnServer]) {
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
  }
  const apiUrl = await listen(apiServer)
  const legacyUrl = await listen(legacyServer)
  cdnUrl = await listen(cdnServer)

  return {
    mintToken,
    deleted,
    apiUrl,
    legacyUrl,
    cdnUrl,
    requests,
    exports,
    drafts,
    fired,
    options: config,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await Promise.all([apiServer, legacyServer, cdnServer].map((server) => new Promise((resolve) => server.close(resolve))))
    }
  }
}

/** Runs `body` with a simulator of its own, closed afterwards whatever happens. */
export async function withSimulator<T>(options: SimulatorOptions, body: (sim: Simulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator(options)
  try {
    return await body(sim)
  } finally {
    await sim.close()
  }
}
