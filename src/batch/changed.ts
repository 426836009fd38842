import * as core from '@actions/core'
import * as path from 'node:path'
import type { GitHub } from '../github/connect.js'
import { fileAt, findChanges, isAffected } from '../github/changes.js'
import { manifestDefinitions, type ManifestEntry } from '../settings/manifest.js'

/**
 * The entries whose inputs changed in the triggering push or pull request: a file they are made from,
 * or their own lines in the manifest (compared with the manifest at the base commit). All of them
 * where the base is unknown.
 */
export async function changedEntries(github: GitHub, entries: ManifestEntry[], manifestPath: string, workspace: string): Promise<ManifestEntry[]> {
  const changes = await findChanges(github)
  if (!changes) return entries
  const manifest = path.relative(workspace, manifestPath).split(path.sep).join('/')
  const before = changes.files.has(manifest) ? manifestDefinitions((await fileAt(github, manifest, changes.base)) ?? '') : undefined
  const changed = entries.filter(
    (entry) => isAffected(entry.settings.files, changes.files) || (before !== undefined && before.get(entry.name) !== entry.definition)
  )
  core.info(`only-changed: ${changed.length} of ${entries.length} video(s) changed${changed.length ? `: ${changed.map((e) => e.name).join(', ')}` : ''}`)
  return changed
}
