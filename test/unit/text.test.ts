/** Text from outside (the API's URLs and messages) stays text in the summary's HTML and the comment's Markdown. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { commentBody } from '../../src/deliver/comment.ts'
import type { VideoResult } from '../../src/domain.ts'
import { escapeHtml } from '../../src/text.ts'

describe('escapeHtml', () => {
  it('escapes what would end an element, an attribute or a table cell', () => {
    assert.equal(escapeHtml('<b>"x" & y | z</b>'), '&#60;b&#62;&#34;x&#34; &#38; y &#124; z&#60;/b&#62;')
  })
})

describe('commentBody', () => {
  it('keeps a hostile thumbnail URL inside its attribute', () => {
    const result = {
      spec: { source: { kind: 'project', projectId: 'p' }, speech: [], tags: [], exportOptions: {}, files: [] },
      name: 'video',
      status: 'downloaded',
      source: 'project p',
      startedAt: 0,
      generation: 'v3',
      thumbnailUrl: 'https://cdn.example.com/t.jpg" onerror="alert(1)'
    } satisfies VideoResult
    const body = commentBody([result], 'https://github.com/o/r/actions/runs/1')
    assert.match(body, /<img src="https:\/\/cdn\.example\.com\/t\.jpg&#34; onerror=&#34;alert\(1\)" alt=""/)
  })

  it('says an export that may have been accepted may have been, however long its error', () => {
    const result = {
      spec: { source: { kind: 'project', projectId: 'p' }, speech: [], tags: [], exportOptions: {}, files: [] },
      name: 'video',
      status: 'failed',
      source: 'project p',
      startedAt: 0,
      generation: 'v3',
      exportUnconfirmed: true,
      error: `The export request was sent but no usable answer came back (${'x'.repeat(300)}). The export may have been accepted`
    } satisfies VideoResult
    const row = commentBody([result], 'https://github.com/o/r/actions/runs/1').split('\n')[4]
    assert.match(row, /\| may have been accepted: see the run \|/)
  })
})
