#!/usr/bin/env node
/**
 * `aistudios-video`: the action's core behind a command line, to try a template or a manifest before
 * committing it. The same job, validation, API client and pipeline as the action (one core, two front
 * doors); what differs is where the inputs come from (flags and the environment) and where the result
 * goes (the terminal and the exit code).
 */
import * as os from 'node:os'
import * as path from 'node:path'
import packageJson from '../../package.json' with { type: 'json' }
import { AiStudiosClient } from '../aistudios/client.js'
import { normaliseNoProxy } from '../aistudios/transport.js'
import { cancelOnSignals } from '../cancel.js'
import { notDelivered, type Unreached, type VideoResult } from '../domain.js'
import { ApiError, AuthError, InputError, UnreachableError, errorMessage } from '../errors.js'
import { readJob } from '../job/inputs.js'
import { nameRootFolder } from '../job/parse.js'
import { readRunnerEnv } from '../job/runner.js'
import { errorLine, info, useSink } from '../log.js'
import { exported, resumeAdvice } from '../resume.js'
import { newResult, produceAll } from '../video/produce-all.js'
import { WriteError } from '../write-file.js'
import { UsageError, checkCredentialVariables, cliInputs, parseArgs, usage, type CliArgs } from './args.js'
import { cliFrontEnd } from './resume-command.js'
import { terminalSink } from './terminal.js'
import { cliName, cliWording } from './wording.js'

/** What the exit status says (the README's table and --help). */
const EXIT = {
  ok: 0,
  unexpected: 1,
  notWritten: 1,
  badInput: 2,
  apiRefused: 3,
  renderFailed: 4,
  downloadFailed: 5,
  unreachable: 6,
  connectionRefused: 7
} as const

/** Not reached is not refused: a wrong host or a network is not the API saying no. */
const exitForUnreached = (how: Unreached): number => (how === 'refused' ? EXIT.connectionRefused : EXIT.unreachable)

/** The exit status a failed video stands for: where it failed. */
function exitFor(result: VideoResult): number {
  if (result.unwritable) return EXIT.notWritten
  if (result.stage === 'render') return EXIT.renderFailed
  if (result.stage === 'download') return EXIT.downloadFailed
  if (result.unreached) return exitForUnreached(result.unreached)
  return result.refusedByApi ? EXIT.apiRefused : EXIT.unexpected
}

/** The exit status of an error that ended the run before its videos did. */
function exitForError(error: unknown): number {
  if (error instanceof UsageError || error instanceof InputError) return EXIT.badInput
  if (error instanceof AuthError || error instanceof ApiError) return EXIT.apiRefused
  if (error instanceof UnreachableError) return exitForUnreached(error.kind)
  if (error instanceof WriteError) return EXIT.notWritten
  return EXIT.unexpected
}

/** An error as the CLI says it: an input is named as the flag (or environment variable) it came from; the sink words the rest. */
function cliMessage(error: unknown, typed: readonly string[]): string {
  if (!(error instanceof InputError)) return errorMessage(error)
  // Named as it was typed: --no-wait, not a --wait the user never wrote.
  const name = cliName(error.input, typed)
  return name ? `${name}: ${error.detail}` : errorMessage(error)
}

/** The last line a video gets: where it was saved, or how to resume it. Its error was printed when it failed. */
function printResult(result: VideoResult, workspace: string, args: CliArgs): void {
  const label = result.spec.name ? `${result.spec.name}: ` : ''
  if (result.status === 'downloaded' && result.video) info(`✔ ${label}saved ${path.relative(workspace, result.video.path)}`)
  else if (result.status === 'dry-run' && result.dryRun) info(`✔ ${label}dry run: the request is in ${path.relative(workspace, result.dryRun.path)}`)
  else if (result.status === 'dry-run' && result.exportKey) info(`✔ ${label}dry run: export ${result.exportKey} is there to resume`)
  else if (exported(result) && (result.status === 'started' || notDelivered(result))) {
    const hint = `${label}${resumeAdvice(result, cliFrontEnd(args))}`
    if (result.status === 'started') info(`⏳ ${hint}`)
    else errorLine(hint)
  }
}

export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  normaliseNoProxy()
  // Messages name the flags as typed, once the command line is read.
  let typed: readonly string[] = []
  useSink(terminalSink(process.stdout, process.stderr, (text) => cliWording(text, typed)))
  nameRootFolder('the current folder')
  const cancel = cancelOnSignals()
  let client: AiStudiosClient | undefined
  let args: CliArgs | undefined
  try {
    args = parseArgs(argv)
    typed = args.typed
    if (args.help || args.version) {
      info(args.help ? usage() : `aistudios-video ${packageJson.version}`)
      return EXIT.ok
    }
    checkCredentialVariables(env)
    const workspace = process.cwd()
    const job = readJob(cliInputs(args, env), readRunnerEnv({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: os.tmpdir() }))
    const results = job.videos.map(newResult)
    client = new AiStudiosClient(job.api)
    await produceAll(results, { job, client }, cancel.signal)
    for (const result of results) printResult(result, workspace, args)
    const failed = results.find(notDelivered)
    return failed ? exitFor(failed) : EXIT.ok
  } catch (error) {
    errorLine(cliMessage(error, args?.typed ?? []))
    return exitForError(error)
  } finally {
    await client?.close()
    cancel.dispose()
  }
}

process.exitCode = await cli(process.argv.slice(2), process.env)
