/**
 * DeepBrain's own example bodies pass: every request body of the docs (1.4–1.6) and the official sample
 * that creates and exports a project (test/fixtures/docs/, each with its source paths) is taken by the
 * simulator itself, by a dry run of the action and by a real run against the simulator, its placeholders
 * given the fixture's values. Bodies of calls the action does not make are listed with why.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { DOCS_FIXTURES, filledBody, isProjectBody } from './helpers/docs-fixtures.ts'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT, TEST_API_KEY, startSimulator, type Simulator } from './simulator/server.ts'

/** Why the action sends no body like the others: a call it does not make. */
const NOT_SENT: Array<[RegExp, string]> = [
  [/\/auth\/token$/, 'the token exchange: its body is { appId, userKey }, checked below'],
  [
    /\/editor\/project\/export$/,
    'exporting a saved project as it is: the action sends { projectId } and its options; the simulator takes the docs body'
  ],
  [/\/simple\/video$/, 'the chroma-key avatar video, which this action does not make']
]

describe("DeepBrain's example bodies", () => {
  let sim: Simulator
  before(async () => {
    sim = await startSimulator({ renderMs: 100, apps: { 'test-app-id': 'test-user-key' } })
  })
  after(() => sim.close())

  it('are all here, each with its sources', () => {
    assert.ok(DOCS_FIXTURES.filter(isProjectBody).length >= 12)
    for (const fixture of DOCS_FIXTURES) assert.ok(fixture.sources.length > 0, fixture.file)
  })

  for (const fixture of DOCS_FIXTURES.filter((f) => !isProjectBody(f))) {
    const why = NOT_SENT.find(([endpoint]) => endpoint.test(fixture.endpoint))
    it(`${fixture.file} (${fixture.sources[0]}): ${why?.[1] ?? 'an endpoint not listed'}`, async () => {
      assert.ok(why, `${fixture.endpoint} is a call this test knows`)
      if (/\/editor\/project\/export$/.test(fixture.endpoint)) {
        const body = filledBody(fixture) as { projectId: string }
        // The docs' project ID, saved in the simulator, so the body is taken as the docs send it.
        sim.options.projects[body.projectId] = SAMPLE_PROJECT
        const answer = await fetch(`${sim.apiUrl}/api/odin/v3/editor/project/export`, {
          method: 'POST',
          headers: { Authorization: sim.mintToken(), 'Content-Type': 'application/json' },
          body: JSON.stringify(body)
        })
        return assert.equal(answer.status, 200, await answer.text())
      }
      if (!/\/auth\/token$/.test(fixture.endpoint)) return
      const answer = await fetch(`${sim.apiUrl}/api/odin/v3/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(filledBody(fixture))
      })
      assert.equal(answer.status, 200, await answer.text())
    })
  }

  describe('that create and export a project', { concurrency: 3 }, () => {
    for (const fixture of DOCS_FIXTURES.filter(isProjectBody)) {
      it(`${fixture.file} (${fixture.sources.join(', ')}): the simulator, a dry run and a run take it`, async () => {
        const body = filledBody(fixture)
        const key = fixture.generation === 'legacy' ? TEST_API_KEY : sim.mintToken()
        const exportPath = fixture.generation === 'legacy' ? '/api/odin/editor/project' : '/api/odin/v3/editor/project'
        // The simulator itself, the body exactly as the docs send it.
        const answer = await fetch(`${sim.apiUrl}${exportPath}`, {
          method: 'POST',
          headers: { Authorization: key, 'Content-Type': 'application/json' },
          body: JSON.stringify(body)
        })
        assert.equal(answer.status, 200, await answer.text())
        // The action, the body as a template kept in the repository.
        const workspace = makeWorkspace({ 'docs.json': JSON.stringify(body, null, 2) })
        const inputs = { 'api-key': key, 'api-url': sim.apiUrl, template: 'docs.json' }
        const dry = await runAction({ workspace, inputs: { ...inputs, 'dry-run': 'true' } })
        assert.equal(dry.code, 0, dry.stdout)
        const run = await runAction({ workspace, inputs })
        assert.equal(run.code, 0, run.stdout)
        const sent = sim.exports.filter((record) => record.key === run.outputs['export-key'])
        assert.equal(sent.length, 1, 'the simulator saw the export')
        assert.equal(sent[0].generation, fixture.generation)
      })
    }
  })
})
