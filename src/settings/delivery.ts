import * as core from '@actions/core'
import * as fs from 'node:fs'
import { InputError } from '../errors.js'
import { parseBoolean } from './parse.js'
import type { InputReader } from './settings.js'

/** What the run does on GitHub's side, beside the artifact. */
export interface GitHubSettings {
  /** Absent: the GitHub features asked for are skipped with a warning. */
  token?: string
  /** Render only the videos whose input files changed in the triggering push or pull request. */
  onlyChanged: boolean
  /** Attach the videos to this release. */
  release?: { tag: string; replace: boolean }
  /** Keep one comment on the pull request with what was rendered. */
  comment: boolean
}

/** The triggering event's payload, as the runner saves it. */
function eventPayload(): Record<string, any> {
  const file = process.env.GITHUB_EVENT_PATH
  if (!file || !fs.existsSync(file)) return {}
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>
}

export function readGitHubSettings(get: InputReader): GitHubSettings {
  const settings: GitHubSettings = {
    token: get('github-token').trim() || undefined,
    onlyChanged: parseBoolean('only-changed', get('only-changed'), false),
    comment: parseBoolean('comment', get('comment'), false)
  }
  if (parseBoolean('release-upload', get('release-upload'), false)) {
    const tag = get('release-tag').trim() || (eventPayload().release?.tag_name as string | undefined)
    if (!tag) throw new InputError('release-tag', "'release-upload' needs a release: run on a release event or set 'release-tag'")
    settings.release = { tag, replace: parseBoolean('release-replace', get('release-replace'), false) }
  }
  if (!settings.token && (settings.onlyChanged || settings.release || settings.comment)) {
    core.warning("'github-token' is empty: only-changed, release-upload and comment are skipped")
    return { onlyChanged: false, comment: false }
  }
  return settings
}

export const needsGitHub = (settings: GitHubSettings): boolean =>
  Boolean(settings.token && (settings.onlyChanged || settings.release || settings.comment))
