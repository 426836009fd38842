/**
 * Starts the simulator in a process of its own and prints where it listens as one JSON line; runs
 * until killed. SIM_RENDER_MS sets the render time, SIM_VIDEO_SIZE a synthetic video's size in bytes.
 */
import { SAMPLE_PROJECT_ID, TEST_API_KEY, startSimulator } from './server.ts'

const sim = await startSimulator({
  renderMs: Number(process.env.SIM_RENDER_MS ?? 3000),
  videoSize: Number(process.env.SIM_VIDEO_SIZE ?? 0) || undefined
})
console.log(JSON.stringify({ apiUrl: sim.apiUrl, cdnUrl: sim.cdnUrl, apiKey: TEST_API_KEY, projectId: SAMPLE_PROJECT_ID }))
