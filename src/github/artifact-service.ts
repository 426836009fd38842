/** The artifact client, loaded only when used: it is the heaviest part of the bundle. */
export async function loadArtifactClient() {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient()
}

/**
 * The loader, handed down by the entry point that may upload (the action): a module that only takes
 * it as a parameter does not pull the client's 3.7 MB chunk into a bundle that never uploads (the CLI).
 */
export type ArtifactLoader = typeof loadArtifactClient
