// The tutorials' approach, written plainly (../shared/seeds): fetch the project, replace the speech,
// export, poll every 3 s with no timeout or retry, download when the URL appears. The benchmark's
// baseline. Usage: node bench/baseline.mjs API_URL API_KEY PROJECT_ID OUTPUT_DIR [POLL_MS]
// POLL_MS is 3000 (the 1.4 tutorials, the samples) or 60000 (the docs 1.6 tutorial's loop).
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import * as path from 'node:path'

const [apiUrl, token, projectId, outputDir, pollMs = '3000'] = process.argv.slice(2)
const headers = { Authorization: token, 'Content-Type': 'application/json' }

const projectInfo = await fetch(`${apiUrl}/api/odin/v3/editor/project/${projectId}`, { headers })
  .then((response) => response.json())
  .then((res) => res.data.project)

const project = { ...projectInfo }
const modelIdx = project.scenes[0].clips.findIndex((clip) => clip.type === 'aiModel')
project.scenes[0].clips[modelIdx].script.org = 'This is overriding old script'
// The reference (create-project.md) requires each avatar's lines in scene.scripts[] too, as the 1.6
// tutorial writes them (export-from-exist-project.mdx, 5.3); the 1.4 seed has none, so they are added.
for (const scene of project.scenes) {
  const avatar = scene.clips.find((clip) => clip.type === 'aiModel')
  if (avatar && !scene.scripts?.length) {
    scene.scripts = [{ org: avatar.script.org, isTTS: false, tts: null, modelId: avatar.model.ai_name, clothId: avatar.model.emotion }]
  }
}

// The seed posts `{ scenes }` with scenes undefined; the intended body is the edited project.
const projectKey = await fetch(`${apiUrl}/api/odin/v3/editor/project`, {
  method: 'POST',
  headers,
  body: JSON.stringify({ name: project.name, orientation: project.orientation, scenes: project.scenes })
})
  .then((response) => response.json())
  .then((res) => res.data.projectId)

let complete = false
while (!complete) {
  const res = await fetch(`${apiUrl}/api/odin/v3/editor/progress/${projectKey}`, { headers }).then((response) => response.json())
  if (res.success && res.data.progress >= 100 && res.data.downloadUrl) {
    const filename = path.basename(new URL(res.data.downloadUrl).pathname)
    fs.mkdirSync(outputDir, { recursive: true })
    const file = fs.createWriteStream(path.join(outputDir, filename))
    await new Promise((resolve) => {
      ;(res.data.downloadUrl.startsWith('https:') ? https : http).get(res.data.downloadUrl, (response) => {
        response.pipe(file)
        file.on('finish', () => file.close(resolve))
      })
    })
    console.log(path.join(outputDir, filename))
    complete = true
  } else {
    await new Promise((resolve) => setTimeout(resolve, Number(pollMs)))
  }
}
