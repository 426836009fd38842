import { createHash } from 'node:crypto'
/**
 * A stand-in for the parts of the GitHub REST API the action calls through Octokit: compare, pull
 * request files, file contents, releases and their assets (with the uploads endpoint), issue comments,
 * and the repository's workflow artifacts (listed by name with their expiry, downloaded by a redirect
 * to the artifact service's signed URL), read from the artifact service stand-in when one is given.
 * A job's token (`jobToken`) carries the permissions its job was given, and each call wants the one
 * GitHub's REST reference names for it. A real HTTP server on loopback; tests point GITHUB_API_URL at
 * it and read back what it holds.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ArtifactService, StoredArtifact } from './artifact-service.ts'
import { atLeast, type Grant, type Level } from '../helpers/permissions.ts'

export const GITHUB_TOKEN = 'ghs_standInToken123'
/** A personal access token: its comments are written as its user, who /user names. */
export const PERSONAL_TOKEN = 'ghp_standInPersonal456'
export const PERSONAL_LOGIN = 'octo-dev'
/** Who each token writes as: the workflow token as the Actions bot, which cannot read /user. */
const AUTHORS: Record<string, string> = { [GITHUB_TOKEN]: 'github-actions[bot]', [PERSONAL_TOKEN]: PERSONAL_LOGIN }

/**
 * The permission each call wants from an installation token (GitHub's "Permissions required for GitHub
 * Apps"; any one of a list suffices): the calls are the ones the stand-in answers.
 */
