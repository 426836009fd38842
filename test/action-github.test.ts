/** GitHub's side through real Octokit over HTTP to a stand-in of the REST API: changes, releases, comments. */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { eventEnv as githubEvent, makeWorkspace, runAction, type ActionRun } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Simulator } from './simulator/server.ts'
import { GITHUB_TOKEN, PERSONAL_LOGIN, PERSONAL_TOKEN, startGitHubApi, type GitHubApi, type Release } from './stand-ins/github-api.ts'

let sim: Simulator
let github: GitHubApi
before(async () => {
  sim = await startSimulator({ renderMs: 600 })
  github = await startGitHubApi()
})
after(async () => {
  await sim.close()
  await github.close()
})

const eventEnv = (name: string, payload: object): Record<string, string> => githubEvent(name, payload, github.url)

const manifest = (cText = 'c.txt') => `videos:
  - name: a
    project-id: ${SAMPLE_PROJECT_ID}
    script-file: speech/a.txt
  - name: b
    project-id: ${SAMPLE_PROJECT_ID}
    script-file: speech/b.txt
  - name: c
    project-id: ${SAMPLE_PROJECT_ID}
    script-file: speech/${cText}
`
const workspaceFiles = { 'videos.yml': manifest(), 'speech/a.txt': 'A', 'speech/b.txt': 'B', 'speech/c.txt': 'C', 'speech/c2.txt': 'C2' }

/** A run of the manifest with only-changed in `env`'s event, with `more` inputs. */
const runChanged = (env: Record<string, string>, more: Record<string, string> = {}, files = workspaceFiles): Promise<ActionRun> =>
  runAction({
    workspace: makeWorkspace(files),
    inputs: {
      'api-key': sim.mintToken(),
      'api-url': sim.apiUrl,
      manifest: 'videos.yml',
      'only-changed': 'true',
      'github-token': GITHUB_TOKEN,
      ...more
    },
    env
  })

async function renderChanged(event: string, payload: object, files = workspaceFiles): Promise<{ run: ActionRun; rendered: string[] }> {
  const run = await runChanged(eventEnv(event, payload), {}, files)
  const rendered = run.outputs.videos ? (JSON.parse(run.outputs.videos) as Array<{ name: string }>).map((v) => v.name) : []
  return { run, rendered }
}

