import * as core from '@actions/core'
import { normaliseNoProxy } from './aistudios/transport.js'
import { cancelOnSignals } from './cancel.js'
import { provideArtifactClient } from './github/artifact-service.js'
import { asGiven } from './job/action-defaults.js'
import { isCollect } from './job/collect-settings.js'
import { isPlan } from './job/inputs.js'
import { readRunnerEnv } from './job/runner.js'
import { collect } from './modes/collect.js'
import { plan } from './modes/plan.js'
import { render } from './modes/render.js'
import { report } from './report/report.js'
import { workAbandoned } from './waits.js'

const orFalse = (read: () => boolean): boolean => {
  try {
    return read()
  } catch {
    return false
  }
}

/** The action's three modes: `plan` (a matrix of videos), render (the videos), `collect` (the matrix's results). */
export async function run(): Promise<void> {
  // The action may upload: it alone brings the artifact client (loaded on first use).
  provideArtifactClient(async () => new (await import('@actions/artifact')).DefaultArtifactClient())
  normaliseNoProxy()
  const runner = readRunnerEnv()
  // Read once, as given: a default the runner set on its own reads as not given (see asGiven).
  const get = asGiven((name: string): string => core.getInput(name))
  // Listened for from the start to the last line: a cancel anywhere ends the wait at hand, and the run reports.
  const cancel = cancelOnSignals()
  let mode: typeof render
  try {
    // A `plan` that is no boolean is refused by the render's own reading of the job, which also leaves a
    // matrix job's result record naming the refusal.
    mode = isCollect(get) ? collect : orFalse(() => isPlan(get)) ? plan : render
  } catch (error) {
    return await report([], runner, undefined, error)
  }
  await mode(get, runner, cancel.signal)
  cancel.dispose()
  // A cancelled run ends once it has reported: work it stopped waiting for (an upload, a record read) must not hold it.
  if (cancel.signal.aborted || workAbandoned()) process.exit()
}
