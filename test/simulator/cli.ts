/** Starts the simulator and prints where it listens as one JSON line; runs until killed. */
import { SAMPLE_PROJECT_ID, TEST_API_KEY, startSimulator } from './server.ts'

const sim = await startSimulator({ renderMs: Number(process.env.SIM_RENDER_MS ?? 3000) })
console.log(JSON.stringify({ apiUrl: sim.apiUrl, cdnUrl: sim.cdnUrl, apiKey: TEST_API_KEY, projectId: SAMPLE_PROJECT_ID }))