describe('only-changed', () => {
  it('renders just the videos whose files a push changed', async () => {
    github.changes.set('aaa111...bbb222', ['speech/b.txt', 'README.md'])
    const { run, rendered } = await renderChanged('push', { before: 'aaa111', after: 'bbb222' })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(rendered, ['b'])
    assert.ok(github.requests.some((r) => r.path.endsWith('/compare/aaa111...bbb222') && r.authorization === `token ${GITHUB_TOKEN}`))
  })

  it('counts a manifest entry edited in the push as changed, and only that one', async () => {
    github.changes.set('ccc...ddd', ['videos.yml'])
    github.contents.set('ccc:videos.yml', manifest())
    const { run, rendered } = await renderChanged('push', { before: 'ccc', after: 'ddd' }, { ...workspaceFiles, 'videos.yml': manifest('c2.txt') })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(rendered, ['c'])
  })

  it("renders the files a pull request event's commits changed", async () => {
    github.changes.set('base7...head7', ['speech/a.txt', 'speech/c.txt'])
    const { run, rendered } = await renderChanged('pull_request', { pull_request: { number: 7, base: { sha: 'base7' }, head: { sha: 'head7' } } })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(rendered, ['a', 'c'])
    assert.ok(github.requests.some((r) => r.path.endsWith('/compare/base7...head7')))
  })

  for (const [event, payload, why] of [
    ['push', { before: 'eee', after: 'fff', forced: true }, 'a force push'],
    ['push', { before: '0000000000000000000000000000000000000000', after: 'fff' }, 'a new branch'],
    ['schedule', {}, 'a schedule run']
  ] as const) {
    it(`renders everything, and says so, for ${why}`, async () => {
      const { run, rendered } = await renderChanged(event, payload)
      assert.equal(run.code, 0, run.stdout)
      assert.deepEqual(rendered, ['a', 'b', 'c'])
      assert.match(run.stdout, /::notice::only-changed: .*rendering everything/)
    })
  }

  /** 340 other files, then the speech file last: beyond compare's 300. */
  const manyThenB = [...Array.from({ length: 340 }, (_, i) => `assets/file-${i}.png`), 'speech/b.txt']

  it("renders everything, with a notice, when compare's 300-file list may be cut and the checkout lacks the commits", async () => {
    github.changes.set('iii...jjj', manyThenB)
    const { run, rendered } = await renderChanged('push', { before: 'iii', after: 'jjj' })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(rendered, ['a', 'b', 'c'])
    assert.match(
      run.stdout,
      /::notice::only-changed: GitHub's compare lists at most 300 files, and the checkout does not hold both commits .*rendering everything/
    )
  })

  it("takes a large push's changes from the checkout's git diff when it holds both commits", async () => {
    const workspace = makeWorkspace(workspaceFiles)
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', workspace, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim()
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'one')
    const before = git('rev-parse', 'HEAD')
    fs.writeFileSync(path.join(workspace, 'speech/b.txt'), 'B, rewritten')
    git('commit', '-qam', 'two')
    const after = git('rev-parse', 'HEAD')
    github.changes.set(`${before}...${after}`, manyThenB)
    const run = await runAction({
      workspace,
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'only-changed': 'true', 'github-token': GITHUB_TOKEN },
      env: eventEnv('push', { before, after })
    })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(
      (JSON.parse(run.outputs.videos) as Array<{ name: string }>).map((v) => v.name),
      ['b']
    )
    assert.match(run.stdout, /only-changed: GitHub's compare lists at most 300 files; the changes were taken from the checkout's git diff/)
  })

  it("renders everything, with a notice, past compare's 300 files for a pull request, never reading its live list", async () => {
    github.changes.set('base8...head8', manyThenB)
    github.changes.set('pr:8', ['speech/c.txt'])
    const { run, rendered } = await renderChanged('pull_request', { pull_request: { number: 8, base: { sha: 'base8' }, head: { sha: 'head8' } } })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(rendered, ['a', 'b', 'c'])
    assert.match(
      run.stdout,
      /::notice::only-changed: GitHub's compare lists at most 300 files, and the checkout does not hold both commits .*rendering everything/
    )
    assert.ok(!github.requests.some((r) => r.path.includes('/pulls/8/files')))
  })

  it('counts a moved file for its old path too', async () => {
    github.changes.set('base9...head9', [{ filename: 'archive/b.txt', previous_filename: 'speech/b.txt' }])
    const { run, rendered } = await renderChanged('pull_request', { pull_request: { number: 9, base: { sha: 'base9' }, head: { sha: 'head9' } } })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(rendered, ['b'])
  })

  it('exits 0 with a notice and no export when nothing changed', async () => {
    github.changes.set('ggg...hhh', ['docs/index.md'])
    const exports = sim.exports.length
    const { run } = await renderChanged('push', { before: 'ggg', after: 'hhh' })
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /::notice::only-changed: no video's inputs changed; nothing was rendered/)
    assert.equal(sim.exports.length, exports)
  })

  it("plans an empty matrix with count 0 (the render job's guard), not saying anything was rendered", async () => {
    github.changes.set('iii...jjj', ['docs/index.md'])
    const run = await runChanged(eventEnv('push', { before: 'iii', after: 'jjj' }), { plan: 'true' })
    assert.equal(run.code, 0, run.stdout)
    assert.ok(
      github.requests.some((r) => r.path.endsWith('/compare/iii...jjj')),
      'the changes were asked for'
    )
    assert.deepEqual(JSON.parse(run.outputs.matrix), { include: [] })
    assert.equal(run.outputs.count, '0')
    assert.match(run.stdout, /::notice::only-changed: no video's inputs changed; the plan lists no video \(count 0\)/)
    assert.doesNotMatch(run.stdout, /nothing was rendered/)
  })
})

