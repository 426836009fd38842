/**
 * A stand-in for the GitHub Actions artifact service, as @actions/artifact 6 calls it: the Twirp JSON
 * endpoints CreateArtifact, FinalizeArtifact and ListArtifacts, and a small Azure block-blob endpoint
 * for the signed upload and download URLs. Artifacts belong to their run, so every job and attempt of
 * it sees them, and other runs do not (those reach them through the REST API stand-in, with a token).
 * A real HTTP server on loopback; tests read back what was stored.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

const TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/'

export interface StoredArtifact {
  id: number
  name: string
  /** The job (attempt) that uploaded it. */
  job: string
  /** The run's backend ID, and its number as GITHUB_RUN_ID says it. */
  run: string
  runId: number
  mimeType?: string
  expiresAt?: string
  /** Set by FinalizeArtifact. */
  finalized: boolean
  size?: string
  hash?: string
  bytes: Buffer
}

export interface ArtifactService {
  url: string
  /** Environment the artifact client needs, as the runner sets it (for the first job). */
  env: Record<string, string>
  /** The same for another job of the run, such as a re-run attempt. */
  envFor(job: string): Record<string, string>
  /** The environment of a job (the first unless named) of another workflow run, numbered `runId`. */
  envForRun(runId: number, job?: string): Record<string, string>
  artifacts: StoredArtifact[]
  /** Every request it received, Twirp and blob alike, in order. */
  requests: Array<{ method: string; path: string }>
  close(): Promise<void>
}

const base64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')

const RUN_BACKEND_ID = 'c4d5e6f7-run'
const JOB_BACKEND_ID = 'a1b2c3d4-job'
/** The first run's number, as run-action.ts sets GITHUB_RUN_ID. */
const FIRST_RUN_ID = 4242

