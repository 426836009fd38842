/**
 * The repository's owner is written in one place, package.json's `repository`; every other mention
 * (the README's `uses:` lines, the reusable workflow, the CHANGELOG's links, the manifest schema's `$id`,
 * the code that sets it) must agree. `npm run repository` rewrites the others to match it, and
 * test/repository.test.ts fails while one differs, so moving the action to its real owner is one edit
 * and one command. dist/ is left alone: `npm run build` makes it from src/.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's name: tests and workflows recognise the action by it, so only its owner changes. */
export const NAME = 'aistudios-video-action'

/** A mention of the repository as owner, slash, NAME anywhere in a text: a `uses:`, a URL, an npx `github:` spec. */
const MENTION = new RegExp(`(?<![\\w.-])([A-Za-z0-9][A-Za-z0-9-]*)/${NAME}(?![\\w-])`, 'g')

/** Not the repository's own text: built, installed or tool folders, and the constant itself. */
const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'lib', '.demo', '.stryker-tmp', 'reports'])
const SKIP_FILES = new Set(['package.json', 'package-lock.json'])
/** Larger files are media or recorded data, never a place that names the repository. */
const MAX_BYTES = 2 * 1024 * 1024

/** The owner package.json's `repository` names; throws unless it is a GitHub URL of this repository. */
export function ownerOf(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository?: string | { url?: string } }
  const url = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '')
  const match = new RegExp(`github\\.com/([A-Za-z0-9][A-Za-z0-9-]*)/${NAME}(?:\\.git)?$`).exec(url)
  if (!match) throw new Error(`package.json's repository.url must be https://github.com/OWNER/${NAME}, not '${url}'`)
  return match[1]
}

/** The repository's text files, dist/ and the installed packages left out. */
function textFiles(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : textFiles(root, full)
    if (!entry.isFile() || (dir === root && SKIP_FILES.has(entry.name)) || fs.statSync(full).size > MAX_BYTES) return []
    return fs.readFileSync(full).includes(0) ? [] : [full]
  })
}

export interface Mention {
  file: string
  line: number
  owner: string
}

/** Every mention of the repository whose owner is not package.json's. */
export function strayMentions(root: string): Mention[] {
  const owner = ownerOf(root)
  return textFiles(root).flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, i) =>
        [...text.matchAll(MENTION)]
          .filter((match) => match[1] !== owner)
          .map((match) => ({ file: path.relative(root, file).split(path.sep).join('/'), line: i + 1, owner: match[1] }))
      )
  )
}

/** Rewrites every stray mention to package.json's owner; returns the files changed. */
export function syncMentions(root: string): string[] {
  const owner = ownerOf(root)
  const files = [...new Set(strayMentions(root).map((mention) => mention.file))]
  for (const file of files) {
    const full = path.join(root, file)
    fs.writeFileSync(full, fs.readFileSync(full, 'utf8').replace(MENTION, `${owner}/${NAME}`))
  }
  return files
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  if (process.argv.includes('--check')) {
    const stray = strayMentions(root)
    for (const mention of stray) console.error(`${mention.file}:${mention.line}: '${mention.owner}/${NAME}', not package.json's owner`)
    process.exitCode = stray.length > 0 ? 1 : 0
  } else {
    const changed = syncMentions(root)
    console.log(changed.length > 0 ? `now naming ${ownerOf(root)}/${NAME}: ${changed.join(', ')}` : `every mention names ${ownerOf(root)}/${NAME}`)
  }
}
