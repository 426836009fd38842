/**
 * A host that cannot be reached fails fast and says so: which input named it, the host, and what
 * happened; a name that does not resolve is asked at most twice. The CLI's exit status tells "could
 * not reach" (6) from "refused the connection" (7), both apart from "the API refused" (3).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, TEST_API_KEY, withSimulator } from './simulator/server.ts'

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
/** `.invalid` never resolves (RFC 2606). */
const NOWHERE = 'https://api.aistudios-test.invalid'

/** A loopback port with nothing listening on it: a connection to it is refused. */
async function closedPort(): Promise<string> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

const retries = (stdout: string): number => (stdout.match(/retrying in/g) ?? []).length

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: makeWorkspace(),
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1', AISTUDIOS_API_KEY: TEST_API_KEY },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('an api-url that cannot be reached', () => {
  it('a closed port: names api-url, the host and the refusal', async (t) => {
    const url = await closedPort()
    const started = Date.now()
    const run = await runAction({ inputs: { 'api-key': TEST_API_KEY, 'api-url': url, 'project-id': SAMPLE_PROJECT_ID }, timeoutMs: 60_000 })
    t.diagnostic(`failed ${Date.now() - started} ms after the start, ${retries(run.stdout)} retries`)
    assert.equal(run.code, 1)
    const host = new URL(url).host
    assert.match(
      run.stdout,
      new RegExp(
        `::error::Fetching project ${SAMPLE_PROJECT_ID} failed: could not reach the AI Studios API at ${host} \\(from 'api-url'\\): the connection was refused \\(ECONNREFUSED\\)`
      )
    )
    assert.ok(retries(run.stdout) <= 2, 'asked at most three times')
  })

  it('a host name that does not resolve: names api-url and the host, asked at most twice', async (t) => {
    const started = Date.now()
    const run = await runAction({ inputs: { 'api-key': TEST_API_KEY, 'api-url': NOWHERE, 'project-id': SAMPLE_PROJECT_ID }, timeoutMs: 60_000 })
    t.diagnostic(`failed ${Date.now() - started} ms after the start, ${retries(run.stdout)} retries`)
    assert.equal(run.code, 1)
    assert.match(
      run.stdout,
      /could not reach the AI Studios API at api\.aistudios-test\.invalid \(from 'api-url'\): its host name (does not resolve|could not be resolved)/
    )
    assert.ok(retries(run.stdout) <= 1, 'asked at most twice')
  })

  it('a legacy export to a closed legacy-api-url: names legacy-api-url, sent nowhere else', async () => {
    const template = fs.readFileSync(fileURLToPath(new URL('./fixtures/templates/legacy-promo.json', import.meta.url)), 'utf8')
    const variables = {
      INTRO_VIDEO_URL: 'https://example.com/i.mp4',
      IMAGE_URL: 'https://example.com/c.png',
      OUTRO_VIDEO_URL: 'https://example.com/o.mp4',
      SCRIPT: 'Hi'
    }
    const legacy = await closedPort()
    await withSimulator({}, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 'promo.json': template }),
        inputs: {
          'api-key': TEST_API_KEY,
          'api-url': sim.apiUrl,
          'legacy-api-url': legacy,
          template: 'promo.json',
          variables: JSON.stringify(variables)
        },
        timeoutMs: 60_000
      })
      assert.equal(run.code, 1)
      assert.equal(sim.exports.length, 0)
      assert.match(
        run.stdout,
        new RegExp(
          `::error::Starting the export failed: could not reach the AI Studios API at ${new URL(legacy).host} \\(from 'legacy-api-url'\\): the connection was refused`
        )
      )
      assert.doesNotMatch(run.stdout, /may have been accepted/)
    })
  })
})

describe('the CLI exit status', () => {
  it('is 7 when the connection is refused', async () => {
    const run = await runCli(['--api-url', await closedPort(), '--project-id', SAMPLE_PROJECT_ID])
    assert.equal(run.code, 7, run.stderr)
    assert.match(run.stderr, /the connection was refused/)
  })

  it('is 6 when the host name does not resolve', async () => {
    const run = await runCli(['--api-url', NOWHERE, '--project-id', SAMPLE_PROJECT_ID])
    assert.equal(run.code, 6, run.stderr)
    assert.match(run.stderr, /api\.aistudios-test\.invalid \(from --api-url\): its host name/)
  })
})