function permissionFor(method: string, path: string): Array<[string, Level]> {
  if (/^\/repos\/[^/]+\/[^/]+\/actions\//.test(path)) return [['actions', 'read']]
  if (/^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/.test(path)) return [['pull-requests', 'read']]
  if (/^\/repos\/[^/]+\/[^/]+\/issues\//.test(path)) {
    const level: Level = method === 'GET' ? 'read' : 'write'
    return [
      ['issues', level],
      ['pull-requests', level]
    ]
  }
  if (/^\/repos\/[^/]+\/[^/]+\/(compare|contents|releases)\//.test(path)) return [['contents', method === 'GET' ? 'read' : 'write']]
  if (/^\/uploads\//.test(path)) return [['contents', 'write']]
  return []
}

export interface Asset {
  id: number
  name: string
  bytes: Buffer
}
export interface Release {
  id: number
  tag: string
  assets: Asset[]
  /** Uploads to this release are refused as GitHub refuses a token without contents: write. */
  readOnly?: boolean
}
/** A workflow run as GET /actions/runs/{id} describes it: what triggered it, and from where. */
export interface WorkflowRun {
  event: string
  headBranch: string
  /** The repository the run's code came from: `octo-org/videos`, or a fork's. */
  headRepository: string
  /** The pull requests of a `pull_request` run (GitHub lists none for a fork's). */
  pullRequests?: number[]
}
export interface Comment {
  id: number
  issue: number
  body: string
  /** The login of who wrote it. */
  author: string
}

export interface GitHubApi {
  url: string
  /**
   * Changed files of a compare, by its `base...head` (one entry a push, so a test can model several), or
   * a pull request's live list (`pr:N`: its files now, which a later push changes); a rename names its old path.
   */
  changes: Map<string, Array<string | { filename: string; previous_filename: string }>>
  /** File contents by `ref:path`. */
  contents: Map<string, string>
  releases: Release[]
  comments: Comment[]
  /** Pull requests whose comments are refused as GitHub refuses a token without pull-requests: write. */
  readOnlyIssues: number[]
  /**
   * Holds the answers to listing comments until this many lists arrived, then answers them all with
   * what each saw on arrival: concurrent runs that read before either writes. Cleared once it fires.
   */
  commentListBarrier?: number
  /** Workflow runs by ID; a run not here answers 404. */
  runs: Map<number, WorkflowRun>
  requests: Array<{ method: string; path: string; authorization?: string }>
  /** Calls refused (403) because the job token lacked the permission named. */
  refused: Array<{ method: string; path: string; wanted: string }>
  /** A new job token with these permissions, as GitHub mints one for each job; it writes as the Actions bot. */
  jobToken(permissions: Grant): string
  close(): Promise<void>
}

/** Calls that get no answer, the connection left open (a stuck upload or a hung API). */
export type HeldCall = 'asset-upload' | 'comment' | 'artifact-list' | 'compare'

export async function startGitHubApi(artifacts?: ArtifactService, hold: HeldCall[] = []): Promise<GitHubApi> {
  const api: Omit<GitHubApi, 'url' | 'close' | 'commentListBarrier' | 'jobToken'> = {
    changes: new Map(),
    contents: new Map(),
    releases: [],
    comments: [],
    readOnlyIssues: [],
    runs: new Map(),
    requests: [],
    refused: []
  }
  /** The job tokens minted, with their permissions; the two fixed tokens may do anything. */
  const jobTokens = new Map<string, Grant>()
  const control: { commentListBarrier?: number } = {}
  const held: Array<() => void> = []
  let origin = ''
  let nextId = 100

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const notFound = (res: http.ServerResponse): void => json(res, 404, { message: 'Not Found' })
  const expired = (artifact: StoredArtifact): boolean => artifact.expiresAt !== undefined && Date.parse(artifact.expiresAt) <= Date.now()
  const artifactJson = (artifact: StoredArtifact) => ({
    id: artifact.id,
    name: artifact.name,
    size_in_bytes: artifact.bytes.length,
    expired: expired(artifact),
    expires_at: artifact.expiresAt ?? null,
    archive_download_url: `${origin}/repos/octo-org/videos/actions/artifacts/${artifact.id}/zip`,
    workflow_run: { id: artifact.runId, head_branch: api.runs.get(artifact.runId)?.headBranch ?? null }
  })
  const changedFile = (file: string | { filename: string; previous_filename: string }) =>
    typeof file === 'string' ? { filename: file, status: 'modified' } : { ...file, status: 'renamed' }
  const runJson = (id: number, run: WorkflowRun) => ({
    id,
    event: run.event,
    head_branch: run.headBranch,
    head_repository: { full_name: run.headRepository },
    repository: { full_name: 'octo-org/videos' },
    pull_requests: (run.pullRequests ?? []).map((number) => ({ number }))
  })
  const commentJson = (comment: Comment) => ({
    id: comment.id,
    body: comment.body,
    user: { login: comment.author, type: comment.author.endsWith('[bot]') ? 'Bot' : 'User' }
  })
  const assetJson = (asset: Asset) => ({
    id: asset.id,
    name: asset.name,
    size: asset.bytes.length,
    browser_download_url: `${origin}/download/${asset.id}/${asset.name}`,
    // GitHub digests each asset it stores (release asset objects carry `digest` since 2025).
    digest: `sha256:${createHash('sha256').update(asset.bytes).digest('hex')}`
  })
  const releaseJson = (release: Release) => ({
    id: release.id,
    tag_name: release.tag,
    html_url: `https://github.com/octo-org/videos/releases/tag/${release.tag}`,
    upload_url: `${origin}/uploads/repos/octo-org/videos/releases/${release.id}/assets{?name,label}`,
    assets: release.assets.map(assetJson)
  })

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const p = url.pathname.replace(/^\/api\/v3/, '')
      api.requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization })
      const token = /^(?:token|Bearer) (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
      const granted = jobTokens.get(token)
      const author = granted ? 'github-actions[bot]' : AUTHORS[token]
      if (!author) return json(res, 401, { message: 'Bad credentials' })
      if (granted) {
        const wanted = permissionFor(req.method ?? '', p)
        if (wanted.length > 0 && !wanted.some(([scope, level]) => atLeast(granted[scope], level))) {
          api.refused.push({
            method: req.method ?? '',
            path: url.pathname,
            wanted: wanted.map(([scope, level]) => `${scope}: ${level}`).join(' or ')
          })
          return json(res, 403, { message: 'Resource not accessible by integration' })
        }
      }
      if (p === '/user' && req.method === 'GET') {
        return token === GITHUB_TOKEN || granted
          ? json(res, 403, { message: 'Resource not accessible by integration' })
          : json(res, 200, { login: author, id: 7, type: 'User' })
      }
      let m: RegExpExecArray | null
      if (/^\/repos\/[^/]+\/[^/]+\/actions\/artifacts$/.test(p) && req.method === 'GET') {
        if (hold.includes('artifact-list')) return
        // Newest first, as GitHub lists them; `name` filters by the exact name.
        const name = url.searchParams.get('name')
        const listed = (artifacts?.artifacts ?? []).filter((a) => a.finalized && (!name || a.name === name)).reverse()
        // Paged as GitHub pages it: per_page (default 30, at most 100), page from 1.
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
        const page = Number(url.searchParams.get('page') ?? 1)
        return json(res, 200, { total_count: listed.length, artifacts: listed.slice((page - 1) * perPage, page * perPage).map(artifactJson) })
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)$/.exec(p)) && req.method === 'GET') {
        const artifact = artifacts?.artifacts.find((a) => a.id === Number(m![1]))
        return artifact ? json(res, 200, artifactJson(artifact)) : notFound(res)
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)$/.exec(p)) && req.method === 'GET') {
        const run = api.runs.get(Number(m[1]))
        return run ? json(res, 200, runJson(Number(m[1]), run)) : notFound(res)
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)$/.exec(p)) && req.method === 'GET') {
        const run = api.runs.get(Number(m[1]))
        return run ? json(res, 200, runJson(Number(m[1]), run)) : notFound(res)
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)\/zip$/.exec(p)) && req.method === 'GET') {
        const artifact = artifacts?.artifacts.find((a) => a.id === Number(m![1]))
        if (!artifact || !artifacts) return notFound(res)
        if (expired(artifact)) return json(res, 410, { message: 'Artifact has expired' })
        res.writeHead(302, { Location: `${artifacts.url}/blob/${artifact.id}?sig=stand-in` }).end()
        return
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/compare\/(.+)$/.exec(p)) && req.method === 'GET') {
        if (hold.includes('compare')) return
        // GitHub lists at most 300 files for a whole comparison, whatever the paging.
        const files = api.changes.get(decodeURIComponent(m[1]))
        return files ? json(res, 200, { files: files.slice(0, 300).map(changedFile) }) : notFound(res)
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/files$/.exec(p)) && req.method === 'GET') {
        // At most 3,000 files, in pages linked as GitHub links them.
        const files = (api.changes.get(`pr:${m[1]}`) ?? []).slice(0, 3000)
        const perPage = Number(url.searchParams.get('per_page') ?? 30)
        const page = Number(url.searchParams.get('page') ?? 1)
        if (page * perPage < files.length) {
          const next = new URL(url.pathname, origin)
          next.searchParams.set('per_page', String(perPage))
          next.searchParams.set('page', String(page + 1))
          res.setHeader('Link', `<${next.href}>; rel="next"`)
        }
        return json(res, 200, files.slice((page - 1) * perPage, page * perPage).map(changedFile))
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/.exec(p)) && req.method === 'GET') {
        const text = api.contents.get(`${url.searchParams.get('ref')}:${decodeURIComponent(m[1])}`)
        if (text === undefined) return notFound(res)
        // The raw media type gives the file itself (up to 100 MB); the JSON one only up to 1 MB, as GitHub's do.
        if (/vnd\.github(\.v3)?\.raw/.test(req.headers.accept ?? ''))
          return res.writeHead(200, { 'content-type': 'application/vnd.github.raw' }).end(text)
        if (Buffer.byteLength(text) > 1 << 20)
          return json(res, 403, {
            message: 'This API returns blobs up to 1 MB in size.',
            errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }]
          })
        return json(res, 200, { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64') })
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/releases\/tags\/(.+)$/.exec(p)) && req.method === 'GET') {
        const release = api.releases.find((r) => r.tag === decodeURIComponent(m![1]))
        return release ? json(res, 200, releaseJson(release)) : notFound(res)
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/releases\/(\d+)\/assets$/.exec(p)) && req.method === 'GET') {
        const release = api.releases.find((r) => r.id === Number(m![1]))
        return release ? json(res, 200, release.assets.map(assetJson)) : notFound(res)
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/releases\/assets\/(\d+)$/.exec(p)) && req.method === 'DELETE') {
        for (const release of api.releases) release.assets = release.assets.filter((a) => a.id !== Number(m![1]))
        res.writeHead(204).end()
        return
      }
      if ((m = /^\/uploads\/repos\/[^/]+\/[^/]+\/releases\/(\d+)\/assets$/.exec(url.pathname)) && req.method === 'POST') {
        if (hold.includes('asset-upload')) return
        const release = api.releases.find((r) => r.id === Number(m![1]))
        // GitHub renames what it calls special characters: each run becomes one '.', accents dropped, no dot at either end.
        const name = (url.searchParams.get('name') ?? '')
          .normalize('NFKD')
          .replace(/\p{M}/gu, '')
          .replace(/[^\w.-]+/g, '.')
          .replace(/\.{2,}/g, '.')
          .replace(/^\.|\.$/g, '')
        if (!release) return notFound(res)
        if (release.readOnly) return json(res, 403, { message: 'Resource not accessible by integration' })
        if (release.assets.some((a) => a.name === name))
          return json(res, 422, { message: 'Validation Failed', errors: [{ code: 'already_exists', field: 'name' }] })
        // GitHub's upload endpoint wants the asset's length up front.
        if (req.headers['content-length'] !== String(body.length)) return json(res, 411, { message: 'Length Required' })
        const asset = { id: nextId++, name, bytes: body }
        release.assets.push(asset)
        return json(res, 201, assetJson(asset))
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(p))) {
        const issue = Number(m[1])
        if (req.method === 'GET') {
          const seen = api.comments.filter((c) => c.issue === issue).map(commentJson)
          if (!control.commentListBarrier) return json(res, 200, seen)
          held.push(() => json(res, 200, seen))
          if (held.length >= control.commentListBarrier) {
            control.commentListBarrier = undefined
            for (const answer of held.splice(0)) answer()
          }
          return
        }
        if (req.method === 'POST') {
          if (hold.includes('comment')) return
          if (api.readOnlyIssues.includes(issue)) return json(res, 403, { message: 'Resource not accessible by integration' })
          const comment = { id: nextId++, issue, body: (JSON.parse(body.toString()) as { body: string }).body, author }
          api.comments.push(comment)
          return json(res, 201, {
            id: comment.id,
            body: comment.body,
            html_url: `https://github.com/octo-org/videos/pull/${issue}#issuecomment-${comment.id}`
          })
        }
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(p)) && req.method === 'DELETE') {
        const index = api.comments.findIndex((c) => c.id === Number(m![1]))
        if (index < 0) return notFound(res)
        api.comments.splice(index, 1)
        res.writeHead(204).end()
        return
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(p)) && req.method === 'PATCH') {
        const comment = api.comments.find((c) => c.id === Number(m![1]))
        if (!comment) return notFound(res)
        if (api.readOnlyIssues.includes(comment.issue)) return json(res, 403, { message: 'Resource not accessible by integration' })
        // As on GitHub, a token that may write to the repository may edit anyone's comment.
        comment.body = (JSON.parse(body.toString()) as { body: string }).body
        return json(res, 200, {
          id: comment.id,
          body: comment.body,
          html_url: `https://github.com/octo-org/videos/pull/${comment.issue}#issuecomment-${comment.id}`
        })
      }
      return notFound(res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    ...api,
    get commentListBarrier() {
      return control.commentListBarrier
    },
    set commentListBarrier(count: number | undefined) {
      control.commentListBarrier = count
    },
    url: origin,
    jobToken: (permissions) => {
      const token = `ghs_standInJob${jobTokens.size + 1}`
      jobTokens.set(token, { ...permissions })
      return token
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
