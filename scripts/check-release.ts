/**
 * Whether a pushed tag may be released: `node scripts/check-release.ts v1.2.3` (release.yml runs it
 * first, before anything is installed). The tag must be package.json's version with a `v`, and
 * CHANGELOG.md must hold that version's notes under a dated heading (`## [1.2.3] - 2026-12-24`) with its
 * link, so the release never publishes one version under another's number, empty notes, or notes that
 * still say "not released". Node runs it as it is (types are stripped), so it imports only Node's own
 * modules.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

/** What stops `tag` from being released from the tree at `root`; empty when nothing does. */
export function releaseProblems(tag: string, root: string): string[] {
  const version = /^v(\d+\.\d+\.\d+)$/.exec(tag)?.[1]
  if (!version) return [`'${tag}' is not a release tag: vMAJOR.MINOR.PATCH, such as v1.0.0`]
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }
  const problems: string[] = []
  if (pkg.version !== version)
    problems.push(`the tag ${tag} is not package.json's version (${String(pkg.version)}): set "version": "${version}" first`)
  const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8')
  const escaped = version.replace(/\./g, '\\.')
  const heading = new RegExp(`^## \\[${escaped}\\](.*)$`, 'm').exec(changelog)
  if (!heading) return [...problems, `CHANGELOG.md has no section '## [${version}]'`]
  if (!/^ - \d{4}-\d{2}-\d{2}$/.test(heading[1]))
    problems.push(`CHANGELOG.md's '## [${version}]' is not dated: write '## [${version}] - YYYY-MM-DD', the day of the release`)
  const body = changelog.slice(heading.index + heading[0].length).split(/^(?:## |\[[^\]]+\]: )/m)[0]
  if (!/^- /m.test(body)) problems.push(`CHANGELOG.md's '## [${version}]' lists no change`)
  if (!new RegExp(`^\\[${escaped}\\]: https://\\S+$`, 'm').test(changelog))
    problems.push(`CHANGELOG.md has no link '[${version}]: …' for its heading`)
  return problems
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const problems = releaseProblems(process.argv[2] ?? '', fileURLToPath(new URL('..', import.meta.url)))
  // ::error:: makes each one an annotation on the run; elsewhere it reads as a plain line.
  for (const problem of problems) console.log(`::error::${problem}`)
  if (problems.length === 0) console.log(`${process.argv[2]} may be released`)
  process.exitCode = problems.length > 0 ? 1 : 0
}
