import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, TagValue } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { applyTags } from '../../src/request/tags.ts'

const tag = (name: string, value: string): TagValue => ({ tag: name, value, from: 'tags' })

const scenes = (): Json[] => [
  {
    clips: [
      { type: 'textImage', tag: 'title', text: 'old title' },
      { type: 'image', tag: 'logo', source_url: 'https://old/logo.png' },
      { type: 'videoImage', tag: 'clip', video_url: 'https://old/clip.mp4' },
      { type: 'aiModel', tag: 'presenter', model: { ai_name: 'M000004017' } },
      { type: 'textImage', text: 'untagged' }
    ]
  },
  'not a scene',
  null,
  { clips: 'not a list' },
  { clips: [null, { type: 'textImage', tag: 'title', text: 'second title' }] }
]

describe('applyTags', () => {
  it('sets each clip type in its own field, in every scene the tag appears, and nothing else', () => {
    const input = scenes()
    applyTags(input, [tag('title', 'New'), tag('logo', 'https://new/logo.png'), tag('clip', 'https://new/clip.mp4')], 't.json')
    const expected = scenes() as Array<{ clips: Array<Record<string, unknown>> }>
    expected[0].clips[0].text = 'New'
    expected[0].clips[1].source_url = 'https://new/logo.png'
    expected[0].clips[2].video_url = 'https://new/clip.mp4'
    expected[4].clips[1].text = 'New'
    assert.deepEqual(input, expected)
  })

  it('refuses a tag that matches no clip, naming the tag and the source', () => {
    assert.throws(
      () => applyTags(scenes(), [tag('subtitle', 'x')], 'news.json'),
      (error: unknown) =>
        error instanceof InputError &&
        error.input === 'tags' &&
        error.message.includes("tag 'subtitle' matches no clip of news.json") &&
        error.message.includes('AI Studios editor')
    )
  })

  it('refuses a tag that marks only clips whose content a tag cannot set, naming their types', () => {
    assert.throws(
      () => applyTags(scenes(), [tag('presenter', 'x')], 'news.json'),
      (error: unknown) =>
        error instanceof InputError &&
        error.message.includes("tag 'presenter' marks only aiModel clip(s) in news.json") &&
        error.message.includes('cannot be set')
    )
  })

  it('names an untyped clip as untyped, and still sets a settable clip carrying the same tag', () => {
    assert.throws(
      () => applyTags([{ clips: [{ tag: 'x' }, { tag: 'x', type: 'aiModel' }] }], [tag('x', 'v')], 's'),
      /marks only untyped, aiModel clip\(s\)/
    )
    const mixed: Json[] = [
      {
        clips: [
          { tag: 'x', type: 'aiModel' },
          { tag: 'x', type: 'textImage', text: '' }
        ]
      }
    ]
    applyTags(mixed, [tag('x', 'v')], 's')
    assert.deepEqual(mixed, [
      {
        clips: [
          { tag: 'x', type: 'aiModel' },
          { tag: 'x', type: 'textImage', text: 'v' }
        ]
      }
    ])
  })

  it('refuses an unmatched tag even after earlier tags matched', () => {
    assert.throws(() => applyTags(scenes(), [tag('title', 'ok'), tag('missing', 'x')], 's'), /'missing'/)
  })
})
