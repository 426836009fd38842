import * as os from 'node:os'
import type { RunnerEnv } from '../domain.js'

/** GitHub Enterprise Server: neither github.com nor GitHub Enterprise Cloud (*.ghe.com), as @actions/artifact tells them apart. */
function isEnterpriseServer(serverUrl: string | undefined): boolean {
  if (!serverUrl) return false
  const host = new URL(serverUrl).hostname.toLowerCase()
  return !(host === 'github.com' || host.endsWith('.ghe.com') || host.endsWith('.localhost') || host === 'localhost')
}

/** `octo-org/videos/.github/workflows/render.yml@refs/heads/main` → `.github/workflows/render.yml`. Pure. */
export function workflowPath(ref: string | undefined): string | undefined {
  // The ref follows the last '@': a workflow file's own name may hold one (video@v2.yml).
  return /^[^/]+\/[^/]+\/(.+)@[^@]*$/.exec(ref ?? '')?.[1]
}

/** The runner's environment (GITHUB_*, ACTIONS_*, RUNNER_*), read here once and passed on. */
export function readRunnerEnv(env: NodeJS.ProcessEnv = process.env): RunnerEnv {
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || os.tmpdir(),
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    repository: env.GITHUB_REPOSITORY ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    artifactService: Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL),
    enterpriseServer: isEnterpriseServer(env.GITHUB_SERVER_URL),
    summaryFile: env.GITHUB_STEP_SUMMARY || undefined,
    workflowFile: workflowPath(env.GITHUB_WORKFLOW_REF),
    jobId: env.GITHUB_JOB || undefined,
    maxRetentionDays: Number(env.GITHUB_RETENTION_DAYS) > 0 ? Number(env.GITHUB_RETENTION_DAYS) : undefined
  }
}
