import assert from 'node:assert/strict'
import { beforeEach, describe, it } from 'node:test'
import type { GitHubSettings, VideoSpec } from '../../src/domain.ts'
import type { GitHub } from '../../src/github/connect.ts'
import { definitionOf } from '../../src/job/manifest.ts'
import { MAX_MATRIX_JOBS, planVideos } from '../../src/job/plan.ts'
import { useSink, type Sink } from '../../src/log.ts'

// only-changed (plan.ts): the videos whose inputs the triggering push or pull request changed: a file
// they are made from, the workflow holding the step's inline inputs, or their own manifest entry; all of
// them where that cannot be told. GitHub is a stand-in object here: no server.

const lines: string[] = []
const capture: Sink = {
  info: (message) => lines.push(`info: ${message}`),
  warning: (message) => lines.push(`warning: ${message}`),
  notice: (message) => lines.push(`notice: ${message}`),
  error: (message) => lines.push(`error: ${message}`),
  mask: () => undefined,
  group: (_title, work) => work(),
  progress: () => undefined
}
// Set before each test, not once: where test files share a process, another file may set its own sink.
beforeEach(() => {
  useSink(capture)
  lines.splice(0)
})

const video = (name: string | undefined, files: string[], extra: Partial<VideoSpec> = {}): VideoSpec =>
  ({ name, source: { kind: 'template', template: 't' }, speech: [], tags: [], exportOptions: {}, files, ...extra }) as unknown as VideoSpec

interface Stand {
  eventName?: string
  payload?: Record<string, unknown>
  changed?: string[]
  /** The manifest's text at the base commit; undefined: it did not exist there. */
  manifestBefore?: string
}
/** A GitHub whose compare lists `changed` and whose contents answer the manifest at the base; records what was asked. */
function gitHub(stand: Stand): { github: GitHub; asked: string[] } {
  const asked: string[] = []
  const github = {
    context: { eventName: stand.eventName ?? 'push', payload: stand.payload ?? { before: 'b1', after: 'a1' }, repo: { owner: 'o', repo: 'r' } },
    octokit: {
      rest: {
        repos: {
          compareCommitsWithBasehead: ({ basehead }: { basehead: string }) => {
            asked.push(`compare ${basehead}`)
            return Promise.resolve({ data: { files: (stand.changed ?? []).map((filename) => ({ filename })) } })
          },
          getContent: ({ path, ref }: { path: string; ref: string }) => {
            asked.push(`content ${path}@${ref}`)
            if (stand.manifestBefore === undefined) return Promise.reject(Object.assign(new Error('Not Found'), { status: 404 }))
            return Promise.resolve({ data: stand.manifestBefore })
          }
        }
      }
    }
  }
  return { github: github as unknown as GitHub, asked }
}
const runner = { workspace: '/nonexistent-checkout', workflowFile: '.github/workflows/videos.yml' }
const job = (videos: VideoSpec[], extra: { manifest?: string; onlyChanged?: boolean; plan?: boolean } = {}) => ({
  videos,
  manifest: extra.manifest,
  github: { onlyChanged: extra.onlyChanged ?? true } as GitHubSettings,
  plan: extra.plan
})
const names = (videos: VideoSpec[]) => videos.map((each) => each.name)

