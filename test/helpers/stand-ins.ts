/** The simulator, the artifact service and GitHub's API stand-in, started before a test file's tests and closed after them. */
import { after, before } from 'node:test'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server.ts'
import { startArtifactService, type ArtifactService } from '../stand-ins/artifact-service.ts'
import { startGitHubApi, type GitHubApi } from '../stand-ins/github-api.ts'

export interface StandIns {
  sim: Simulator
  artifacts: ArtifactService
  github: GitHubApi
}

/** The three servers a run meets, for the file that calls it (read them inside its tests, once started). */
export function useStandIns(options: SimulatorOptions = {}): StandIns {
  const world = {} as StandIns
  before(async () => {
    world.sim = await startSimulator(options)
    world.artifacts = await startArtifactService()
    world.github = await startGitHubApi(world.artifacts)
  })
  after(async () => {
    await world.sim.close()
    await world.github.close()
    await world.artifacts.close()
  })
  return world
}
