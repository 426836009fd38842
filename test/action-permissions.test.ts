/**
 * What each feature asks of the GITHUB_TOKEN (FEATURES, the rows of README.md's "Permissions" table),
 * seen from GitHub's side: dist/index.js runs with a job token of exactly a row's permissions, given
 * as the runner gives it (action.yml's `${{ world.github.token }}`), against the GitHub stand-in, which wants
 * for each call the permission GitHub's REST reference names. With the row's permissions every call
 * the feature makes is answered; with any one of them a level lower, a call is refused.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eventEnv, makeWorkspace, runAction } from './helpers/run-action.ts'
import { useStandIns } from './helpers/stand-ins.ts'
import { FEATURES, LEVELS, type Grant } from './helpers/permissions.ts'
import { MINIMAL_V3_BODY, SAMPLE_PROJECT_ID } from './simulator/server.ts'

const world = useStandIns({ renderMs: 100 })

const MANIFEST = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    script-file: speech/a.txt\n`
/** A number of its own for each run: its workflow run, pull request, release and commits. */
let serial = 8000

/**
 * A run that uses one feature, with `token` as the job's token; says whether the feature got what it
 * asked GitHub for (read back from the stand-in).
 */
type Scenario = (token: string) => Promise<boolean>
const api = (token: string) => ({ context: { 'github.token': token } })

const push = (): Record<string, string> => ({
  ...eventEnv('push', { repository: { default_branch: 'main' } }, world.github.url),
  GITHUB_REF: 'refs/heads/main'
})
const pull = (id: number): Record<string, string> =>
  eventEnv('pull_request', { pull_request: { number: id, base: { sha: `b${id}` }, head: { sha: `h${id}` } } }, world.github.url)

/**
 * A run of its own with `inputs` on an event (`push` or `pull`) whose work is a search for records among
 * the repository's artifacts (reuse's, or the draft runs'): whether it searched, every call answered.
 */
async function looksUpRecords(
  token: string,
  inputs: Record<string, string>,
  event: (id: number) => Record<string, string>,
  workspace?: string
): Promise<boolean> {
  const id = ++serial
  const [seen, refused] = [world.github.requests.length, world.github.refused.length]
  await runAction({
    ...api(token),
    workspace,
    inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, ...inputs },
    env: { ...event(id), ...world.artifacts.envForRun(id) }
  })
  const searched = world.github.requests.slice(seen).some((r) => r.path.startsWith('/repos/octo-org/videos/actions/artifacts?'))
  return searched && world.github.refused.length === refused
}

const SCENARIOS: Record<string, Scenario> = {
  reuse: (token) => looksUpRecords(token, { 'project-id': SAMPLE_PROJECT_ID, reuse: 'true' }, push),
  // A merge run: the search for the draft run's record, answered (none is found: it exports anew).
  'from-draft': (token) => looksUpRecords(token, { 'project-id': SAMPLE_PROJECT_ID, 'from-draft': 'true' }, push),
  // A draft run: the search for a draft an earlier run saved of the same request, answered (none: it saves one).
  draft: (token) => {
    const id = serial + 1
    return looksUpRecords(
      token,
      { template: 't.json', draft: 'true' },
      pull,
      makeWorkspace({ 't.json': JSON.stringify({ ...MINIMAL_V3_BODY, name: `Draft ${id}` }) })
    )
  },
  'release-upload': async (token) => {
    const id = ++serial
    const release = { id, tag: `v${id}`, assets: [] }
    world.github.releases.push(release)
    await runAction({
      ...api(token),
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'release-upload': 'true' },
      env: { ...eventEnv('release', { release: { tag_name: release.tag } }, world.github.url), ...world.artifacts.envForRun(id) }
    })
    return release.assets.length === 1
  },
  comment: async (token) => {
    const id = ++serial
    await runAction({
      ...api(token),
      inputs: { 'api-key': world.sim.mintToken(), 'api-url': world.sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, comment: 'true' },
      env: {
        ...eventEnv('pull_request', { pull_request: { number: id, base: { sha: `b${id}` }, head: { sha: `h${id}` } } }, world.github.url),
        ...world.artifacts.envForRun(id)
      }
    })
    return world.github.comments.some((comment) => comment.issue === id)
  },
  // A plan sends nothing: it reads the changes, and the manifest at the base since the push or pull request changed it.
  'only-changed push': async (token) => {
    const id = ++serial
    world.github.changes.set(`b${id}...a${id}`, ['videos.yml'])
    world.github.contents.set(`b${id}:videos.yml`, MANIFEST)
    const run = await runAction({
      ...api(token),
      workspace: makeWorkspace({ 'videos.yml': MANIFEST, 'speech/a.txt': 'A' }),
      inputs: { 'api-key': world.sim.mintToken(), manifest: 'videos.yml', plan: 'true', 'only-changed': 'true' },
      env: eventEnv('push', { before: `b${id}`, after: `a${id}` }, world.github.url)
    })
    return run.code === 0 && run.outputs.count === '0'
  },
  'only-changed pull request': async (token) => {
    const id = ++serial
    world.github.changes.set(`b${id}...h${id}`, ['videos.yml'])
    world.github.contents.set(`b${id}:videos.yml`, MANIFEST)
    const run = await runAction({
      ...api(token),
      workspace: makeWorkspace({ 'videos.yml': MANIFEST, 'speech/a.txt': 'A' }),
      inputs: { 'api-key': world.sim.mintToken(), manifest: 'videos.yml', plan: 'true', 'only-changed': 'true' },
      env: eventEnv('pull_request', { pull_request: { number: id, base: { sha: `b${id}` }, head: { sha: `h${id}` } } }, world.github.url)
    })
    return run.code === 0 && run.outputs.count === '0'
  }
}

/** A row's scenario: by its input, and by its event where the row names one. */
const scenarioOf = (row: (typeof FEATURES)[number]): Scenario => {
  const name = row.events ? `${row.input} ${row.events.includes('push') ? 'push' : 'pull request'}` : row.input
  const scenario = SCENARIOS[name]
  assert.ok(scenario, `a scenario for ${name}`)
  return scenario
}
const lower = (grant: Grant, scope: string): Grant => ({ ...grant, [scope]: LEVELS[LEVELS.indexOf(grant[scope] ?? 'none') - 1] })

describe("each feature's permissions, as the GitHub stand-in holds the job token to them", () => {
  for (const row of FEATURES) {
    const label = `${row.input}${row.events ? ` on ${row.events[0]}` : ''}`
    it(`${label}: ${JSON.stringify(row.needs)} is enough, and each of it is needed`, async () => {
      const scenario = scenarioOf(row)
      let refused = world.github.refused.length
      assert.ok(await scenario(world.github.jobToken(row.needs)), 'the feature did its work')
      assert.deepEqual(world.github.refused.slice(refused), [])
      for (const [scope, level] of Object.entries(row.needs)) {
        refused = world.github.refused.length
        assert.equal(await scenario(world.github.jobToken(lower(row.needs, scope))), false, `with ${scope} below ${level}`)
        const wanted = world.github.refused.slice(refused).map((call) => call.wanted)
        assert.ok(
          wanted.some((permissions) => permissions.split(' or ').includes(`${scope}: ${level}`)),
          `${scope} below ${level}: ${wanted.join('; ')}`
        )
      }
    })
  }
})
