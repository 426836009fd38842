/**
 * What `npx github:…/aistudios-video-action` installs: the packed files only. Every runtime package is
 * inside the bundles, so none is a dependency of the package, and `files` packs the CLI's bundle and
 * the manifest schema, nothing else. The packed CLI runs with no node_modules anywhere above it.
 */
import assert from 'node:assert/strict'
import { execFileSync, execFile } from 'node:child_process'
import { promisify } from 'node:util'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { tempDir } from './helpers/run-action.ts'
import { DIALOGUE_PROJECT, startSimulator, type Simulator } from './simulator/server.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: object; files: string[] }

/** The files `npm pack` would put in the package, as npm itself lists them. */
function packedFiles(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const json = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    shell: process.platform === 'win32'
  })
  return (JSON.parse(json) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path)
}

let sim: Simulator
before(async () => {
  sim = await startSimulator({ renderMs: 300 })
})
after(() => sim.close())

describe('the npm package', () => {
  it('has no runtime dependencies: the bundles carry them', () => {
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}), [])
  })

  it('packs the CLI bundle and the schema, nothing else', () => {
    for (const file of packedFiles()) {
      assert.ok(/^(dist\/cli\/|schema\/|package\.json$|README\.md$|LICENSE$)/.test(file), `${file} is not packed`)
    }
  })

  it('runs a dry run from the packed files alone, with no node_modules', async () => {
    const unpacked = tempDir('aistudios-packed-')
    for (const file of packedFiles()) {
      fs.mkdirSync(path.dirname(path.join(unpacked, file)), { recursive: true })
      fs.copyFileSync(path.join(ROOT, file), path.join(unpacked, file))
    }
    const workspace = tempDir('aistudios-npx-ws-')
    fs.writeFileSync(path.join(workspace, 'promo.json'), JSON.stringify(DIALOGUE_PROJECT))
    const exports = sim.exports.length
    // Asynchronously: the simulator answers from this process.
    const run = await promisify(execFile)(
      process.execPath,
      [path.join(unpacked, 'dist/cli/index.js'), '--api-url', sim.apiUrl, '--template', 'promo.json', '--dry-run'],
      {
        cwd: workspace,
        env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1', AISTUDIOS_API_KEY: sim.mintToken() }
      }
    )
    assert.match(run.stdout, /✔ dry run: the request is in videos[/\\]aistudios-request\.json/)
    assert.equal(sim.exports.length, exports)
  })
})
