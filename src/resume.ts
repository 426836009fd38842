import type { Generation, VideoResult } from './domain.js'

/**
 * How a front end tells its user to run again: the action in its step's inputs, the CLI in the flags of
 * the command as it was typed (src/cli). Each hint must work when followed as written.
 */
export interface FrontEnd {
  /** Run again with these inputs set, dropping what they make unused. */
  resumeWith(inputs: Array<[string, string]>): string
  /** Run again as it was. */
  again: string
  /** Whether a failed job's re-run attempt is a way to finish (a workflow's, never a terminal's). */
  rerunsJobs: boolean
}

/** The action's: what resume refuses as unused is named, so the hint works when followed as written. */
export const ACTION: FrontEnd = {
  resumeWith: (inputs) =>
    `re-run this step with the input${inputs.length > 1 ? 's' : ''} ${inputs.map(([name, value]) => `${name}: ${value}`).join(' and ')}` +
    " (drop 'wait: false', 'tags', 'resolution', 'workspace-id' and 'webhook-url' if set)",
  again: 're-run this step as it is',
  rerunsJobs: true
}

/** The inputs that resume an export, written as `frontEnd` takes them. */
function resumeWith(exportKey: string, generation: Generation, entry: string | undefined, frontEnd: FrontEnd): string {
  const inputs: Array<[string, string]> = [
    ...(entry ? [['manifest-entry', entry] as [string, string]] : []),
    ['resume', exportKey],
    ...(generation === 'legacy' ? [['api-generation', 'legacy'] as [string, string]] : [])
  ]
  return frontEnd.resumeWith(inputs)
}

/** How to pick up an export that a run started but did not see finish, without paying for it again. */
export function resumeHint(exportKey: string, generation: Generation, entry?: string, frontEnd: FrontEnd = ACTION): string {
  return `Export ${exportKey} was accepted and may still be rendering (its credits are spent). To download it without exporting again, ${resumeWith(exportKey, generation, entry, frontEnd)}.`
}

type Exported = VideoResult & { exportKey: string }

/** Whether the video's export was accepted: from then on, the user must always learn its key. */
export const exported = (result: VideoResult): result is Exported => result.exportKey !== undefined

/**
 * How to deliver a saved video whose delivery failed, paying nothing again. `resume` finds the render
 * finished (nothing undelivered is ever cleaned up) and downloads it again; a reused video's key is
 * another run's, whose project that run may have deleted, so `reuse` is what finds it again.
 */
export function redeliverHint(result: Exported, frontEnd: FrontEnd = ACTION): string {
  if (result.deliveredByAttempt !== undefined) {
    return `To deliver it, ${frontEnd.again}: it takes the video from attempt ${result.deliveredByAttempt}'s artifact again, exporting nothing.`
  }
  if (result.reusedFromRun !== undefined) {
    return `To deliver it, ${frontEnd.again}: 'reuse' finds the video of run ${result.reusedFromRun} again, exporting nothing.`
  }
  const how = resumeWith(result.exportKey, result.generation, result.spec.name, frontEnd)
  // In a workflow, re-running the failed job is the plainest way: its re-run attempt finds the export in the
  // run's ledger, and it keeps the job as it was (a manifest run's comment stays its own, not a matrix job's).
  const rerun = frontEnd.rerunsJobs ? `re-run the failed job (its re-run attempt finds export ${result.exportKey} in the run's ledger), or ` : ''
  return `To deliver it without exporting again, ${rerun}${how}; that downloads the finished video again.`
}

/**
 * What to tell of an exported video that was not delivered, as far as the run saw it get: a render not
 * seen finished may still be rendering; a finished one was not saved, or was saved and a delivery failed.
 */
export function resumeAdvice(result: Exported, frontEnd: FrontEnd = ACTION): string {
  const { exportKey, generation, undelivered } = result
  if (result.deliveredByAttempt !== undefined && !undelivered) {
    return `Export ${exportKey} was delivered by attempt ${result.deliveredByAttempt} of this run, and 'cleanup' deleted its project, so it cannot be resumed: download its video from that attempt's artifacts; nothing more was spent.`
  }
  if (undelivered) {
    return `Export ${exportKey} finished rendering and its video is saved as ${undelivered.savedAs}, but ${undelivered.delivery} failed. ${redeliverHint(result, frontEnd)}`
  }
  // Only a render seen finished (its URL came) may be called finished; anything short of it may still be under way.
  if (result.stage !== 'download' && result.stage !== 'deliver') return resumeHint(exportKey, generation, result.spec.name, frontEnd)
  const how = resumeWith(exportKey, generation, result.spec.name, frontEnd)
  return `Export ${exportKey} finished rendering (its credits are spent), but its video was not saved. To download it without exporting again, ${how}.`
}
