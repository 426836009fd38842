import * as fs from 'node:fs'
import * as path from 'node:path'
import { info, notice } from '../log.js'

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/

/** Whether the checkout's copy of a workflow file can be called by another (`workflow_call`); lenient. */
function reusable(workspace: string, file: string): boolean {
  try {
    return /\bworkflow_call\b/.test(fs.readFileSync(path.join(workspace, file), 'utf8'))
  } catch {
    return false
  }
}

/**
 * Whether the step's inline inputs (`inline`, written in the workflow) may have changed: the run's
 * workflow file is among the changed files, or a changed workflow of the repository is a reusable one.
 * In a reusable workflow GITHUB_WORKFLOW_REF names the caller, while the step, and its `with:`, may be
 * written in the called file, which nothing names. Where the run names no workflow (a local run) they
 * count as changed, with a notice: a needless render costs one export, a skipped one leaves a changed
 * video unrendered behind a green run.
 */
export function workflowChanged(changed: Set<string>, workflowFile: string | undefined, workspace: string, inline: string[]): boolean {
  const what = inline.join(', ')
  if (!workflowFile) {
    notice(`only-changed: this run names no workflow file (GITHUB_WORKFLOW_REF), which holds the step's inline ${what}; counted as changed`)
    return true
  }
  const edited = [...changed].filter((file) => file === workflowFile || (WORKFLOW.test(file) && reusable(workspace, file)))
  if (edited.length > 0) info(`only-changed: ${edited.join(', ')} changed, which may hold the step's inline ${what}`)
  return edited.length > 0
}
