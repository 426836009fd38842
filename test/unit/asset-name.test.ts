import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { storedAssetName } from '../../src/deliver/asset-name.ts'

describe('storedAssetName', () => {
  it('keeps a plain name', () => assert.equal(storedAssetName('promo-en_v1.2.mp4'), 'promo-en_v1.2.mp4'))
  it('turns each run of other characters into one dot, as GitHub does', () => {
    assert.equal(storedAssetName('My video (final).mp4'), 'My.video.final.mp4')
    assert.equal(storedAssetName('pkg-1~buster.deb'), 'pkg-1.buster.deb')
    assert.equal(storedAssetName('a:b+c.mp4'), 'a.b.c.mp4')
  })
  it('drops accents and dots at either end', () => {
    assert.equal(storedAssetName('café.mp4'), 'cafe.mp4')
    assert.equal(storedAssetName('.hidden.mp4.'), 'hidden.mp4')
  })
})
