import * as core from '@actions/core'
import * as path from 'node:path'
import { notDelivered, type Job, type RunnerEnv, type VideoResult } from '../domain.js'
import { InputError, errorMessage } from '../errors.js'
import { info } from '../log.js'
import { setOutputs } from './outputs.js'
import { exported, resumeAdvice, resumeHint } from '../resume.js'
import { writeSummary } from './summary.js'
import { terminalText } from '../text.js'

/** An error that ends the run, as an annotation; on the file and line where the input was written, when known. */
function annotate(error: unknown, runner: RunnerEnv): void {
  if (error instanceof InputError && error.location) {
    const { file, line, column } = error.location
    core.error(terminalText(error.message), { file: path.relative(runner.workspace, file), startLine: line, startColumn: column })
  } else {
    core.error(terminalText(errorMessage(error)))
  }
}

/**
 * The end of every run, however it went: outputs, the job summary, each accepted export's key with how
 * to resume it, and the exit status. `error` is what ended the run early, if anything did.
 */
export async function report(results: VideoResult[], runner: RunnerEnv, job: Job | undefined, error?: unknown): Promise<void> {
  if (error !== undefined) annotate(error, runner)
  const failed = results.filter(notDelivered)
  for (const result of failed.filter(exported)) core.error(terminalText(resumeAdvice(result)))
  for (const result of results)
    if (result.status === 'started' && result.exportKey) info(resumeHint(result.exportKey, result.generation, result.spec.name))
  if (results.length > 1 && failed.length > 0) {
    core.error(terminalText(`${failed.length} of ${results.length} video(s) were not delivered: ${failed.map((result) => result.name).join(', ')}`))
  }
  if (error !== undefined || failed.length > 0) process.exitCode = 1
  setOutputs(results)
  try {
    await writeSummary(results, runner, job, error === undefined ? undefined : errorMessage(error))
  } catch (summaryError) {
    core.warning(`The job summary could not be written: ${errorMessage(summaryError)}`)
  }
}
