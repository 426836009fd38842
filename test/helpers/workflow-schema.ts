/** GitHub's workflow schema, as @actions/workflow-parser ships it: the scopes `permissions:` takes, the contexts an `if:` may use. */
import * as fs from 'node:fs'

type Definition = { context?: string[]; mapping?: { properties?: Record<string, unknown> } }
const definitions = (
  JSON.parse(fs.readFileSync(new URL('workflow-v1.0.min.json', import.meta.resolve('@actions/workflow-parser')), 'utf8')) as {
    definitions: Record<string, Definition>
  }
).definitions

export function schemaDefinition(name: string): Definition {
  const found = definitions[name]
  if (!found) throw new Error(`the workflow schema has no definition '${name}'`)
  return found
}
