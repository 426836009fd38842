/** GitHub's workflow schema, as @actions/workflow-parser holds it: what `permissions:` takes, what a job's `if:` may use. */
import { DefinitionInfo } from '@actions/workflow-parser/templates/schema/definition-info'
import type { MappingDefinition } from '@actions/workflow-parser/templates/schema/mapping-definition'
import { getWorkflowSchema } from '@actions/workflow-parser/workflows/workflow-schema'

const schema = getWorkflowSchema()

/** The scopes `permissions:` takes, which `read-all` and `write-all` cover. */
export const PERMISSION_SCOPES: readonly string[] = Object.keys((schema.getDefinition('permissions-mapping') as MappingDefinition).properties)

/** A job's `if:`: its allowed contexts (`needs`, …) and status functions (`success(0,MAX)`, …). */
export const JOB_IF = new DefinitionInfo(schema, 'job-if')