describe('planVideos', () => {
  it('plans every video without only-changed, or without GitHub, asking nothing', async () => {
    const videos = [video('a', ['a.txt'])]
    const { github, asked } = gitHub({ changed: [] })
    assert.equal(await planVideos(job(videos, { onlyChanged: false }), github, runner), videos)
    assert.equal(await planVideos(job(videos), undefined, runner), videos)
    assert.deepEqual(asked, [])
  })

  it('renders a video made from no repository file, saying so, without comparing', async () => {
    const videos = [video(undefined, [])]
    const { github, asked } = gitHub({ changed: [] })
    assert.equal(await planVideos(job(videos), github, runner), videos)
    assert.deepEqual(asked, [])
    assert.deepEqual(lines, ['notice: only-changed: this video is made from no repository file (template, script-file, …); rendering it'])
  })

  it('compares where any video is made from a file', async () => {
    const { github, asked } = gitHub({ changed: ['a.txt'] })
    assert.deepEqual(names(await planVideos(job([video('none', []), video('a', ['a.txt'])]), github, runner)), ['a'])
    assert.deepEqual(asked, ['compare b1...a1'])
  })

  it('plans every video where the changes cannot be told (a schedule)', async () => {
    const videos = [video('a', ['a.txt']), video('b', ['b.txt'])]
    assert.equal(await planVideos(job(videos), gitHub({ eventName: 'schedule' }).github, runner), videos)
  })

  it('keeps the videos a changed file, or a changed file in a folder they are made from, touches, and a resume whatever changed', async () => {
    const videos = [
      video('file', ['a.txt']),
      video('folder', ['media/']),
      video('untouched', ['b.txt', 'other/']),
      video('resume', ['c.txt'], { source: { kind: 'resume', key: 'k1' } })
    ]
    const { github, asked } = gitHub({ changed: ['a.txt', 'media/intro.png'] })
    assert.deepEqual(names(await planVideos(job(videos), github, runner)), ['file', 'folder', 'resume'])
    assert.deepEqual(asked, ['compare b1...a1'])
    assert.deepEqual(lines, ['info: only-changed: 3 of 4 video(s) changed: file, folder, resume'])
  })

  it('names a changed video without a name by its files', async () => {
    const { github } = gitHub({ changed: ['x.txt'] })
    await planVideos(job([video(undefined, ['x.txt', 'y.txt'])]), github, runner)
    assert.deepEqual(lines, ['info: only-changed: 1 of 1 video(s) changed: x.txt, y.txt'])
  })

  it('says nothing changed, as a run and as a plan', async () => {
    const videos = [video('a', ['a.txt'])]
    assert.deepEqual(await planVideos(job(videos), gitHub({ changed: ['z.txt'] }).github, runner), [])
    assert.deepEqual(await planVideos(job(videos, { plan: true }), gitHub({ changed: ['z.txt'] }).github, runner), [])
    assert.deepEqual(lines, [
      "notice: only-changed: no video's inputs changed; nothing was rendered",
      "notice: only-changed: no video's inputs changed; the plan lists no video (count 0)"
    ])
  })

  it("keeps a video with inline inputs where the run's workflow file changed, and not where it did not", async () => {
    const videos = [video(undefined, ['s.txt'], { inline: ['script', 'variables'] })]
    assert.equal((await planVideos(job(videos), gitHub({ changed: ['.github/workflows/videos.yml'] }).github, runner)).length, 1)
    assert.equal((await planVideos(job(videos), gitHub({ changed: ['.github/workflows/other.yml'] }).github, runner)).length, 0)
  })

  it('keeps, where the workflow changed, only the videos with inline inputs, and asks nothing of the workflow where none has any', async () => {
    const changed = { changed: ['.github/workflows/videos.yml'] }
    const mixed = [video('inline', ['s.txt'], { inline: ['script'] }), video('files', ['s.txt']), video('empty', ['s.txt'], { inline: [] })]
    assert.deepEqual(names(await planVideos(job(mixed), gitHub(changed).github, runner)), ['inline'])
    assert.deepEqual(lines, [
      "info: only-changed: .github/workflows/videos.yml changed, which may hold the step's inline script",
      'info: only-changed: 1 of 3 video(s) changed: inline'
    ])
    lines.splice(0)
    const none = [video('files', ['s.txt']), video('empty', ['s.txt'], { inline: [] })]
    assert.deepEqual(await planVideos(job(none), gitHub(changed).github, runner), [])
    assert.deepEqual(lines, ["notice: only-changed: no video's inputs changed; nothing was rendered"])
  })

  it("keeps a manifest entry whose definition differs from the manifest's at the base commit, when the manifest changed", async () => {
    const same = { name: 'same', template: 't.json' }
    const edited = { name: 'edited', template: 't.json', variables: { A: 'new' } }
    const before = JSON.stringify({ videos: [same, { name: 'edited', template: 't.json', variables: { A: 'old' } }] })
    const videos = [
      video('same', ['t.json'], { definition: definitionOf(same) }),
      video('edited', ['t.json'], { definition: definitionOf(edited) }),
      video('new', ['t.json'], { definition: definitionOf({ name: 'new', template: 't.json' }) })
    ]
    const { github, asked } = gitHub({ changed: ['videos.yml'], manifestBefore: before })
    assert.deepEqual(names(await planVideos(job(videos, { manifest: 'videos.yml' }), github, runner)), ['edited', 'new'])
    assert.deepEqual(asked, ['compare b1...a1', 'content videos.yml@b1'])
    // A manifest new at the base commit: every entry is new.
    assert.deepEqual(names(await planVideos(job(videos, { manifest: 'videos.yml' }), gitHub({ changed: ['videos.yml'] }).github, runner)), [
      'same',
      'edited',
      'new'
    ])
  })

  it('compares no manifest where it did not change', async () => {
    const videos = [video('a', ['t.json'], { definition: 'x' })]
    const { github, asked } = gitHub({ changed: ['other.txt'], manifestBefore: '{"videos": []}' })
    assert.deepEqual(await planVideos(job(videos, { manifest: 'videos.yml' }), github, runner), [])
    assert.deepEqual(asked, ['compare b1...a1'])
  })

  it("compares a pull request event's base and head commits", async () => {
    const { github, asked } = gitHub({
      eventName: 'pull_request',
      payload: { pull_request: { base: { sha: 'base1' }, head: { sha: 'head1' } } },
      changed: ['a.txt']
    })
    assert.deepEqual(names(await planVideos(job([video('a', ['a.txt'])]), github, runner)), ['a'])
    assert.deepEqual(asked, ['compare base1...head1'])
  })
})

describe('MAX_MATRIX_JOBS', () => {
  it("is GitHub's limit on one matrix's jobs", () => {
    assert.equal(MAX_MATRIX_JOBS, 256)
  })
})
