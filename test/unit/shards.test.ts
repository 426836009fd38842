import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { shardVideos } from '../../src/job/plan.ts'

const names = (count: number): string[] => Array.from({ length: count }, (_, index) => `v${index}`)

describe('shardVideos', () => {
  it('gives one video a job when they fit', () => {
    assert.deepEqual(shardVideos(['a', 'b'], 256), [
      { shard: '1/2', video: 'a' },
      { shard: '2/2', video: 'b' }
    ])
  })

  it('groups 2,000 videos into at most max-jobs shards of neighbours, each video once, sizes within one', () => {
    const shards = shardVideos(names(2000), 256)
    assert.equal(shards.length, 256)
    const listed = shards.flatMap((shard) => shard.video.split(','))
    assert.deepEqual(listed, names(2000))
    const sizes = new Set(shards.map((shard) => shard.video.split(',').length))
    assert.deepEqual([...sizes].sort(), [7, 8])
  })

  it('is stable: the same list gives the same shards', () => {
    assert.deepEqual(shardVideos(names(600), 7), shardVideos(names(600), 7))
  })

  it('puts everything in one job when max-jobs is 1', () => {
    assert.deepEqual(shardVideos(names(3), 1), [{ shard: '1/1', video: 'v0,v1,v2' }])
  })
})
