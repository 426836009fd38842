import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Json, TagValue } from '../../src/domain.ts'
import { InputError } from '../../src/errors.ts'
import { applyTags, isMediaReference } from '../../src/request/tags.ts'

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

  it("sets an image's picture where the clip keeps it: source_url, resource_url, or both", () => {
    const clips = [
      { type: 'image', tag: 'p', resource_url: 'https://old/r.png' },
      { type: 'image', tag: 'p', source_url: 'https://old/s.png', resource_url: 'https://old/r.png' },
      { type: 'image', tag: 'p' }
    ]
    const input = [{ clips }] as unknown as Json[]
    applyTags(input, [tag('p', 'https://new/p.png')], 's')
    assert.deepEqual((input[0] as { clips: unknown[] }).clips, [
      { type: 'image', tag: 'p', resource_url: 'https://new/p.png' },
      { type: 'image', tag: 'p', source_url: 'https://new/p.png', resource_url: 'https://new/p.png' },
      { type: 'image', tag: 'p', source_url: 'https://new/p.png' }
    ])
  })

  it('refuses, naming the tag, a picture or video that is not an https URL or a path of the API; text stays free', () => {
    for (const [name, value] of [
      ['logo', 'not a url'],
      ['clip', 'file:///etc/passwd'],
      ['logo', 'http://example.com/a.png'],
      ['clip', 'https://user:pw@example.com/a.mp4'],
      ['logo', '//example.com/a.png'],
      ['logo', '/images/../../etc/passwd'],
      ['clip', '']
    ]) {
      assert.throws(
        () => applyTags(scenes(), [tag(name, value)], 'news.json'),
        (error: unknown) => error instanceof InputError && error.input === 'tags' && error.message.includes(`tag '${name}' sets a`),
        value
      )
    }
    const input = scenes()
    applyTags(input, [tag('title', 'not a url, and fine'), tag('logo', '/images/background/bg_blue_gradient.png')], 's')
  })

  it('knows a media reference: https with a host, or a path on the API site', () => {
    assert.ok(isMediaReference('https://example.com/a.png'))
    assert.ok(isMediaReference('/images/background/bg_blue_gradient.png'))
    assert.ok(!isMediaReference('https://exa mple.com/a.png'))
    assert.ok(!isMediaReference('/a\\b'))
    assert.ok(!isMediaReference('ftp://example.com/a.png'))
    // As written, not as a URL parser repairs it: one slash, none, three, backslashes, an invisible space.
    for (const repaired of [
      'https:/cdn.example.com/a.png',
      'https:cdn.example.com/a.png',
      'https:///cdn.example.com/a.png',
      'https:\\\\cdn.example.com\\a.png',
      'https://cdn.example.com/a.png\u200b'
    ])
      assert.ok(!isMediaReference(repaired), repaired)
    // A path that is the site's root, or climbs out percent-encoded.
    for (const path of ['/', '/%2e%2e/%2e%2e/etc/passwd', '/images/%2E%2E/x', '/a/./b', '/%zz']) assert.ok(!isMediaReference(path), path)
    assert.ok(isMediaReference('https://bücher.example/a.png'), 'an IDN host')
    assert.ok(isMediaReference('https://[2001:db8::1]/a.png'), 'an IPv6 literal')
    assert.ok(isMediaReference('https://cdn.example.com:8443/a.png?sig=1#t'))
  })
})
