/** Whether the run's artifact service can be reached: only inside GitHub Actions, which gives its URL and token. */
export const artifactServiceReachable = (): boolean => Boolean(process.env.ACTIONS_RUNTIME_TOKEN && process.env.ACTIONS_RESULTS_URL)

/** The artifact client, loaded only when used: it is the heaviest part of the bundle. */
export async function loadArtifactClient() {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient()
}
