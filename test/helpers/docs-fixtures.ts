/** DeepBrain's example bodies (test/fixtures/docs/, each with the docs paths it comes from), for the tests that take them. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const FOLDER = fileURLToPath(new URL('../fixtures/docs/', import.meta.url))

export interface DocsFixture {
  file: string
  sources: string[]
  generation: 'v3' | 'legacy'
  endpoint: string
  substitutes?: Record<string, string>
  body: unknown
}

/** A fixture's body with each placeholder string the docs left in it given the fixture's value. */
export function filledBody(fixture: DocsFixture): unknown {
  let text = JSON.stringify(fixture.body)
  for (const [placeholder, value] of Object.entries(fixture.substitutes ?? {})) text = text.split(placeholder).join(value.replace(/["\\]/g, '\\$&'))
  return JSON.parse(text)
}

export const DOCS_FIXTURES: DocsFixture[] = fs
  .readdirSync(FOLDER)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ file: name, ...(JSON.parse(fs.readFileSync(path.join(FOLDER, name), 'utf8')) as Omit<DocsFixture, 'file'>) }))

/** The call that creates and exports a project from its body: what a template is, for either generation. */
export const isProjectBody = (fixture: DocsFixture): boolean => /^POST \/api\/odin(\/v3)?\/editor\/project$/.test(fixture.endpoint)
