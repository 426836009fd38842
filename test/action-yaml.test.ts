/** YAML means what it says: aliases, anchors and merge keys in every YAML input, end to end. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { TEMPLATE, exportInputs as inputs, sent } from './helpers/template-export.ts'
import { MAX_YAML_DEPTH } from '../src/job/yaml.ts'
import { withSimulator } from './simulator/server.ts'

describe('YAML aliases, anchors and merge keys', () => {
  it('resolve to their values in a manifest, its variables, scripts and tags, and in files it names', () =>
    withSimulator({}, async (sim) => {
      const manifest = `common: &common
  PRODUCT: Widget
speech: &speech "Hello from an alias"
headline: &headline Big news
videos:
  - name: one
    template: t.json
    script: *speech
    variables:
      <<: *common
      VERSION: "2.0"
    tags:
      headline: *headline
    scripts:
      1: *speech
  - name: two
    template: t.json
    variables-file: vars.yml
    scripts-file: scripts.yml
`
      const workspace = makeWorkspace({
        'videos.yml': manifest,
        't.json': TEMPLATE,
        'vars.yml': '<<: &defaults {PRODUCT: Gadget, VERSION: "1"}\nVERSION: "3"\n',
        'scripts.yml': '- &line From a file\n- *line\n'
      })
      const run = await runAction({ workspace, inputs: inputs(sim, { manifest: 'videos.yml' }) })
      assert.equal(run.code, 0, run.stdout)
      const byName = new Map(sim.exports.map((exported) => [sent(exported).name, sent(exported)]))
      assert.deepEqual(byName.get('News for Widget 2.0'), {
        name: 'News for Widget 2.0',
        speech: ['Hello from an alias', 'Hello from an alias'],
        headlines: ['Big news', 'Big news']
      })
      assert.deepEqual(byName.get('News for Gadget 3'), {
        name: 'News for Gadget 3',
        speech: ['From a file', 'From a file'],
        headlines: ['old', 'old']
      })
    }))

  it('resolve in the step inputs variables and tags', () =>
    withSimulator({}, async (sim) => {
      const workspace = makeWorkspace({ 't.json': TEMPLATE })
      const run = await runAction({
        workspace,
        inputs: inputs(sim, {
          template: 't.json',
          variables: 'PRODUCT: &p Thing\nVERSION: *p\n',
          tags: '<<: {headline: Merged}\n'
        })
      })
      assert.equal(run.code, 0, run.stdout)
      assert.deepEqual(sent(sim.exports[0]), { name: 'News for Thing Thing', speech: ['old', 'old'], headlines: ['Merged', 'Merged'] })
    }))

  for (const { name, entry, line, message } of [
    {
      name: 'an alias of a mapping as speech',
      entry: '    script: *mapping\n',
      line: 6,
      message: /video 'one': script: Invalid input/
    },
    { name: 'an alias with no anchor', entry: '    script: *nowhere\n', line: 6, message: /the alias \*nowhere has no anchor &nowhere before it/ },
    { name: 'a merge key of text', entry: '    variables:\n      <<: *text\n', line: 7, message: /a merge key \(<<\) takes a mapping/ }
  ]) {
    it(`refuse ${name} with the file and line, sending nothing`, () =>
      withSimulator({}, async (sim) => {
        const manifest = `mapping: &mapping {source: speech}\ntext: &text words\nvideos:\n  - name: one\n    template: t.json\n${entry}`
        const workspace = makeWorkspace({ 'videos.yml': manifest, 't.json': TEMPLATE.replace(/##\w+##/g, 'x') })
        const run = await runAction({ workspace, inputs: inputs(sim, { manifest: 'videos.yml' }) })
        assert.equal(run.code, 1)
        assert.match(
          run.stdout,
          new RegExp(`::error file=videos\\.yml,line=${line},col=\\d+::Input 'manifest': videos\\.yml:${line}:\\d+: ${message.source}`)
        )
        assert.equal(sim.exports.length, 0)
      }))
  }
})

describe(`YAML nested deeper than ${MAX_YAML_DEPTH} levels`, () => {
  for (const [shape, manifest, depth] of [
    ['a flow sequence 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 100_000],
    ['a block mapping 2,000 deep', `${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} x\n`, 2_000]
  ] as const) {
    it(`is refused by its depth and file (${shape}), not with a stack overflow, exporting nothing`, () =>
      withSimulator({}, async (sim) => {
        const workspace = makeWorkspace({ 'deep.yml': manifest })
        const run = await runAction({ workspace, inputs: inputs(sim, { manifest: 'deep.yml' }) })
        assert.equal(run.code, 1, run.stdout.slice(0, 2000))
        assert.match(
          run.stdout,
          new RegExp(
            `::error file=deep\\.yml,line=\\d+,col=\\d+::Input 'manifest': deep\\.yml:\\d+:\\d+: nested ${depth} levels deep, more than the 64`
          )
        )
        assert.doesNotMatch(run.stdout, /Maximum call stack/)
        assert.equal(sim.exports.length, 0, 'nothing exported')
        assert.deepEqual(
          sim.requests.filter((request) => request.method !== 'GET'),
          [],
          'no request but reads'
        )
      }))
  }
})
