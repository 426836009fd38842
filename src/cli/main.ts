#!/usr/bin/env node
/**
 * `aistudios-video`: the action's core behind a command line, to try a template or a manifest before
 * committing it. The same job, validation, API client and pipeline as the action (one core, two front
 * doors); what differs is where the inputs come from (flags and the environment) and where the result
 * goes (the terminal and the exit code).
 */
import * as os from 'node:os'
import * as path from 'node:path'
import { AiStudiosClient } from '../aistudios/client.js'
import { normaliseNoProxy } from '../aistudios/transport.js'
import { cancelOnSignals } from '../cancel.js'
import { notDelivered, type VideoResult } from '../domain.js'
import { InputError, errorMessage } from '../errors.js'
import { readJob } from '../job/inputs.js'
import { readRunnerEnv } from '../job/runner.js'
import { errorLine, info, useSink } from '../log.js'
import { resumeHint } from '../resume.js'
import { newResult, produceAll } from '../video/produce-all.js'
import { CLI_INPUTS, CREDENTIAL_VARIABLES, cliInputs, parseArgs } from './args.js'
import { terminalSink } from './terminal.js'

/** What the exit status says (the README's table). */
const EXIT = { ok: 0, unexpected: 1, badInput: 2, apiRefused: 3, renderFailed: 4, downloadFailed: 5 } as const

const USAGE = `Usage: aistudios-video [flags]

Renders AI Studios videos as the GitHub Action does: --template or --project-id (or --manifest),
with speech, variables and tags; saves the video in --output-dir (default: videos).

Credentials come from the environment: ${CREDENTIAL_VARIABLES['app-id']} and ${CREDENTIAL_VARIABLES['user-key']}
(or ${CREDENTIAL_VARIABLES['api-key']}).

Flags (each as the action's input of the same name): ${CLI_INPUTS.map((input) => `--${input}`).join(', ')}.
  --var NAME=value   a placeholder value (repeatable)
  --tag TAG=value    a value for the clips carrying TAG (repeatable)
  --dry-run          check everything and save the request; export nothing

Exit status: 0 done, 2 bad input, 3 the API refused, 4 the render failed or timed out (its export
key is printed), 5 the download failed, 1 anything else.`

/** The exit status a failed video stands for: where it failed. */
function exitFor(result: VideoResult): number {
  if (result.stage === 'render') return EXIT.renderFailed
  if (result.stage === 'download') return EXIT.downloadFailed
  return EXIT.apiRefused
}

/** One line a video: where it is, or what went wrong and how to resume it. */
function printResult(result: VideoResult, workspace: string): void {
  const label = result.spec.name ? `${result.spec.name}: ` : ''
  if (result.status === 'downloaded' && result.video) info(`✔ ${label}saved ${path.relative(workspace, result.video.path)}`)
  else if (result.status === 'dry-run' && result.dryRun) info(`✔ ${label}dry run: the request is in ${path.relative(workspace, result.dryRun.path)}`)
  else if (result.status === 'started' && result.exportKey) info(`⏳ ${label}${resumeHint(result.exportKey, result.generation, result.spec.name)}`)
  else if (notDelivered(result)) {
    errorLine(`✖ ${label}${result.error ?? 'not started'}`)
    if (result.exportKey)
      errorLine(resumeHint(result.exportKey, result.generation, result.spec.name).replace('re-run this step with the input', 'run again with'))
  }
}

export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  normaliseNoProxy()
  useSink(terminalSink(process.stdout, process.stderr))
  const cancel = cancelOnSignals()
  let client: AiStudiosClient | undefined
  try {
    const args = parseArgs(argv)
    if (args.help) {
      info(USAGE)
      return EXIT.ok
    }
    const workspace = process.cwd()
    const job = readJob(cliInputs(args, env), readRunnerEnv({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: os.tmpdir() }))
    const results = job.videos.map(newResult)
    client = new AiStudiosClient(job.api)
    await produceAll(results, { job, client }, cancel.signal)
    for (const result of results) printResult(result, workspace)
    const failed = results.find(notDelivered)
    return failed ? exitFor(failed) : EXIT.ok
  } catch (error) {
    errorLine(errorMessage(error))
    return error instanceof InputError ? EXIT.badInput : EXIT.unexpected
  } finally {
    await client?.close()
    cancel.dispose()
  }
}

process.exitCode = await cli(process.argv.slice(2), process.env)
