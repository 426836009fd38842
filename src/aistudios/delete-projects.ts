import { z } from 'zod'
import { parseAt } from '../schemas.js'

/** The answer of `DELETE /api/odin/v3/editor/project` (delete-projects.md): how many of the ids were removed. */
const deleteProjectsAnswer = z.object({ deletedCount: z.number().int().min(0) })

export function parseDeletedCount(answer: unknown): number {
  return parseAt(deleteProjectsAnswer, answer, "The API's answer to deleting projects").deletedCount
}
