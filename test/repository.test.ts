/**
 * One place names the repository's owner (package.json's `repository`): every other mention agrees
 * with it, and `npm run repository` makes them agree after it changes, leaving dist/ to the build.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { NAME, ownerOf, strayMentions, syncMentions } from '../scripts/repository.ts'
import { tempDir } from './helpers/run-action.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

describe("the repository's owner", () => {
  it("is package.json's, and every mention outside dist/ names it (else run npm run repository)", () => {
    const owner = ownerOf(ROOT)
    const stray = strayMentions(ROOT).map((mention) => `${mention.file}:${mention.line} names ${mention.owner}`)
    assert.deepEqual(stray, [], `not ${owner}/${NAME}: run npm run repository`)
  })

  it('is mentioned where users and the schema need it', () => {
    const owner = ownerOf(ROOT)
    const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8')
    assert.match(read('README.md'), new RegExp(`uses: ${owner}/${NAME}@v1`))
    assert.match(read('.github/workflows/render-videos.yml'), new RegExp(`uses: ${owner}/${NAME}@v1`))
    assert.match(read('schema/manifest.schema.json'), new RegExp(`"\\$id": "https://raw\\.githubusercontent\\.com/${owner}/${NAME}/`))
    assert.match(read('CHANGELOG.md'), new RegExp(`https://github\\.com/${owner}/${NAME}/`))
  })

  it('moves with one edit of package.json and one command, dist/ untouched', () => {
    const root = tempDir('aistudios-owner-')
    const placeholder = `${'your-org'}/${NAME}`
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
      fs.writeFileSync(path.join(root, file), text)
    }
    write('package.json', JSON.stringify({ name: NAME, repository: { type: 'git', url: `https://github.com/acme/${NAME}` } }))
    write('README.md', `- uses: ${placeholder}@v1\nnpx --yes github:${placeholder}\n`)
    write('.github/workflows/render-videos.yml', `      - uses: ${placeholder}@v1\n`)
    write('src/job/manifest-schema.ts', `const ID = 'https://raw.githubusercontent.com/${placeholder}/v1/schema/manifest.schema.json'\n`)
    write('dist/index.js', `"${placeholder}"`)
    assert.deepEqual(
      strayMentions(root)
        .map((mention) => `${mention.file}:${mention.line}`)
        .sort(),
      ['.github/workflows/render-videos.yml:1', 'README.md:1', 'README.md:2', 'src/job/manifest-schema.ts:1']
    )
    assert.deepEqual(syncMentions(root).sort(), ['.github/workflows/render-videos.yml', 'README.md', 'src/job/manifest-schema.ts'])
    assert.deepEqual(strayMentions(root), [])
    assert.equal(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), `- uses: acme/${NAME}@v1\nnpx --yes github:acme/${NAME}\n`)
    assert.equal(fs.readFileSync(path.join(root, 'dist/index.js'), 'utf8'), `"${placeholder}"`, 'dist/ is the build output')
  })

  it('moves in a copy of this repository: after the command, no mention of the old owner is left outside dist/', () => {
    const copy = tempDir('aistudios-owner-copy-')
    const skip = new Set(['.git', 'node_modules', 'dist'])
    fs.cpSync(ROOT, copy, { recursive: true, filter: (source) => !skip.has(path.basename(source)) })
    const pkgFile = path.join(copy, 'package.json')
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { repository: { url: string } }
    const before = ownerOf(copy)
    pkg.repository.url = `https://github.com/acme-videos/${NAME}`
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2))
    assert.ok(syncMentions(copy).length >= 8, 'the README, workflows, CHANGELOG, schema, src and tests mention it')
    assert.deepEqual(strayMentions(copy), [])
    const read = (file: string): string => fs.readFileSync(path.join(copy, file), 'utf8')
    const id = `https://raw.githubusercontent.com/acme-videos/${NAME}/v1/schema/manifest.schema.json`
    assert.equal((JSON.parse(read('schema/manifest.schema.json')) as { $id: string }).$id, id)
    assert.ok(read('src/job/manifest-schema.ts').includes(`'${id}'`), 'the code that makes the schema agrees')
    for (const file of ['README.md', 'CHANGELOG.md', '.github/workflows/render-videos.yml', 'examples/video/manifest.yml']) {
      assert.ok(!read(file).includes(`${before}/${NAME}`), `${file} still names ${before}`)
    }
  })

  it('must be a GitHub URL of this repository', () => {
    const root = tempDir('aistudios-owner-')
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ repository: 'https://gitlab.com/acme/other' }))
    assert.throws(() => ownerOf(root), /repository\.url must be https:\/\/github\.com\/OWNER\/aistudios-video-action/)
  })
})
