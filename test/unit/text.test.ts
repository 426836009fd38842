/** Text from outside (the API's URLs and messages) stays text in the summary's HTML and the comment's Markdown. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_COMMENT_ROWS, commentBody, mergeRows, type CommentRow } from '../../src/deliver/comment.ts'
import { readRunnerEnv } from '../../src/job/runner.ts'
import { escapeCell, escapeHtml, terminalText } from '../../src/text.ts'

const runner = readRunnerEnv({ GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://github.com' })
const row = (name: string, run: number, extra: Partial<CommentRow> = {}): CommentRow => ({ name, status: 'downloaded', run, ...extra })

describe('escapeHtml', () => {
  it('escapes what would end an element, an attribute or a table cell', () => {
    assert.equal(escapeHtml('<b>"x" & y | z</b>'), '&#60;b&#62;&#34;x&#34; &#38; y &#124; z&#60;/b&#62;')
    assert.equal(
      escapeHtml('msg\r\n\n## Pwned\n\n![x](https://evil.example/p.png)'),
      'msg&#13;&#10;&#10;## Pwned&#10;&#10;![x](https://evil.example/p.png)'
    )
  })
})

describe('escapeCell', () => {
  it('leaves no Markdown or HTML syntax: heading, link, image, code, pipe, tag, autolink', () => {
    const cell = escapeCell('boom\n## Big [link](https://evil.example) ![img](https://evil.example/x.png) `c` | <b> www.evil.example a@b.example')
    assert.doesNotMatch(cell.replace(/&#\d+;/g, ''), /[\n#[\]()`|<>!:@&]/)
    assert.doesNotMatch(cell, /www\./)
    assert.match(cell, /^boom &#35;&#35; Big &#91;link&#93;&#40;https&#58;\/\/evil\.example&#41;/)
  })

  it('keeps plain names readable and caps the length', () => {
    assert.equal(escapeCell('promo-ko_v2.mp4'), 'promo-ko&#95;v2.mp4')
    assert.equal(escapeCell('x'.repeat(500), 10), `${'x'.repeat(9)}&#8230;`)
  })
})

describe('commentBody', () => {
  it('keeps a hostile thumbnail URL inside its attribute', () => {
    const { body } = commentBody([row('video', 1, { thumbnail: 'https://cdn.example.com/t.jpg" onerror="alert(1)' })], runner)
    assert.match(body, /<img src="https:\/\/cdn\.example\.com\/t\.jpg%22%20onerror=%22alert%281%29" alt=""/)
  })

  it('keeps at most MAX_COMMENT_ROWS rows, failures and newer runs first, and counts the rest', () => {
    const rows = Array.from({ length: 150 }, (_, index) => row(`v${index}`, index < 50 ? 1 : 2, index === 3 ? { status: 'failed', error: 'x' } : {}))
    const { body, kept } = commentBody(rows, runner)
    assert.equal(kept.length, MAX_COMMENT_ROWS)
    assert.ok(
      kept.some((r) => r.name === 'v3'),
      'the failure is kept'
    )
    assert.ok(kept.every((r) => r.run === 2 || r.name === 'v3'))
    assert.match(body, /50 more video\(s\) are not listed here/)
  })
})

describe('mergeRows', () => {
  it('replaces a video row with a newer run’s in place, keeps the others, and never lets an older run win', () => {
    const merged = mergeRows([row('a', 5), row('b', 5)], [row('b', 6, { status: 'failed' }), row('c', 6)])
    assert.deepEqual(
      merged.map((r) => [r.name, r.run]),
      [
        ['a', 5],
        ['b', 6],
        ['c', 6]
      ]
    )
    assert.deepEqual(mergeRows(merged, [row('a', 4)]), merged)
  })

  it('keeps rows apart by pipeline and video: two manifests’ intros are two rows, each replaced by its own', () => {
    const merged = mergeRows([row('intro', 5, { pipeline: 'en.yml' })], [row('intro', 5, { pipeline: 'ko.yml', status: 'failed' })])
    assert.deepEqual(
      merged.map((r) => [r.pipeline, r.status]),
      [
        ['en.yml', 'downloaded'],
        ['ko.yml', 'failed']
      ]
    )
    const again = mergeRows(merged, [row('intro', 6, { pipeline: 'ko.yml' })])
    assert.deepEqual(
      again.map((r) => [r.pipeline, r.run, r.status]),
      [
        ['en.yml', 5, 'downloaded'],
        ['ko.yml', 6, 'downloaded']
      ]
    )
    assert.equal(mergeRows([row('intro', 5)], [row('intro', 6, { pipeline: 'en.yml' })]).length, 2, 'the step’s own video is not a manifest’s')
  })
})

describe('terminalText', () => {
  it('removes escape sequences: colours, screen clears, OSC links and titles', () => {
    assert.equal(terminalText('red \u001b[31mX\u001b[0m'), 'red X')
    assert.equal(terminalText('\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 here'), 'click here')
    assert.equal(terminalText('\u001b[2J\u001b[Hgone \u001b]0;title\u001b\\ok'), 'gone ok')
  })
  it('removes other control characters and bidi overrides, keeping newlines and tabs', () => {
    assert.equal(terminalText('a\rb\u0007c\u0000d\u009b31m \u202eevil\n\tnext'), 'abcd evil\n\tnext')
  })
})
