import { z } from 'zod'
import type { JsonObject } from '../domain.js'
import { parseAt } from '../schemas.js'

/**
 * A saved legacy project as `GET https://v2.aistudios.com/api/odin/editor/project/{key}` answers it:
 * `success` beside `response: { projectName, scenes }` (get-project.mdx; the legacy tutorial
 * export-from-exist-project.md reads `res.response.scenes`). Only what the export needs is required.
 */
const legacyProjectAnswer = z.object({
  response: z.looseObject({
    projectName: z.string().optional(),
    scenes: z.array(z.record(z.string(), z.json())).min(1, 'has no scenes to export')
  })
})

export interface LegacyProject {
  projectName?: string
  scenes: JsonObject[]
}

/** The project of a legacy get-project answer (its envelope, flat beside `success`), or a BoundaryError naming the project. */
export function parseLegacyProject(answer: unknown, key: string): LegacyProject {
  const { response } = parseAt(legacyProjectAnswer, answer, `The legacy API's answer for project ${key}`)
  return { projectName: response.projectName, scenes: response.scenes }
}