/** A runtime token as the runner hands it out: a JWT whose `scp` names the run and job. */
function runtimeToken(job = JOB_BACKEND_ID, run = RUN_BACKEND_ID): string {
  const claims = { scp: `Actions.ExampleScope Actions.Results:${run}:${job}`, exp: 4102444800 }
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}.c2lnbmF0dXJl`
}

/** The run and job a runtime token's `scp` claim names, or undefined for anything else. */
function tokenScope(authorization: string | undefined): { run: string; job: string } | undefined {
  const payload = /^Bearer [^.]+\.([^.]+)\./.exec(authorization ?? '')?.[1]
  if (!payload) return undefined
  try {
    const { scp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string }
    const match = /Actions\.Results:([^:\s]+):(\S+)/.exec(scp ?? '')
    return match ? { run: match[1], job: match[2] } : undefined
  } catch {
    return undefined
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export interface ArtifactServiceOptions {
  /** Blob uploads of artifacts whose name matches get no answer, the connection left open (a stuck upload). */
  holdUploads?: RegExp
  /** Twirp calls (CreateArtifact, ListArtifacts, …) whose method matches get no answer, the connection left open (a hung service). */
  holdTwirp?: RegExp
}

export async function startArtifactService(options: ArtifactServiceOptions = {}): Promise<ArtifactService> {
  const artifacts: StoredArtifact[] = []
  const requests: Array<{ method: string; path: string }> = []
  const blocks = new Map<string, Buffer>()
  /** Run backend IDs by the run's number. */
  const runs = new Map<string, number>([[RUN_BACKEND_ID, FIRST_RUN_ID]])
  let origin = ''

  const json = (res: http.ServerResponse, status: number, body: object): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  const server = http.createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      requests.push({ method: req.method ?? '', path: url.pathname })
      if (url.pathname.startsWith(TWIRP)) {
        const request = JSON.parse(body.toString('utf8')) as Record<string, string>
        const job = request.workflow_job_run_backend_id
        const run = request.workflow_run_backend_id
        const method = url.pathname.slice(TWIRP.length)
        if (options.holdTwirp?.test(method)) return
        // A job's token reaches every artifact of its run (a download names the uploading job), and writes only as itself.
        const scope = tokenScope(req.headers.authorization)
        const writes = method === 'CreateArtifact' || method === 'FinalizeArtifact'
        if (!scope || scope.run !== run || (writes && scope.job !== job)) return json(res, 401, { code: 'unauthenticated', msg: 'bad token' })
        if (!runs.has(run)) return json(res, 400, { code: 'invalid_argument', msg: 'unknown run' })
        if (method === 'CreateArtifact') {
          if (artifacts.some((a) => a.run === run && a.name === request.name)) {
            return json(res, 409, { code: 'already_exists', msg: `an artifact named ${request.name} already exists` })
          }
          const artifact: StoredArtifact = {
            id: artifacts.length + 1,
            name: request.name,
            job,
            run,
            runId: runs.get(run) ?? 0,
            mimeType: request.mime_type,
            expiresAt: request.expires_at,
            finalized: false,
            bytes: Buffer.alloc(0)
          }
          artifacts.push(artifact)
          return json(res, 200, { ok: true, signed_upload_url: `${origin}/blob/${artifact.id}?sv=2024&sig=stand-in` })
        }
        if (method === 'FinalizeArtifact') {
          const artifact = artifacts.find((a) => a.run === run && a.name === request.name)
          if (!artifact) return json(res, 404, { code: 'not_found', msg: 'no such artifact' })
          Object.assign(artifact, { finalized: true, size: request.size, hash: request.hash })
          return json(res, 200, { ok: true, artifact_id: String(artifact.id) })
        }
        if (method === 'ListArtifacts') {
          const listed = artifacts
            .filter(
              (a) =>
                a.run === run &&
                a.finalized &&
                (!request.name_filter || a.name === request.name_filter) &&
                (!request.id_filter || String(a.id) === String(request.id_filter))
            )
            .map((a) => ({
              workflow_run_backend_id: a.run,
              workflow_job_run_backend_id: a.job,
              database_id: String(a.id),
              name: a.name,
              size: a.size ?? '0',
              created_at: new Date().toISOString()
            }))
          return json(res, 200, { artifacts: listed })
        }
        if (method === 'GetSignedArtifactURL') {
          const artifact = artifacts.find((a) => a.run === run && a.job === job && a.name === request.name && a.finalized)
          if (!artifact) return json(res, 404, { code: 'not_found', msg: 'no such artifact' })
          return json(res, 200, { signed_url: `${origin}/blob/${artifact.id}?sig=stand-in` })
        }
        return json(res, 404, { code: 'bad_route', msg: method })
      }
      const blob = /^\/blob\/(\d+)$/.exec(url.pathname)
      const artifact = blob ? artifacts.find((a) => a.id === Number(blob[1])) : undefined
      if (!artifact || url.searchParams.get('sig') !== 'stand-in') {
        res.writeHead(403).end()
        return
      }
      if (req.method === 'GET') {
        // A download, as the signed URL the REST API redirects to serves it: a zip, or the file itself.
        const zip = !artifact.mimeType || artifact.mimeType === 'application/zip'
        res.writeHead(200, {
          'Content-Type': artifact.mimeType ?? 'application/zip',
          'Content-Length': artifact.bytes.length,
          ...(zip ? {} : { 'Content-Disposition': `attachment; filename="${artifact.name}"` })
        })
        res.end(artifact.bytes)
        return
      }
      if (req.method !== 'PUT') {
        res.writeHead(405).end()
        return
      }
      if (options.holdUploads?.test(artifact.name)) return
      const comp = url.searchParams.get('comp')
      if (comp === 'block') {
        blocks.set(`${artifact.id}:${url.searchParams.get('blockid')}`, body)
      } else if (comp === 'blocklist') {
        const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]+)</g)].map((m) => m[1])
        artifact.bytes = Buffer.concat(ids.map((id) => blocks.get(`${artifact.id}:${id}`) ?? Buffer.alloc(0)))
      } else {
        artifact.bytes = body
      }
      res.writeHead(201, { 'x-ms-request-id': String(Date.now()) }).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const envFor = (job: string): Record<string, string> => ({ ACTIONS_RUNTIME_TOKEN: runtimeToken(job), ACTIONS_RESULTS_URL: `${origin}/` })
  const envForRun = (runId: number, job = JOB_BACKEND_ID): Record<string, string> => {
    const run = `run-${runId}`
    runs.set(run, runId)
    return { ACTIONS_RUNTIME_TOKEN: runtimeToken(job, run), ACTIONS_RESULTS_URL: `${origin}/`, GITHUB_RUN_ID: String(runId) }
  }
  return {
    url: origin,
    env: envFor(JOB_BACKEND_ID),
    envFor,
    envForRun,
    artifacts,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
