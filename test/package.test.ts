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

interface Packed {
  entryCount: number
  size: number
  unpackedSize: number
  files: Array<{ path: string }>
}

/** What `npm pack` would make, as npm itself reports it (read once: it packs the whole bundle). */
let packed: Packed | undefined
function pack(): Packed {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  packed ??= (
    JSON.parse(
      execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
        shell: process.platform === 'win32'
      })
    ) as Packed[]
  )[0]
  return packed
}
const packedFiles = (): string[] => pack().files.map((file) => file.path)

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

  it("is as large as the README says: the file count exactly, the sizes within the README's 20%", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ')
    const claim =
      /`npm pack --dry-run`: (\d+) files, about ([\d.]+) MB packed and ([\d.]+) MB unpacked; a test holds these figures to within 20%/.exec(readme)
    assert.ok(claim, "the README's CLI section gives the package's size")
    const { entryCount, size, unpackedSize } = pack()
    assert.equal(entryCount, Number(claim[1]), 'files')
    const within = (measured: number, written: string, what: string): void =>
      assert.ok(
        Math.abs(measured / 1e6 - Number(written)) <= Number(written) * 0.2,
        `${what}: ${(measured / 1e6).toFixed(2)} MB, the README says ${written} MB`
      )
    within(size, claim[2], 'packed')
    within(unpackedSize, claim[3], 'unpacked')
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
