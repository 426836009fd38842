import * as fs from 'node:fs'
import { FROM_DRAFT, REUSE_SCOPES, type GitHubSettings, type RunnerEnv } from '../domain.js'
import { InputError } from '../errors.js'
import { parseBoolean, parseChoice, type InputReader } from './parse.js'
import { warning } from '../log.js'

/** The tag of the release that triggered the run, if one did. */
function releaseTag(runner: RunnerEnv): string | undefined {
  if (!runner.eventPath || !fs.existsSync(runner.eventPath)) return undefined
  const payload = JSON.parse(fs.readFileSync(runner.eventPath, 'utf8')) as { release?: { tag_name?: unknown } }
  return typeof payload.release?.tag_name === 'string' ? payload.release.tag_name : undefined
}

export function readGitHubSettings(get: InputReader, runner: RunnerEnv): GitHubSettings {
  const settings: GitHubSettings = {
    token: get('github-token').trim() || undefined,
    onlyChanged: parseBoolean('only-changed', get('only-changed'), false),
    reuse: parseBoolean('reuse', get('reuse'), false),
    reuseFrom: parseChoice('reuse-from', get('reuse-from'), REUSE_SCOPES) ?? 'branch-or-default',
    comment: parseBoolean('comment', get('comment'), false),
    fromDraft: parseChoice('from-draft', get('from-draft'), FROM_DRAFT) ?? 'false'
  }
  if (parseBoolean('release-upload', get('release-upload'), false)) {
    const tag = get('release-tag').trim() || releaseTag(runner)
    if (!tag) throw new InputError('release-tag', "'release-upload' needs a release: run on a release event or set 'release-tag'")
    settings.release = { tag, replace: parseBoolean('release-replace', get('release-replace'), false) }
  }
  // A draft must be found before paying: without a token, none can be.
  if (!settings.token && settings.fromDraft === 'required') {
    throw new InputError('from-draft', "'required' looks up the draft run's draft through GitHub: set 'github-token' (actions: read)")
  }
  if (!settings.token && (settings.onlyChanged || settings.release || settings.comment || settings.reuse || settings.fromDraft === 'true')) {
    warning("'github-token' is empty: only-changed, reuse, from-draft, release-upload and comment are skipped")
    return { onlyChanged: false, reuse: false, reuseFrom: settings.reuseFrom, comment: false, fromDraft: 'false' }
  }
  return settings
}

export const needsGitHub = (settings: GitHubSettings): boolean =>
  Boolean(settings.token && (settings.onlyChanged || settings.reuse || settings.release || settings.comment || settings.fromDraft !== 'false'))
