import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseDeletedCount } from '../../src/aistudios/delete-projects.ts'
import { parseLegacyProject } from '../../src/aistudios/legacy-project.ts'
import { BoundaryError } from '../../src/schemas.ts'

// Two answers of the API contract read at the boundary: the legacy get-project (section 4: `success`
// beside `response.projectName` and `response.scenes`) and v3 delete-projects (section 3: `deletedCount`, an Int).

const refusal = (work: () => unknown): BoundaryError => {
  try {
    work()
  } catch (error) {
    assert.ok(error instanceof BoundaryError, String(error))
    return error
  }
  assert.fail('nothing was refused')
}

describe('parseLegacyProject', () => {
  it('takes the project name and scenes under response, whatever else the answer carries', () => {
    const scenes = [{ AIModel: { model: 'm' }, clips: [] }]
    assert.deepEqual(parseLegacyProject({ success: true, response: { projectName: 'Intro', scenes, extra: 1 }, msg: '' }, 'k1'), {
      projectName: 'Intro',
      scenes
    })
    assert.deepEqual(parseLegacyProject({ response: { scenes } }, 'k1'), { projectName: undefined, scenes })
  })

  it('refuses an answer with no scene to export, naming the project', () => {
    const error = refusal(() => parseLegacyProject({ success: true, response: { projectName: 'Intro', scenes: [] } }, 'k1'))
    assert.equal(error.message, "The legacy API's answer for project k1: response.scenes: has no scenes to export")
    assert.match(refusal(() => parseLegacyProject({ success: true, data: {} }, 'k2')).message, /^The legacy API's answer for project k2: response: /)
    assert.match(
      refusal(() => parseLegacyProject({ response: { scenes: ['scene'] } }, 'k3')).message,
      /^The legacy API's answer for project k3: response\.scenes\.0: /
    )
  })
})

describe('parseDeletedCount', () => {
  it('takes how many projects were deleted', () => {
    assert.equal(parseDeletedCount({ deletedCount: 2 }), 2)
    assert.equal(parseDeletedCount({ deletedCount: 0, other: 'x' }), 0)
  })

  it('refuses a count that is no whole number of projects, naming the answer', () => {
    for (const answer of [{}, { deletedCount: -1 }, { deletedCount: 1.5 }, { deletedCount: '2' }, null])
      assert.match(refusal(() => parseDeletedCount(answer)).message, /^The API's answer to deleting projects: /, JSON.stringify(answer))
  })
})
