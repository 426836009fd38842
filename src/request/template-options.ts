import { RESOLUTIONS, type ExportOptions, type JsonObject, type Template } from '../domain.js'
import { InputError, locate } from '../errors.js'
import { parseChoice, parseWebhookUrl } from '../job/parse.js'

/** Where the top-level key `"key"` of a JSON object's text starts (one pass, strings skipped), or 0. */
export function topLevelKeyOffset(text: string, key: string): number {
  const quoted = JSON.stringify(key)
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      if (depth === 1 && text.startsWith(quoted, i) && /^\s*:/.test(text.slice(i + quoted.length, i + quoted.length + 20))) return i
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
    } else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
  }
  return 0
}

/**
 * Whether a template asks, with its own `isExport`, to be saved without rendering: never overridden and
 * billed. A v3 template is then made a draft (as with `draft: true`); the legacy API saves no project
 * without rendering it, so a legacy template saying so is refused at its line. A text "false" means the
 * same to a reader; any other value but true is refused.
 */
export function templateAsksDraft(root: JsonObject, template: Template, generation: 'v3' | 'legacy'): boolean {
  if (root.isExport === undefined || root.isExport === true) return false
  const noExport =
    root.isExport === false || root.isExport === 0 || (typeof root.isExport === 'string' && /^\s*(false|0|no)\s*$/i.test(root.isExport))
  if (noExport && generation === 'v3') return true
  const { line, column } = locate(template.text, topLevelKeyOffset(template.text, 'isExport'))
  const why = noExport
    ? 'asks AI Studios to save the project without rendering it, which the legacy API cannot do: this action would render (and pay for) it; remove "isExport" to export it'
    : 'must be true, false or left out'
  throw new InputError('template', `${template.name}:${line}:${column}: "isExport": ${JSON.stringify(root.isExport)} ${why}`, {
    file: template.file,
    line,
    column
  })
}

/** The template's own fields an export takes, each under the input that sets it too. */
const FIELDS = { name: 'name', orientation: 'orientation', resolution: 'resolution', workspaceId: 'workspace-id', webhookUrl: 'webhook-url' } as const

/**
 * The export options a v3 template sets itself (top-level `name`, `orientation`, `resolution`,
 * `workspaceId`, `webhookUrl`), checked as the inputs that set them are: a template is a repository
 * file, so its `webhookUrl` must be https without credentials, its `resolution` one the API renders.
 * Refused naming the template's line; the inputs, where set, win later.
 */
export function templateOptions(root: JsonObject, template: Template): ExportOptions & { orientation: 'landscape' | 'portrait' } {
  const refuse = (field: keyof typeof FIELDS, detail: string): never => {
    const { line, column } = locate(template.text, topLevelKeyOffset(template.text, field))
    throw new InputError('template', `${template.name}:${line}:${column}: "${field}" ${detail}`, { file: template.file, line, column })
  }
  const text = (field: keyof typeof FIELDS): string | undefined => {
    const value = root[field]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'number' && field === 'resolution') return String(value)
    if (typeof value !== 'string' || !value.trim())
      return refuse(field, `must be non-empty text (as the '${FIELDS[field]}' input), got ${JSON.stringify(value)}`)
    return value.trim()
  }
  // The input's own check, its message kept: only where the value stands differs.
  const checked = <T>(field: keyof typeof FIELDS, check: (value: string) => T): T | undefined => {
    const value = text(field)
    if (value === undefined) return undefined
    try {
      return check(value)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      return refuse(field, error.detail)
    }
  }
  const orientation = checked('orientation', (value) => parseChoice('orientation', value, ['landscape', 'portrait'] as const)) ?? 'landscape'
  return {
    name: text('name'),
    orientation,
    resolution: checked('resolution', (value) => parseChoice('resolution', value.replace(/p$/i, ''), RESOLUTIONS)),
    workspaceId: text('workspaceId'),
    webhookUrl: checked('webhookUrl', (value) => parseWebhookUrl('webhook-url', value).toString())
  }
}
