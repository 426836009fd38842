/** The artifact client, loaded only when used: it is the heaviest part of the bundle. */
export async function loadArtifactClient() {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient()
}
