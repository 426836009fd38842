/**
 * The README's input and output reference, generated from action.yml (`npm run reference`), so the
 * action's own metadata stays the one source of what each input does. Only the grouping lives here:
 * inputs are grouped by what a user is doing, each group saying when to reach for it and, where
 * several inputs say one thing, which to use when. test/readme.test.ts regenerates the README's
 * blocks and fails when they differ, or when an input belongs to no group.
 */
import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { FEATURES, type Grant } from '../test/helpers/permissions.ts'

export interface ActionMetadata {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

export interface Group {
  title: string
  /** One sentence: when a user needs this group. */
  when: string
  /** Which of the group's inputs to use when, where several say one thing. */
  choose?: string
  inputs: readonly string[]
}

/** The one map of inputs to groups. A new input is added to the group of what it is for. */
export const GROUPS: readonly Group[] = [
  {
    title: 'Credentials and the API',
    when: 'Every step that talks to AI Studios needs credentials; the hosts matter only in China, behind a proxy or against the simulator.',
    choose:
      "Use `app-id` with `user-key` (from secrets) for anything that runs unattended: the action buys a fresh token each run. Use `api-key` only for a v3 token an earlier step of the same job obtained, or for the legacy API, which takes only its secret key. `github-token` is for the GitHub features (`reuse`, `only-changed`, `release-upload`, `comment`, `draft`, `from-draft`); the workflow's own token, the default, needs only the permissions their rows name.",
    inputs: ['app-id', 'user-key', 'api-key', 'github-token', 'api-url', 'legacy-api-url']
  },
  {
    title: 'What to render',
    when: 'Every video starts from a project saved in the editor, a scene template kept in git, or a manifest of several videos.',
    choose:
      "`project-id` to reuse a project designed in the editor with new speech; `template` to keep the scenes in the repository and fill `##NAME##` placeholders; `manifest` (under [Batches and the matrix](#batches-and-the-matrix)) for several videos. The API generation is read from a template's shape; `api-generation: legacy` is needed for a project saved in the legacy editor.",
    inputs: ['project-id', 'template', 'api-generation', 'name', 'workspace-id']
  },
  {
    title: 'Speech',
    when: 'Give the avatars new words; leave all five empty to keep the saved speech.',
    choose:
      "One speaker in one scene: `script` for text written in the workflow, `script-file` for a file in git (a commit to it changes the video). Several scenes or a dialogue: `scripts` inline, `scripts-file` for one file holding every line, `scripts-dir` for one file a line (so `on.push.paths` can watch each). They combine line by line (`script` or `script-file` is line `0`, scene 0's first), but a line given speech by two of them stops the run, as do `script` and `script-file` together.",
    inputs: ['script', 'script-file', 'scripts', 'scripts-file', 'scripts-dir']
  },
  {
    title: 'Variables and tags',
    when: "Change what a template or a saved project shows besides speech: a template's placeholders, or clips tagged in the editor.",
    choose:
      '`variables` for values written in the workflow (expressions included), `variables-file` for values kept in git; both may be given, and `variables` wins on the same name. `tags` sets tagged clips of a saved project or v3 template, with no placeholder needed.',
    inputs: ['variables', 'variables-file', 'tags']
  },
  {
    title: 'The render',
    when: 'Tune the picture and the waiting: a cheaper preview, a long render, a slow network.',
    choose:
      '`timeout` bounds the whole wait for the video; `stall-timeout` ends sooner a render that has stopped moving; `request-timeout` bounds each single call.',
    inputs: ['resolution', 'timeout', 'stall-timeout', 'request-timeout', 'poll-interval', 'max-video-size', 'webhook-url']
  },
  {
    title: 'Delivery',
    when: 'Decide where the video goes once downloaded: the workspace, a workflow artifact (the default), a release, a pull request comment.',
    choose:
      'An artifact is enough to watch a video from the run; `release-upload` publishes it with a release; `comment` shows a pull request what changed.',
    inputs: [
      'output-dir',
      'output-name',
      'upload-artifact',
      'artifact-name',
      'archive',
      'retention-days',
      'release-upload',
      'release-tag',
      'release-replace',
      'comment'
    ]
  },
  {
    title: 'Batches and the matrix',
    when: 'Render several videos from one manifest, in one job or fanned out over a matrix of jobs.',
    choose:
      'One job renders a batch `max-parallel` at a time; when a batch outgrows a job, call the reusable workflow or write its three jobs (`plan`, a matrix job with `manifest-entry`, `collect`), as in [A large batch fanned out over jobs](#a-large-batch-fanned-out-over-jobs).',
    inputs: ['manifest', 'manifest-entry', 'max-parallel', 'fail-fast', 'artifact-per-video', 'plan', 'max-jobs', 'collect', 'pipeline']
  },
  {
    title: 'Cost and safety',
    when: 'Bound what a run may spend before it spends it: rehearse, skip what did not change, cap, tidy up.',
    choose:
      '`dry-run` to see the exact request and spend nothing; `only-changed` to render only what a push or pull request changed; `max-videos` as a hard cap; `cleanup` to keep the AI Studios dashboard tidy.',
    inputs: ['dry-run', 'only-changed', 'max-videos', 'cleanup']
  },
  {
    title: 'Reuse what was paid for, and review before paying',
    when: "Never pay twice for one video, nor for one nobody reviewed: take an earlier run's video, finish an export already started, or save drafts for review and export the reviewed ones.",
    choose:
      "`reuse` finds an earlier video of the same request by itself ([Reuse](#reuse-what-you-paid-for-reuse-true)); `resume` takes the export key a run printed. `wait: false` stops right after the export, for a later `resume` ([Don't pay runner minutes](#dont-pay-runner-minutes-for-long-renders)). `draft: true` on a pull request saves each video for review and pays nothing; `from-draft` on merge exports exactly the reviewed draft ([Review before paying](#review-before-paying-draft-and-from-draft)).",
    inputs: ['reuse', 'reuse-from', 'wait', 'resume', 'resume-mismatch', 'draft', 'from-draft']
  }
]

export const INPUTS_BEGIN =
  '<!-- reference:inputs:begin (generated from action.yml by `npm run reference`: edit action.yml or scripts/reference.ts) -->'
export const INPUTS_END = '<!-- reference:inputs:end -->'
export const OUTPUTS_BEGIN = '<!-- reference:outputs:begin (generated from action.yml by `npm run reference`) -->'
export const OUTPUTS_END = '<!-- reference:outputs:end -->'

/** The anchor GitHub gives a heading. */
export const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-')

/** Every input in exactly one group, every group's input in action.yml: anything else is a mistake to name. */
function checkGroups(action: ActionMetadata, groups: readonly Group[]): void {
  const grouped = groups.flatMap((group) => group.inputs)
  const twice = grouped.filter((name, i) => grouped.indexOf(name) !== i)
  if (twice.length > 0) throw new Error(`scripts/reference.ts names ${twice.map((name) => `'${name}'`).join(', ')} in two groups`)
  const unknown = grouped.filter((name) => !(name in action.inputs))
  if (unknown.length > 0)
    throw new Error(`scripts/reference.ts groups ${unknown.map((name) => `'${name}'`).join(', ')}, which action.yml does not declare`)
  const loose = Object.keys(action.inputs).filter((name) => !grouped.includes(name))
  if (loose.length > 0)
    throw new Error(
      `action.yml declares ${loose.map((name) => `'${name}'`).join(', ')} but no group of scripts/reference.ts names it: add it to the group of what a user does with it`
    )
}

/** "Default: X." in a description goes to the default column; the rest is the row's text. */
function splitDefault(description: string): { text: string; given?: string } {
  const match = /(?:^|\s)Default: ([^.]+(?:\.\w[^.]*)*)\.(?=\s|$)/.exec(description)
  if (!match) return { text: description.trim() }
  return { text: (description.slice(0, match.index) + description.slice(match.index + match[0].length)).trim(), given: match[1] }
}

/** Input names as code: those with a hyphen anywhere (never ordinary words), the others after "With" ("With manifest:"). */
function codeNames(text: string, names: readonly string[]): string {
  const hyphenated = names.filter((name) => name.includes('-')).sort((a, b) => b.length - a.length)
  const plain = names.filter((name) => !name.includes('-'))
  const withHyphen = hyphenated.length === 0 ? text : text.replace(new RegExp(`(?<![\\w\`-])(${hyphenated.join('|')})(?![\\w\`-])`, 'g'), '`$1`')
  return plain.length === 0 ? withHyphen : withHyphen.replace(new RegExp(`\\bWith (${plain.join('|')})\\b`, 'g'), 'With `$1`')
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')

/** The token permission an input's feature needs (test/helpers/permissions.ts FEATURES, the Permissions table's rows). */
function permissionOf(input: string): string {
  const rows = FEATURES.filter((row) => row.input === input)
  const pairs = (needs: Grant): string =>
    Object.entries(needs)
      .map(([scope, level]) => `\`${scope}: ${level}\``)
      .join(', ')
  const distinct = [...new Set(rows.map((row) => pairs(row.needs)))]
  if (distinct.length <= 1) return distinct[0] ?? ''
  return rows.map((row) => `${pairs(row.needs)} (${row.events?.join(', ') ?? 'any event'})`).join('; ')
}

export function renderInputs(action: ActionMetadata, groups: readonly Group[] = GROUPS): string {
  checkGroups(action, groups)
  const names = Object.keys(action.inputs)
  const contents = groups.map((group) => `[${group.title}](#${anchor(group.title)})`).join(' · ')
  const sections = groups.map((group) => {
    const rows = group.inputs.map((name) => {
      const input = action.inputs[name]
      const { text, given } = splitDefault(input.description)
      const fallback = given ? cell(codeNames(given, names)) : ''
      const value = input.default !== undefined && input.default !== '' ? `\`${input.default}\`` : fallback || 'none'
      return `| \`${name}\` | ${value} | ${permissionOf(name)} | ${cell(codeNames(text, names))} |`
    })
    return [
      `### ${group.title}`,
      '',
      group.when,
      ...(group.choose ? ['', `**Which to use:** ${group.choose}`] : []),
      '',
      '| input | default | [token permission](#permissions) | what it does |',
      '|---|---|---|---|',
      ...rows
    ].join('\n')
  })
  return [INPUTS_BEGIN, '', contents, '', sections.join('\n\n'), '', INPUTS_END].join('\n')
}

export function renderOutputs(action: ActionMetadata): string {
  const names = Object.keys(action.outputs)
  const rows = Object.entries(action.outputs).map(([name, output]) => `| \`${name}\` | ${cell(codeNames(output.description, names))} |`)
  return [OUTPUTS_BEGIN, '', '| output | what it holds |', '|---|---|', ...rows, '', OUTPUTS_END].join('\n')
}

/** The README with its generated blocks replaced; throws when a marker is missing. */
export function updateReadme(readme: string, action: ActionMetadata): string {
  const replace = (text: string, begin: string, end: string, block: string): string => {
    const from = text.indexOf(begin.split(' ').slice(0, 2).join(' '))
    const to = text.indexOf(end)
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${begin.split(' ').slice(0, 2).join(' ')} … ${end}`)
    return text.slice(0, from) + block + text.slice(to + end.length)
  }
  const withInputs = replace(readme, INPUTS_BEGIN, INPUTS_END, renderInputs(action))
  return replace(withInputs, OUTPUTS_BEGIN, OUTPUTS_END, renderOutputs(action))
}

const root = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url))
export const readAction = (): ActionMetadata => parse(fs.readFileSync(root('action.yml'), 'utf8')) as ActionMetadata

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const readme = fs.readFileSync(root('README.md'), 'utf8')
  fs.writeFileSync(root('README.md'), updateReadme(readme, readAction()))
}