describe('release assets', () => {
  /** A run with release-upload, in the environment of `env`'s event (the release of tag v1.0 unless told). */
  const release = (extra: Record<string, string> = {}, env = eventEnv('release', { release: { tag_name: 'v1.0' } })) =>
    runAction({
      inputs: {
        'api-key': sim.mintToken(),
        'api-url': sim.apiUrl,
        'project-id': SAMPLE_PROJECT_ID,
        'release-upload': 'true',
        'github-token': GITHUB_TOKEN,
        ...extra
      },
      env
    })

  /** A release of its own for each test, so each passes alone and in any order; `existing` is already attached. */
  const releaseOf = (tag: string, existing = false): { release: Release; env: Record<string, string> } => {
    const made: Release = {
      id: github.releases.length + 100,
      tag,
      assets: existing ? [{ id: 7000 + github.releases.length, name: 'ai-studios-video.mp4', bytes: Buffer.from('old') }] : []
    }
    github.releases.push(made)
    return { release: made, env: eventEnv('release', { release: { tag_name: tag } }) }
  }

  it('attaches the video to the release of the event', async () => {
    const { release: v10, env } = releaseOf('v1.0')
    const run = await release({}, env)
    assert.equal(run.code, 0, run.stdout)
    assert.equal(v10.assets.length, 1)
    assert.equal(v10.assets[0].name, 'ai-studios-video.mp4')
    assert.deepEqual(v10.assets[0].bytes, SAMPLE_VIDEO)
  })

  it('refuses to replace an asset of the same name unless asked', async () => {
    const { release: v11, env } = releaseOf('v1.0.1', true)
    const run = await release({}, env)
    assert.equal(run.code, 1)
    assert.match(
      run.stdout,
      /::error::Attaching the video to release v1\.0\.1 failed: Release v1\.0\.1 already has an asset named ai-studios-video\.mp4; set 'release-replace: true' to replace it/
    )
    assert.deepEqual(
      v11.assets.map((asset) => asset.bytes.toString()),
      ['old']
    )
  })

  it('replaces it when asked', async () => {
    const { release: v12, env } = releaseOf('v1.0.2', true)
    const before = v12.assets[0].id
    const run = await release({ 'release-replace': 'true' }, env)
    assert.equal(run.code, 0, run.stdout)
    assert.equal(v12.assets.length, 1)
    assert.notEqual(v12.assets[0].id, before)
    assert.deepEqual(v12.assets[0].bytes, SAMPLE_VIDEO)
  })

  it('finds an asset GitHub renamed by its stored name: says so, refuses it unless asked, replaces it when asked', async () => {
    const v2Release: Release = { id: 3, tag: 'v2.0', assets: [] }
    github.releases.push(v2Release)
    const v2 = eventEnv('release', { release: { tag_name: 'v2.0' } })
    const named = { 'output-name': 'Weekly promo (final).mp4' }
    const first = await release(named, v2)
    assert.equal(first.code, 0, first.stdout)
    const [stored] = v2Release.assets
    assert.equal(stored.name, 'Weekly.promo.final.mp4', 'the stand-in renamed it as GitHub does')
    assert.match(first.stdout, /Attached Weekly promo \(final\)\.mp4 on release v2\.0 \(GitHub stores it as Weekly\.promo\.final\.mp4\)/)

    // The very same bytes would be delivered already; another video under that name is what is refused.
    const same = await release(named, v2)
    assert.equal(same.code, 0, same.stdout)
    assert.match(same.stdout, /Release v2\.0 already holds Weekly promo \(final\)\.mp4 with the same SHA-256: nothing uploaded/)
    stored.bytes = Buffer.from('an older video of that name')
    const again = await release(named, v2)
    assert.equal(again.code, 1)
    assert.match(
      again.stdout,
      /::error::Attaching the video to release v2\.0 failed: Release v2\.0 already has an asset named Weekly\.promo\.final\.mp4 \(GitHub's name for Weekly promo \(final\)\.mp4\); set 'release-replace: true'/
    )

    const replaced = await release({ ...named, 'release-replace': 'true' }, v2)
    assert.equal(replaced.code, 0, replaced.stdout)
    assert.deepEqual(
      v2Release.assets.map((a) => a.name),
      ['Weekly.promo.final.mp4']
    )
    assert.notEqual(v2Release.assets[0].id, stored.id)
    assert.ok(github.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(`/releases/assets/${stored.id}`)))
  })

  it('says what GitHub answered when the upload is refused', async () => {
    github.releases.push({ id: 2, tag: 'v1.1', assets: [], readOnly: true })
    const run = await release({}, eventEnv('release', { release: { tag_name: 'v1.1' } }))
    assert.equal(run.code, 1)
    assert.match(
      run.stdout,
      /::error::Attaching the video to release v1\.1 failed: Uploading ai-studios-video\.mp4 to the release failed: HTTP 403 Resource not accessible by integration \(the token needs 'contents: write'\)/
    )
  })

  it('needs a release: refused before anything is sent outside a release event', async () => {
    const requests = sim.requests.length
    const run = await release({}, eventEnv('push', {}))
    assert.equal(run.code, 1)
    assert.match(run.stdout, /::error::Input 'release-tag': 'release-upload' needs a release/)
    assert.equal(sim.requests.length, requests)
  })
})

