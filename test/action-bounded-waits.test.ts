/**
 * Every wait around the video has a bound of its own, and a cancel ends it: a token exchange another
 * video started, the ledger and the matrix's result record, GitHub's answers (reuse, only-changed) and
 * cleanup. Each test holds one of them (a trickled answer, a service that never answers) and checks
 * that the run ends by itself, says why, and reports. The test's own kill comes well before the
 * unbounded wait would have ended.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { NO_POSIX_SIGNALS, eventEnv, makeWorkspace, runAction, signalWhen, tempDir } from './helpers/run-action.ts'
import { TEMPLATE, appTemplateInputs } from './helpers/template-export.ts'
import { CURVES, DIALOGUE_PROJECT_ID, SAMPLE_PROJECT_ID, withSimulator, type Fault } from './simulator/server.ts'
import { startArtifactService } from './stand-ins/artifact-service.ts'
import { GITHUB_TOKEN, startGitHubApi } from './stand-ins/github-api.ts'

const fired = (sim: { fired: Fault[] }, route: Fault['route'], kind: Fault['kind']): boolean =>
  sim.fired.some((fault) => fault.route === route && fault.kind === kind)

describe('the token exchange', () => {
  it("bounds a progress check that waits on another video's token renewal by its own timeout", async () => {
    const entry = (name: string): string => `  - name: ${name}\n    template: t.json\n    variables:\n      PRODUCT: ${name}\n      VERSION: '1'\n`
    await withSimulator(
      {
        apiKeys: [],
        apps: { app: 'key-1f2e' },
        renderMs: 600_000,
        revokeTokensAtExports: [2],
        faults: [
          { route: 'token', kind: 'delay', ms: 1 },
          { route: 'token', kind: 'trickle', everyMs: 1000, times: 20 }
        ]
      },
      async (sim) => {
        const run = await runAction({
          workspace: makeWorkspace({ 't.json': TEMPLATE, 'videos.yml': `videos:\n${entry('a')}${entry('b')}` }),
          inputs: {
            'app-id': 'app',
            'user-key': 'key-1f2e',
            'api-url': sim.apiUrl,
            manifest: 'videos.yml',
            'max-parallel': '2',
            timeout: '0.1',
            'request-timeout': '30'
          },
          timeoutMs: 30_000
        })
        assert.ok(fired(sim, 'token', 'trickle'), 'the renewal was trickled')
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.equal(run.code, 1)
        const [first] = sim.exports
        assert.match(run.stdout, new RegExp(`::error::a: Timed out after .* waiting for the render of ${first.key}`))
        assert.match(run.summary, new RegExp(`resume: ${first.key}`))
      }
    )
  })

  it('stops an exchange that outlived timeout when the run ends, its retries included', async () => {
    await withSimulator(
      { apiKeys: [], apps: { app: 'key-1f2e' }, faults: [{ route: 'token', kind: 'trickle', everyMs: 1000, times: 20 }] },
      async (sim) => {
        const run = await runAction({
          workspace: makeWorkspace({ 't.json': TEMPLATE }),
          inputs: appTemplateInputs(sim.apiUrl, { timeout: '0.1', 'request-timeout': '30' }),
          timeoutMs: 25_000
        })
        assert.ok(fired(sim, 'token', 'trickle'), 'the exchange was trickled')
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.equal(sim.exports.length, 0)
        assert.match(run.stdout, /::error::The export request was not sent \(the render's 'timeout' ran out before it could be sent/)
        const afterError = run.stdout.slice(run.stdout.indexOf('::error::'))
        assert.doesNotMatch(afterError, /retrying in/, 'no retry of the exchange after the run failed')
      }
    )
  })
})

describe('the ledger', () => {
  for (const end of ['dead', 'lost'] as const) {
    it(`gives the ${end} mark only what is left of timeout when its upload never ends`, async () => {
      const artifacts = await startArtifactService({ holdUploads: new RegExp(`-${end}-`) })
      try {
        const faults: Fault[] = end === 'lost' ? [{ route: 'progress', kind: 'not-found', times: 10_000 }] : []
        await withSimulator({ renderMs: end === 'dead' ? 2000 : 600_000, curve: CURVES.dead, faults }, async (sim) => {
          const run = await runAction({
            inputs: {
              'api-key': sim.mintToken(),
              'api-url': sim.apiUrl,
              'project-id': SAMPLE_PROJECT_ID,
              timeout: '0.25',
              'stall-timeout': '0.1',
              'upload-artifact': 'false'
            },
            env: artifacts.env,
            timeoutMs: 45_000
          })
          const [exported] = sim.exports
          assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
          assert.ok(
            artifacts.artifacts.some((artifact) => artifact.name.includes(`-${end}-`) && !artifact.finalized),
            'the mark was being uploaded'
          )
          assert.match(run.stdout, new RegExp(`Could not mark export ${exported.key} ${end} in the ledger`))
          assert.match(run.stdout, end === 'dead' ? /::error::The render of .* stalled/ : /::error::The API no longer knows export/)
          assert.match(run.summary, new RegExp(`resume: ${exported.key}`))
        })
      } finally {
        await artifacts.close()
      }
    })
  }

  it("bounds the accepted export's record by timeout with wait: false too", async () => {
    const artifacts = await startArtifactService({ holdUploads: /ledger/ })
    try {
      await withSimulator({ renderMs: 600_000 }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, timeout: '0.1', wait: 'false' },
          env: artifacts.env,
          timeoutMs: 30_000
        })
        const [exported] = sim.exports
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.ok(
          artifacts.artifacts.some((artifact) => artifact.name.startsWith('aistudios-ledger-') && !artifact.finalized),
          'the record was being uploaded'
        )
        assert.match(run.stdout, new RegExp(`Could not record export ${exported.key} in the ledger`))
        assert.equal(run.outputs['export-key'], exported.key)
        assert.match(run.summary, new RegExp(exported.key))
      })
    } finally {
      await artifacts.close()
    }
  })

  it("reads an earlier attempt's ledger within the video's timeout, and sends nothing when it cannot", async () => {
    const artifacts = await startArtifactService({ holdTwirp: /ListArtifacts/ })
    try {
      await withSimulator({ renderMs: 1000 }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, timeout: '0.1', 'upload-artifact': 'false' },
          env: { ...artifacts.env, GITHUB_RUN_ATTEMPT: '2' },
          timeoutMs: 30_000
        })
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.equal(sim.exports.length, 0, 'nothing was exported')
        assert.match(
          run.stdout,
          /::error::The export request was not sent \(the export ledger of earlier attempts could not be read \(no answer within 6\.0 s\), and an earlier attempt may have exported this request\)\. This attempt sent nothing, rather than pay twice\. Re-run the job once the artifact service answers/
        )
      })
    } finally {
      await artifacts.close()
    }
  })

  it('records an export accepted after fail-fast stopped the batch, so a re-run attempt does not pay for it again', async () => {
    const manifest = ['v1', 'v2'].map((name) => `- name: ${name}\n  project-id: ${SAMPLE_PROJECT_ID}\n  script: Speech of ${name}.\n`).join('')
    const faults: Fault[] = [
      { route: 'export', kind: 'status', status: 400 },
      { route: 'export', kind: 'delay', ms: 1500 }
    ]
    const artifacts = await startArtifactService()
    try {
      await withSimulator({ renderMs: 600_000, faults }, async (sim) => {
        const workspace = makeWorkspace({ 'm.yml': manifest })
        const inputs = { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'm.yml', 'max-parallel': '2', 'fail-fast': 'true' }
        const first = await runAction({ workspace, inputs, env: artifacts.env, timeoutMs: 30_000 })
        assert.ok(fired(sim, 'export', 'delay'), "v2's export was answered after v1 had failed")
        const v2 = sim.exports.filter((exported) => JSON.stringify(exported.body).includes('Speech of v2'))
        assert.equal(v2.length, 1)
        assert.match(first.stdout, /cancelled: another video failed \('fail-fast' is true\)/)
        assert.ok(
          artifacts.artifacts.some(
            (artifact) => artifact.finalized && artifact.name.startsWith('aistudios-ledger-') && artifact.name.endsWith(v2[0].key)
          ),
          "v2's export is in the ledger"
        )
        const second = await runAction({
          workspace,
          inputs: { ...inputs, wait: 'false' },
          env: { ...artifacts.envFor('job-attempt-2'), GITHUB_RUN_ATTEMPT: '2' },
          timeoutMs: 30_000
        })
        assert.match(second.stdout, new RegExp(`Re-run attempt 2: an earlier attempt already exported this request as ${v2[0].key}`))
        assert.equal(sim.exports.filter((exported) => JSON.stringify(exported.body).includes('Speech of v2')).length, 1, 'v2 was paid for once')
      })
    } finally {
      await artifacts.close()
    }
  })
})

describe("a matrix job's result record", () => {
  it('is waited for only briefly after a cancel, and the report is written first', { skip: NO_POSIX_SIGNALS }, async () => {
    const artifacts = await startArtifactService({ holdUploads: /aistudios-result-/ })
    try {
      await withSimulator({ renderMs: 600_000 }, async (sim) => {
        const manifest = `videos:\n  - name: one\n    project-id: ${SAMPLE_PROJECT_ID}\n  - name: two\n    project-id: ${SAMPLE_PROJECT_ID}\n`
        const run = await runAction({
          workspace: makeWorkspace({ 'videos.yml': manifest }),
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'manifest-entry': 'one' },
          env: artifacts.env,
          onStart: signalWhen((stdout) => /Export accepted/.test(stdout)),
          timeoutMs: 30_000
        })
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.ok(
          artifacts.artifacts.some((artifact) => artifact.name.startsWith('aistudios-result-') && !artifact.finalized),
          'the record was being uploaded'
        )
        assert.match(run.stdout, /The result record could not be left \(no answer within 3 s of the cancel\)/)
        assert.match(run.summary, new RegExp(`resume: ${sim.exports[0].key}`))
      })
    } finally {
      await artifacts.close()
    }
  })
  it('is given a few seconds more by a cancel that comes during its upload, the cancel handled', { skip: NO_POSIX_SIGNALS }, async () => {
    const artifacts = await startArtifactService({ holdUploads: /aistudios-result-/ })
    try {
      await withSimulator({ renderMs: 0 }, async (sim) => {
        const manifest = `videos:\n  - name: one\n    project-id: ${SAMPLE_PROJECT_ID}\n`
        const run = await runAction({
          workspace: makeWorkspace({ 'videos.yml': manifest }),
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'manifest-entry': 'one', 'upload-artifact': 'false' },
          env: artifacts.env,
          onStart: signalWhen(() => artifacts.artifacts.some((artifact) => artifact.name.startsWith('aistudios-result-'))),
          timeoutMs: 30_000
        })
        assert.equal(run.signal, null, 'the cancel was handled, not the default end of the process')
        assert.match(run.stdout, /The result record could not be left \(no answer within 3 s of the cancel\)/)
        assert.ok(run.outputs['video-path'], 'the video was delivered before the cancel')
      })
    } finally {
      await artifacts.close()
    }
  })
})

describe("GitHub's answers", () => {
  it('give reuse up within timeout when GitHub never lists the artifacts, then export', async () => {
    const artifacts = await startArtifactService()
    const github = await startGitHubApi(artifacts, ['artifact-list'])
    try {
      await withSimulator({ renderMs: 300 }, async (sim) => {
        const run = await runAction({
          inputs: {
            'api-key': sim.mintToken(),
            'api-url': sim.apiUrl,
            'github-token': GITHUB_TOKEN,
            reuse: 'true',
            'project-id': DIALOGUE_PROJECT_ID,
            timeout: '0.1'
          },
          env: {
            ...artifacts.envForRun(4242),
            ...eventEnv('push', { repository: { default_branch: 'main' } }, github.url),
            GITHUB_REF: 'refs/heads/main'
          },
          timeoutMs: 30_000
        })
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.match(run.stdout, /reuse: earlier runs' videos could not be looked up \(no answer within 'timeout' \(0\.1 min\)\); exporting anew/)
        assert.equal(sim.exports.length, 1)
        assert.equal(run.code, 0)
      })
    } finally {
      await github.close()
      await artifacts.close()
    }
  })

  it("end at a cancel while only-changed waits for GitHub's compare, and the run reports", { skip: NO_POSIX_SIGNALS }, async () => {
    const github = await startGitHubApi(undefined, ['compare'])
    try {
      await withSimulator({ renderMs: 300 }, async (sim) => {
        const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    script-file: a.txt\n`
        let signalled = false
        const run = await runAction({
          workspace: makeWorkspace({ 'videos.yml': manifest, 'a.txt': 'A' }),
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'only-changed': 'true', 'github-token': GITHUB_TOKEN },
          env: eventEnv('push', { before: 'aaa111', after: 'bbb222' }, github.url),
          onStart: signalWhen(() => (signalled = github.requests.some((request) => request.path.includes('/compare/')))),
          timeoutMs: 20_000
        })
        assert.ok(signalled, 'the compare was asked for')
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.match(run.stdout, /::error::The run was cancelled \(SIGTERM\)/)
        assert.notEqual(run.summary, '', 'the summary was written')
        assert.equal(sim.exports.length, 0)
      })
    } finally {
      await github.close()
    }
  })

  it("end at a cancel while only-changed asks the checkout's git, and the run reports", { skip: NO_POSIX_SIGNALS }, async () => {
    const github = await startGitHubApi()
    // A git that takes its time: a diff on a large checkout.
    const bin = tempDir('aistudios-slow-git-')
    fs.writeFileSync(path.join(bin, 'git'), '#!/bin/sh\nexec sleep 40\n', { mode: 0o755 })
    try {
      await withSimulator({ renderMs: 300 }, async (sim) => {
        // More files than GitHub's compare lists: the checkout's git is asked for the rest.
        github.changes.set(
          'aaaaaaa...bbbbbbb',
          Array.from({ length: 341 }, (_, i) => `assets/f-${i}.png`)
        )
        const manifest = `videos:\n  - name: a\n    project-id: ${SAMPLE_PROJECT_ID}\n    script-file: a.txt\n`
        const run = await runAction({
          workspace: makeWorkspace({ 'videos.yml': manifest, 'a.txt': 'A' }),
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, manifest: 'videos.yml', 'only-changed': 'true', 'github-token': GITHUB_TOKEN },
          env: { ...eventEnv('push', { before: 'aaaaaaa', after: 'bbbbbbb' }, github.url), PATH: `${bin}${path.delimiter}${process.env.PATH}` },
          onStart: signalWhen(() => github.requests.some((request) => request.path.includes('/compare/'))),
          timeoutMs: 20_000
        })
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.match(run.stdout, /::error::The run was cancelled \(SIGTERM\)/)
        assert.notEqual(run.summary, '', 'the summary was written before the forced exit')
        assert.equal(sim.exports.length, 0)
      })
    } finally {
      await github.close()
    }
  })
})

describe('cleanup', () => {
  it('gives a DELETE that never answers one request-timeout, keeping the delivered video', async () => {
    await withSimulator({ renderMs: 300, faults: [{ route: 'delete', kind: 'hang', ms: 600_000, times: 10 }] }, async (sim) => {
      const run = await runAction({
        inputs: {
          'api-key': sim.mintToken(),
          'api-url': sim.apiUrl,
          'project-id': SAMPLE_PROJECT_ID,
          cleanup: 'true',
          'upload-artifact': 'false',
          'request-timeout': '5'
        },
        timeoutMs: 25_000
      })
      assert.ok(fired(sim, 'delete', 'hang'), 'the DELETE was held')
      assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
      assert.equal(run.code, 0)
      assert.match(run.stdout, /::warning::cleanup: the exported project\(s\) .* could not be deleted/)
      assert.ok(run.outputs['video-path'], 'the video was delivered')
    })
  })
})

describe('a connection that never completes', () => {
  /** A TCP server that accepts and never answers: a TLS handshake that hangs. */
  const silentServer = async (): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> => {
    const sockets = new Set<net.Socket>()
    let count = 0
    const server = net.createServer((socket) => {
      count++
      sockets.add(socket)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return {
      port: (server.address() as AddressInfo).port,
      connections: () => count,
      close: async () => {
        for (const socket of sockets) socket.destroy()
        await new Promise((resolve) => server.close(resolve))
      }
    }
  }

  it('ends the download at a cancel, with the report written', { skip: NO_POSIX_SIGNALS }, async () => {
    const silent = await silentServer()
    try {
      await withSimulator(
        { renderMs: 0, faults: [{ route: 'progress', kind: 'url', url: `https://127.0.0.1:${silent.port}/video.mp4` }] },
        async (sim) => {
          const run = await runAction({
            inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false' },
            onStart: signalWhen(() => silent.connections() > 0),
            timeoutMs: 20_000
          })
          assert.ok(silent.connections() > 0, 'the download connected to the silent host')
          assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
          assert.match(run.stdout, /::error::The run was cancelled \(SIGTERM\)/)
          assert.match(run.summary, new RegExp(`resume: ${sim.exports[0].key}`), 'the report was written before the forced exit')
        }
      )
    } finally {
      await silent.close()
    }
  })

  it('ends an API call at a cancel, with the report written', { skip: NO_POSIX_SIGNALS }, async () => {
    const silent = await silentServer()
    try {
      const run = await runAction({
        workspace: makeWorkspace({ 't.json': TEMPLATE }),
        inputs: appTemplateInputs(`https://127.0.0.1:${silent.port}`, {}),
        onStart: signalWhen(() => silent.connections() > 0),
        timeoutMs: 20_000
      })
      assert.ok(silent.connections() > 0, 'the token exchange connected to the silent host')
      assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
      assert.match(run.stdout, /::error::.*The run was cancelled \(SIGTERM\)/)
      assert.notEqual(run.summary, '', 'the report was written before the forced exit')
    } finally {
      await silent.close()
    }
  })
})

