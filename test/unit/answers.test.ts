import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseEnvelope } from '../../src/aistudios/envelope.ts'
import { authAnswer, exportAnswer, exportRecordAnswer, progressAnswer, projectAnswer, tokenAnswer } from '../../src/aistudios/answers.ts'

describe('progressAnswer', () => {
  it('takes a number or a numeric string, and the first download URL of the names the API uses', () => {
    assert.deepEqual(progressAnswer.parse({ progress: 42.5, state: 'rendering' }), { progress: 42.5, downloadUrl: undefined, state: 'rendering' })
    assert.deepEqual(progressAnswer.parse({ progress: '100', videoUrl: 'https://cdn/v.mp4' }), {
      progress: 100,
      downloadUrl: 'https://cdn/v.mp4',
      state: undefined
    })
  })
  it('refuses an answer without a progress figure; ignores a URL that is no string', () => {
    for (const progress of [undefined, null, true, 'soon', '', {}, '0x64', '1e3', ' ', '45%', '-5', '99.999999999999999'])
      assert.equal(progressAnswer.safeParse({ progress }).success, false, JSON.stringify(progress))
    assert.equal(progressAnswer.parse({ progress: 100, downloadUrl: { href: 'x' } }).downloadUrl, undefined)
  })
})

describe('exportAnswer', () => {
  it("takes v3's projectId and legacy's key (a number too) with the credits", () => {
    assert.deepEqual(exportAnswer('v3').parse({ projectId: 'abc123' }), { key: 'abc123', credits: undefined })
    assert.deepEqual(exportAnswer('legacy').parse({ key: 12345, cube_used: '3' }), { key: '12345', credits: 3 })
  })
  it('refuses a key that is not an export key', () => {
    for (const projectId of ['p0001`x`</code><b>', '../x', '', null]) assert.equal(exportAnswer('v3').safeParse({ projectId }).success, false)
  })
})

describe('the other answers', () => {
  it('takes a token only as a non-empty string', () => {
    assert.equal(tokenAnswer.parse({ token: 'abc' }).token, 'abc')
    for (const token of [undefined, '', 42, ['abc'], { value: 'abc' }])
      assert.equal(tokenAnswer.safeParse({ token }).success, false, JSON.stringify(token))
  })
  it('takes credentials as accepted only for isAuthenticated: true', () => {
    assert.equal(authAnswer.parse({ isAuthenticated: true }).isAuthenticated, true)
    for (const isAuthenticated of [undefined, false, 'true', 1, null]) assert.equal(authAnswer.parse({ isAuthenticated }).isAuthenticated, undefined)
  })
  it('takes a project only as a JSON object', () => {
    assert.deepEqual(projectAnswer.parse({ project: { name: 'p', scenes: [] } }).project, { name: 'p', scenes: [] })
    for (const project of [undefined, null, 'p', [{ name: 'p' }]])
      assert.equal(projectAnswer.safeParse({ project }).success, false, JSON.stringify(project))
  })
  it("reads an export's record, a field of the wrong type counting as absent", () => {
    assert.deepEqual(
      exportRecordAnswer.parse({ state: 'exported', progress: 100, download_url: 'https://cdn/v.mp4', thumbnailUrl: 'https://cdn/t.jpg' }),
      {
        state: 'exported',
        progress: 100,
        downloadUrl: 'https://cdn/v.mp4',
        thumbnailUrl: 'https://cdn/t.jpg'
      }
    )
    assert.deepEqual(exportRecordAnswer.parse({ state: 7, progress: '100', download_url: '', thumbnailUrl: ['x'] }), {
      state: undefined,
      progress: undefined,
      downloadUrl: undefined,
      thumbnailUrl: undefined
    })
  })
})

describe('a key sent as a number', () => {
  it('keeps the digits of an integer too large for a double', () => {
    const data = parseEnvelope('Starting the export', 200, {}, '{"success":true,"data":{"projectId":12345678901234567891}}')
    assert.equal(exportAnswer('v3').parse(data).key, '12345678901234567891')
    const small = parseEnvelope('Starting the export', 200, {}, '{"success":true,"data":{"projectId":42}}')
    assert.equal(exportAnswer('v3').parse(small).key, '42')
  })
  it('takes no key from a number that names none exactly', () => {
    for (const written of ['9007199254740993e0', '1E21', '2.5']) {
      const data = parseEnvelope('Starting the export', 200, {}, `{"success":true,"data":{"projectId":${written}}}`)
      assert.equal(exportAnswer('v3').safeParse(data).success, false, written)
    }
  })
})