describe('the pull request comment', () => {
  it('is created once, then updated by later runs, never duplicated', async () => {
    const comment = () =>
      runAction({
        inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, comment: 'true', 'github-token': GITHUB_TOKEN },
        env: eventEnv('pull_request', { pull_request: { number: 12, base: { sha: 'x' } } })
      })
    const first = await comment()
    assert.equal(first.code, 0, first.stdout)
    assert.equal(github.comments.filter((c) => c.issue === 12).length, 1)
    const firstBody = github.comments[0].body
    const second = await comment()
    assert.equal(second.code, 0, second.stdout)
    const mine = github.comments.filter((c) => c.issue === 12)
    assert.equal(mine.length, 1)
    assert.notEqual(mine[0].body, firstBody, 'updated with the new render')
    assert.match(mine[0].body, new RegExp(`AI Studios videos.*\\| video \\| downloaded \\| \`${sim.exports.at(-1)?.key}\` \\| 47\\.1 KiB`, 's'))
  })

  /** A pull request event; its head commit `head` (the push it was made for) unless told. */
  const pr = (number: number, head = 'head') => eventEnv('pull_request', { pull_request: { number, base: { sha: 'x' }, head: { sha: head } } })
  const marker = '<!-- aistudios-video-action -->'

  it('never edits a comment with the marker that another user wrote, and writes its own beside it', async () => {
    const planted = { id: 9001, issue: 20, author: 'mallory', body: `${marker}\n[click me](https://evil.example)` }
    github.comments.push({ ...planted })
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, comment: 'true', 'github-token': GITHUB_TOKEN },
      env: pr(20)
    })
    assert.equal(run.code, 0, run.stdout)
    assert.deepEqual(
      github.comments.find((c) => c.id === 9001),
      planted
    )
    assert.ok(!github.requests.some((r) => r.path.endsWith('/issues/comments/9001')), 'no write to the planted comment')
    const mine = github.comments.filter((c) => c.issue === 20 && c.author === 'github-actions[bot]')
    assert.equal(mine.length, 1)
    assert.match(mine[0].body, new RegExp(`\\| \`${sim.exports.at(-1)?.key}\` \\|`))
    assert.match(run.stdout, /Comment 9001 carries the video comment's marker but was not written by github-actions\[bot\]/)
  })

  it('with a personal token, keeps to the comment its user wrote', async () => {
    github.comments.push({ id: 9002, issue: 21, author: 'github-actions[bot]', body: `${marker}\nthe bot's` })
    const inputs = {
      'api-key': sim.mintToken(),
      'api-url': sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      comment: 'true',
      'github-token': PERSONAL_TOKEN
    }
    const first = await runAction({ inputs, env: pr(21) })
    const second = await runAction({ inputs, env: pr(21) })
    assert.equal(second.code, 0, second.stdout)
    assert.equal(github.comments.find((c) => c.id === 9002)?.body, `${marker}\nthe bot's`)
    const mine = github.comments.filter((c) => c.issue === 21 && c.author === PERSONAL_LOGIN)
    assert.equal(mine.length, 1, 'one comment of its own, updated')
    const [firstKey, secondKey] = sim.exports.slice(-2).map((exported) => exported.key)
    assert.equal(first.outputs['project-id'], firstKey)
    assert.match(mine[0].body, new RegExp(`\`${secondKey}\``))
    assert.doesNotMatch(mine[0].body, new RegExp(`\`${firstKey}\``), 'the row was updated, not added')
  })

  it('escapes an API message so it adds no heading, link or image; a run rendering nothing keeps the rows', async () => {
    sim.options.faults.push({
      route: 'export',
      kind: 'envelope',
      code: 4002,
      msg: 'Nope\n## Pwned [click](https://evil.example) ![x](https://evil.example/x.png) `tick` <b>|</b>'
    })
    const inputs = {
      'api-key': sim.mintToken(),
      'api-url': sim.apiUrl,
      'project-id': SAMPLE_PROJECT_ID,
      comment: 'true',
      'github-token': GITHUB_TOKEN
    }
    const failed = await runAction({ inputs, env: pr(22) })
    assert.equal(failed.code, 1)
    assert.equal(sim.options.faults.length, 0, 'the fault fired')
    const [comment] = github.comments.filter((c) => c.issue === 22)
    const failedRow = comment.body.split('\n').find((line) => line.includes('Nope'))
    assert.ok(failedRow, comment.body)
    assert.equal(failedRow.split('|').length, 10, 'the message stays in its cell')
    assert.doesNotMatch(comment.body, /^#{1,6} (?!🎬)/m)
    assert.doesNotMatch(comment.body, /\]\(https:\/\/evil|<b>|`tick`|https:\/\/evil/)
    assert.match(failedRow, /Nope &#35;&#35; Pwned &#91;click&#93;&#40;https&#58;\/\/evil\.example&#41; &#33;&#91;x&#93;/)

    // only-changed finds nothing to render: the comment is left as it was.
    github.changes.set('x...head22', ['README.md'])
    const nothing = await runChanged(pr(22, 'head22'), { comment: 'true' })
    assert.equal(nothing.code, 0, nothing.stdout)
    assert.deepEqual(
      github.comments.filter((c) => c.issue === 22),
      [comment]
    )
  })

  it('keeps rows per video: a run updates its own videos and leaves the others', async () => {
    /** A run for a push to the pull request that changed `files`. */
    const changed = (files: string[], runId: string) => {
      github.changes.set(`x...push${runId}`, files)
      return runChanged({ ...pr(23, `push${runId}`), GITHUB_RUN_ID: runId }, { comment: 'true' })
    }
    const first = await changed(['speech/a.txt', 'speech/b.txt'], '5001')
    assert.equal(first.code, 0, first.stdout)
    const second = await changed(['speech/b.txt', 'speech/c.txt'], '5002')
    assert.equal(second.code, 0, second.stdout)
    const comments = github.comments.filter((c) => c.issue === 23)
    assert.equal(comments.length, 1)
    const rows = comments[0].body.split('\n').filter((line) => /^\| [abc] \|/.test(line))
    const keyOf = (run: { outputs: Record<string, string> }, name: string) =>
      (JSON.parse(run.outputs.videos) as Array<{ name: string; 'project-id': string }>).find((v) => v.name === name)?.['project-id']
    assert.deepEqual(
      rows.map((line) => line.split(' | ').slice(0, 3).join(' | ')),
      [`| a | downloaded | \`${keyOf(first, 'a')}\``, `| b | downloaded | \`${keyOf(second, 'b')}\``, `| c | downloaded | \`${keyOf(second, 'c')}\``]
    )
    assert.match(rows[0], /actions\/runs\/5001\)/)
    assert.match(rows[2], /actions\/runs\/5002\)/)
  })

  it('is skipped with a warning when there is no token', async () => {
    const run = await runAction({
      inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, comment: 'true', 'github-token': '' },
      env: eventEnv('pull_request', { pull_request: { number: 13 } })
    })
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /::warning::'github-token' is empty: only-changed, reuse, from-draft, release-upload and comment are skipped/)
    assert.equal(github.comments.filter((c) => c.issue === 13).length, 0)
  })
})
