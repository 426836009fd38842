/**
 * The fault matrix: each fault injected by the simulator, the outcome asserted, the number of exports
 * the simulator saw (never more than one), and the bytes of the file when the run succeeds.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { runAction, type ActionRun } from './helpers/run-action.ts'
import { SAMPLE_PROJECT_ID, SAMPLE_VIDEO, startSimulator, type Fault, type Simulator, type SimulatorOptions } from './simulator/server.ts'

interface Case {
  name: string
  options?: SimulatorOptions
  faults: Fault[]
  inputs?: Record<string, string>
  succeeds: boolean
  check?: (run: ActionRun, sim: Simulator) => void
}

const progressCalls = (sim: Simulator): number => sim.requests.filter((r) => r.path.includes('/editor/progress/')).length
const cdnRequests = (sim: Simulator) => sim.requests.filter((r) => r.origin === 'cdn')
/** The transfer was cut at half and the second request resumed from there. */
function resumedAtHalf(sim: Simulator): void {
  const cdn = cdnRequests(sim)
  assert.equal(cdn.length, 2)
  assert.equal(cdn[1].headers.range, `bytes=${Math.floor(SAMPLE_VIDEO.length / 2)}-`)
}
const exportPosts = (sim: Simulator): number => sim.requests.filter((r) => r.method === 'POST' && /\/editor\/project(\/export)?$/.test(r.path)).length

