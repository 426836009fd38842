/**
 * `npm run simulator`: starts the simulator in a process of its own, prints where it listens and the
 * credentials it accepts as one JSON line on stdout (for scripts) and as text on stderr (for people),
 * and runs until stopped. SIM_RENDER_MS sets the render time, SIM_VIDEO_SIZE a synthetic video's size.
 */
import { DIALOGUE_PROJECT_ID, LEGACY_PROJECT_ID, SAMPLE_PROJECT_ID, TEST_API_KEY, startSimulator } from './server.ts'

/** The simulator's account: an app ID and user key, exchanged for a token as with a real account. */
const APP = { appId: 'sim-app', userKey: 'sim-user-key' }

const sim = await startSimulator({
  renderMs: Number(process.env.SIM_RENDER_MS ?? 3000),
  videoSize: Number(process.env.SIM_VIDEO_SIZE ?? 0) || undefined,
  withState: true,
  apps: { [APP.appId]: APP.userKey }
})
console.log(
  JSON.stringify({
    apiUrl: sim.apiUrl,
    legacyUrl: sim.legacyUrl,
    cdnUrl: sim.cdnUrl,
    ...APP,
    /** A v3 token for scripts that skip the exchange (valid 24 hours), and the legacy API's secret key. */
    token: sim.mintToken(),
    legacyKey: TEST_API_KEY,
    legacyProjectId: LEGACY_PROJECT_ID,
    projectId: SAMPLE_PROJECT_ID,
    dialogueProjectId: DIALOGUE_PROJECT_ID
  })
)
console.error(`AI Studios simulator
  api-url:        ${sim.apiUrl}
  legacy-api-url: ${sim.legacyUrl}
  app-id:         ${APP.appId}
  user-key:       ${APP.userKey}
  project-id:     ${SAMPLE_PROJECT_ID} (1.4 style) or ${DIALOGUE_PROJECT_ID} (1.6, dialogue and tags)
  legacy:         api-key ${TEST_API_KEY}, project-id ${LEGACY_PROJECT_ID} with api-generation: legacy
Stop it with Ctrl-C.`)