describe('answers and uploads after the render', () => {
  it('asks again after a progress answer it cannot read, and delivers', async () => {
    await withSimulator(
      { renderMs: 1500, faults: [{ route: 'progress', kind: 'raw', status: 200, body: '{"success":true,"data":[]}' }] },
      async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, 'upload-artifact': 'false' },
          timeoutMs: 30_000
        })
        assert.ok(fired(sim, 'progress', 'raw'), 'the odd answer was sent')
        assert.equal(run.code, 0, run.stdout)
        assert.match(run.stdout, /::warning::.*the answer has no data; asking again at the next check \(1 such answer\(s\) in a row\)/)
        assert.ok(run.outputs['video-path'])
      }
    )
  })

  it('bounds the artifact upload by timeout, and the report keeps the key', async () => {
    const artifacts = await startArtifactService({ holdUploads: /^(?!aistudios-)/ })
    try {
      await withSimulator({ renderMs: 0 }, async (sim) => {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, timeout: '0.1' },
          env: artifacts.env,
          timeoutMs: 30_000
        })
        assert.ok(
          artifacts.artifacts.some((artifact) => !artifact.name.startsWith('aistudios-') && !artifact.finalized),
          'the video was being uploaded'
        )
        assert.equal(run.signal, null, 'the run ended by itself, not killed by the test')
        assert.match(run.stdout, /::error::The artifact upload failed: it did not end within 'timeout' \(0\.1 min\)/)
        assert.match(run.summary, new RegExp(`resume: ${sim.exports[0].key}`))
      })
    } finally {
      await artifacts.close()
    }
  })
})

describe('collect', () => {
  it('ends at a cancel while reading the records, saying so', { skip: NO_POSIX_SIGNALS }, async () => {
    const artifacts = await startArtifactService({ holdTwirp: /ListArtifacts/ })
    try {
      let listed = false
      const run = await runAction({
        workspace: makeWorkspace({ 'videos.yml': `videos:\n  - name: one\n    project-id: ${SAMPLE_PROJECT_ID}\n` }),
        inputs: { manifest: 'videos.yml', collect: 'true' },
        env: artifacts.env,
        onStart: signalWhen(() => (listed = artifacts.requests.some((request) => request.path.endsWith('/ListArtifacts')))),
        timeoutMs: 20_000
      })
      assert.ok(listed, 'the records were being listed')
      assert.equal(run.signal, null, 'the cancel was handled, not the default end of the process')
      assert.match(run.stdout, /::error::The run was cancelled \(SIGTERM\)/)
    } finally {
      await artifacts.close()
    }
  })
})