const cases: Case[] = [
  {
    name: 'a connection reset mid-poll',
    faults: [{ route: 'progress', kind: 'reset', times: 2 }],
    succeeds: true,
    check: (run) => assert.match(run.stdout, /::warning::Checking progress of \w+: .*retrying in/)
  },
  {
    name: 'a 502 HTML page from the gateway while polling',
    faults: [{ route: 'progress', kind: 'status', status: 502, html: true }],
    succeeds: true
  },
  { name: 'a 503 JSON envelope while polling', faults: [{ route: 'progress', kind: 'status', status: 503 }], succeeds: true },
  {
    name: 'a 504 HTML page while fetching the project',
    faults: [{ route: 'project', kind: 'status', status: 504, html: true, times: 2 }],
    succeeds: true
  },
  {
    name: 'a 429 with Retry-After',
    faults: [{ route: 'progress', kind: 'status', status: 429, retryAfter: '2' }],
    succeeds: true,
    check: (run) => assert.match(run.stdout, /HTTP 429 code 429: Server error; retrying in 2\.0 s/)
  },
  {
    name: 'a poll that hangs',
    faults: [{ route: 'progress', kind: 'hang', ms: 30_000 }],
    inputs: { 'request-timeout': '1' },
    succeeds: true,
    check: (run) => assert.match(run.stdout, /::warning::Checking progress of \w+: .*retrying in/)
  },
  {
    name: 'a download cut at half, resumed with Range',
    faults: [{ route: 'cdn', kind: 'cut', fraction: 0.5 }],
    succeeds: true,
    check: (run, sim) => {
      resumedAtHalf(sim)
      assert.match(run.stdout, /resuming/)
    }
  },
  {
    name: 'a download cut at half from a CDN that does not resume',
    options: { ranges: false },
    faults: [{ route: 'cdn', kind: 'cut', fraction: 0.5 }],
    succeeds: true,
    check: (_run, sim) => assert.equal(cdnRequests(sim).length, 2)
  },
  {
    name: 'a download that stalls at half, resumed once the request timeout passes',
    faults: [{ route: 'cdn', kind: 'stall', fraction: 0.5 }],
    inputs: { 'request-timeout': '1' },
    succeeds: true,
    check: (run, sim) => {
      resumedAtHalf(sim)
      assert.match(run.stdout, /Download cut off after \d+ bytes \(.*[Tt]imeout.*\); resuming/)
    }
  },
  {
    name: 'a CDN redirect to where the video moved',
    faults: [{ route: 'cdn', kind: 'redirect' }],
    succeeds: true,
    check: (_run, sim) => {
      const cdn = cdnRequests(sim)
      assert.equal(cdn.length, 2)
      assert.match(cdn[1].path, /&moved=1$/)
    }
  },
  {
    name: 'a CDN redirect to a link-local address (a cloud metadata service): not followed',
    faults: [{ route: 'cdn', kind: 'redirect', location: 'https://169.254.169.254/latest/meta-data/' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::.*redirected where it is not followed \(169\.254\.169\.254 is a private or link-local address\)/)
      assert.equal(cdnRequests(sim).length, 1)
    }
  },
  {
    name: 'a CDN redirect to another host over plain http: not followed',
    faults: [{ route: 'cdn', kind: 'redirect', location: 'http://cdn.example.com/video.mp4' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::.*redirected where it is not followed \(it is plain http/)
      assert.equal(cdnRequests(sim).length, 1)
    }
  },
  {
    name: 'a CDN redirect carrying a password: not followed, and the password never printed',
    faults: [{ route: 'cdn', kind: 'redirect', location: 'https://user:hunter2@cdn.example.com/video.mp4' }],
    succeeds: false,
    check: (run) => {
      assert.match(run.stdout, /::error::.*redirected where it is not followed \(it carries a user name or password\)/)
      assert.ok(!run.stdout.includes('hunter2') && !run.stderr.includes('hunter2'))
    }
  },
  {
    name: 'a chain of more than 3 CDN redirects: the fourth is not followed',
    faults: [{ route: 'cdn', kind: 'redirect', times: 4 }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::.*redirected more than 3 times in a row/)
      assert.equal(cdnRequests(sim).length, 4)
    }
  },
  {
    name: 'an expired signed URL, replaced by a fresh one',
    faults: [{ route: 'cdn', kind: 'status', status: 403 }],
    succeeds: true,
    check: (run, sim) => {
      assert.match(run.stdout, /the video URL answered HTTP 403 \(expired or refused\); asking the API for a fresh one/)
      const urls = cdnRequests(sim).map((r) => r.path)
      assert.equal(urls.length, 2)
      assert.notEqual(urls[0], urls[1])
    }
  },
  {
    name: 'the URL lagging several polls behind 100%',
    options: { urlLagPolls: 4 },
    faults: [],
    succeeds: true,
    check: (_run, sim) => assert.ok(progressCalls(sim) >= 5)
  },
  {
    name: 'an HTML error page served as the video, once',
    faults: [{ route: 'cdn', kind: 'html-page' }],
    succeeds: true,
    check: (run, sim) => {
      assert.match(
        run.stdout,
        /::warning::Download: The downloaded file is not a whole MP4 video \(it starts with '<!DOCTYPE html>.*; fetching it again/
      )
      assert.equal(cdnRequests(sim).length, 2)
    }
  },
  {
    name: 'an HTML error page served as the video, every time',
    faults: [{ route: 'cdn', kind: 'html-page', times: 10 }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::The downloaded file is not a whole MP4 video \(it starts with '<!DOCTYPE html>.*; it was not kept/)
      assert.equal(cdnRequests(sim).length, 3, 'fetched again twice, then refused')
      assert.deepEqual(fs.readdirSync(path.join(run.workspace, 'videos')), [], 'nothing kept, no partial file')
    }
  },
  {
    name: 'an export answer lost after the server accepted it',
    faults: [{ route: 'export', kind: 'lose-answer' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(
        run.stdout,
        /::error::The export request was sent but no usable answer came back .* The export may have been accepted and spent credits, so it was not sent again/
      )
      assert.equal(exportPosts(sim), 1, 'not re-sent')
    }
  },
  {
    name: 'a 502 page in answer to the export',
    faults: [{ route: 'export', kind: 'status', status: 502, html: true }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::The export request was sent but no usable answer came back \(Starting the export failed: HTTP 502/)
      assert.equal(exportPosts(sim), 1, 'not re-sent')
    }
  },
  {
    name: 'a 429 in answer to the export, sent again after Retry-After',
    faults: [{ route: 'export', kind: 'status', status: 429, retryAfter: '1' }],
    succeeds: true,
    check: (run, sim) => {
      assert.match(run.stdout, /::warning::Starting the export failed: HTTP 429 .*; the API did not process it, so it is sent again in 1\.0 s/)
      assert.equal(exportPosts(sim), 2, 'sent twice')
      assert.equal(sim.exports.length, 1, 'accepted once')
    }
  },
  {
    name: 'a 429 to the export asking to wait an hour',
    faults: [{ route: 'export', kind: 'status', status: 429, retryAfter: '3600' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::Starting the export failed: HTTP 429/)
      assert.doesNotMatch(run.stdout, /sent again/, 'not waited for an hour')
      assert.equal(exportPosts(sim), 1)
      assert.equal(sim.exports.length, 0, 'nothing was accepted, so nothing is owed')
    }
  },
  {
    name: 'an API error envelope in answer to the export',
    faults: [{ route: 'export', kind: 'envelope', code: 4002, msg: 'Not enough credits' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::Starting the export failed: HTTP 200 code 4002: Not enough credits/)
      assert.equal(exportPosts(sim), 1)
    }
  },
  {
    name: 'an API message with escape sequences and control characters: the log shows its words only',
    faults: [
      {
        route: 'export',
        kind: 'envelope',
        code: 4002,
        msg: 'Not enough\u001b[2J\u001b]8;;https://evil.example\u0007 credits\u001b]8;;\u0007\r\u202e'
      }
    ],
    succeeds: false,
    check: (run) => {
      assert.match(run.stdout, /::error::Starting the export failed: HTTP 200 code 4002: Not enough credits/)
      // eslint-disable-next-line no-control-regex -- control characters are what must not reach the log
      assert.doesNotMatch(run.stdout + run.stderr, /[\u001b\u0007\r\u202e]/)
    }
  },
  {
    name: 'a download URL with a file: scheme',
    faults: [{ route: 'progress', kind: 'url', url: 'file:///etc/passwd' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::The API gave a download URL with the scheme file:, not http\(s\); it was not fetched/)
      assert.doesNotMatch(run.stdout, /trying again/, 'failed at once, not retried')
      assert.equal(cdnRequests(sim).length, 0)
    }
  },
  {
    name: 'a key the progress call stops knowing',
    faults: [{ route: 'progress', kind: 'not-found', times: 1000 }],
    inputs: { 'stall-timeout': '0.1' },
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::The API no longer knows export \w+ .*the render was lost on the server side/)
      assert.equal(run.outputs['project-id'], sim.exports[0].key)
      assert.ok(progressCalls(sim) < 10, `${progressCalls(sim)} progress calls in the grace period`)
    }
  },
  {
    name: 'a redirect to another host',
    faults: [{ route: 'project', kind: 'redirect' }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(
        run.stdout,
        /::error::Fetching project \S+ failed: HTTP 302 the API redirected to http:\/\/127\.0\.0\.1:\d+\/elsewhere; redirects are not followed/
      )
      assert.equal(cdnRequests(sim).length, 0, 'the key went to no other host')
    }
  },
  {
    name: 'a 500 on every poll, past the retry budget',
    faults: [{ route: 'progress', kind: 'status', status: 500, times: 1000 }],
    succeeds: false,
    check: (run, sim) => {
      assert.match(run.stdout, /::error::Checking progress of \w+ failed: HTTP 500/)
      assert.match(run.stdout, /resume: \w+/)
      assert.equal(progressCalls(sim), 6, 'bounded in count')
    }
  }
]

describe('fault matrix', () => {
  for (const testCase of cases) {
    it(`${testCase.succeeds ? 'survives' : 'fails cleanly on'} ${testCase.name}`, async () => {
      const sim = await startSimulator({ renderMs: 1200, ...testCase.options, faults: testCase.faults })
      try {
        const run = await runAction({
          inputs: { 'api-key': sim.mintToken(), 'api-url': sim.apiUrl, 'project-id': SAMPLE_PROJECT_ID, ...testCase.inputs },
          timeoutMs: 120_000
        })
        assert.equal(run.code, testCase.succeeds ? 0 : 1, run.stdout + run.stderr)
        assert.ok(sim.exports.length <= 1, 'never more than one export')
        if (testCase.succeeds) {
          assert.equal(sim.exports.length, 1)
          assert.deepEqual(fs.readFileSync(run.outputs['video-path']), SAMPLE_VIDEO)
        }
        // Each fault the case names fired: without it the case would pass on a healthy server.
        for (const fault of testCase.faults) {
          assert.ok(
            sim.fired.some((applied) => applied.route === fault.route && applied.kind === fault.kind),
            `the ${fault.kind} fault on ${fault.route} fired`
          )
        }
        testCase.check?.(run, sim)
      } finally {
        await sim.close()
      }
    })
  }
})
