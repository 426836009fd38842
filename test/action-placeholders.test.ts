/** No `##NAME##` is sent unfilled, and speech files are read as the UTF-8 text they are, end to end. */
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { makeWorkspace, runAction } from './helpers/run-action.ts'
import { TEMPLATE, exportInputs as inputs, sent } from './helpers/template-export.ts'
import { SAMPLE_PROJECT_ID, withSimulator } from './simulator/server.ts'

describe('placeholders in values and speech', () => {
  it('fills a value from another variable, and speech and tag values from the variables', () =>
    withSimulator({}, async (sim) => {
      const workspace = makeWorkspace({ 't.json': TEMPLATE, 'speech/0.txt': 'Version ##VERSION## is out.\n', 'speech/1.txt': 'Bye.' })
      const run = await runAction({
        workspace,
        inputs: inputs(sim, {
          template: 't.json',
          variables: 'PRODUCT: "Widget ##EDITION##"\nEDITION: Pro\nVERSION: "2.0"\n',
          'scripts-dir': 'speech',
          tags: 'headline: "New in ##VERSION##"'
        })
      })
      assert.equal(run.code, 0, run.stdout)
      assert.deepEqual(sent(sim.exports[0]), {
        name: 'News for Widget Pro 2.0',
        speech: ['Version 2.0 is out.', 'Bye.'],
        headlines: ['New in 2.0', 'New in 2.0']
      })
    }))

  for (const { name, more, files, message } of [
    {
      name: 'a value whose placeholder has no variable',
      more: { variables: 'PRODUCT: "Release ##VERSION##"' },
      files: {},
      message: /Input 'variables': the value of PRODUCT still has ##VERSION## after its placeholders were filled: no variable has that name/
    },
    {
      name: 'a value that would need a second level',
      more: { variables: 'PRODUCT: "Widget ##TITLE##"\nTITLE: "Release ##VERSION##"\nVERSION: "2.0"' },
      files: {},
      message: /Input 'variables': the value of PRODUCT still has ##VERSION## .*one level deep/
    },
    {
      name: 'speech in a file with a placeholder that has no value',
      more: { variables: 'PRODUCT: W\nVERSION: "2"', 'script-file': 'intro.txt' },
      files: { 'intro.txt': 'Hello ##AUDIENCE##' },
      message: /Input 'script-file': the speech of scene 0 \(from script-file intro\.txt\) has placeholder\(s\) with no value: ##AUDIENCE##/
    }
  ]) {
    it(`refuses ${name}, sending nothing`, () =>
      withSimulator({}, async (sim) => {
        const run = await runAction({
          workspace: makeWorkspace({ 't.json': TEMPLATE, ...files }),
          inputs: inputs(sim, { template: 't.json', ...more })
        })
        assert.equal(run.code, 1)
        assert.match(run.stdout, new RegExp(`::error::${message.source}`))
        assert.equal(sim.exports.length, 0)
      }))
  }

  it("fills the video's name from the variables, and counts its placeholder as used", () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({
        workspace: makeWorkspace({ 't.json': TEMPLATE }),
        inputs: inputs(sim, { template: 't.json', name: 'Release ##VERSION##', variables: 'PRODUCT: W\nVERSION: "2.0"' })
      })
      assert.equal(run.code, 0, run.stdout)
      assert.equal(sent(sim.exports[0]).name, 'Release 2.0')
      assert.doesNotMatch(run.stdout, /Variable VERSION .* matches no/)
    }))

  for (const { what, template, more, message } of [
    {
      what: "a name's placeholder with no value",
      template: TEMPLATE,
      more: { name: 'Release ##RELEASE##' },
      message: /Input 'name': the video's name \(from name\) has placeholder\(s\) with no value: ##RELEASE##/
    },
    {
      what: 'a placeholder in a key, at its line',
      template: TEMPLATE.replace('"text":"old"', '"text":"old",\n"##KEY##":1'),
      more: {},
      message:
        /::error file=t\.json,line=2,col=2::Input 'template': t\.json:2:2: ##KEY## would be sent as it is \(at scenes\[0\]\.clips\[0\]\.##KEY##, a key\): placeholders are filled in values, never in keys/
    },
    {
      what: 'a placeholder ending with a space',
      template: TEMPLATE.replace('"old"', '"##X ##"'),
      more: {},
      message: /Input 'template': t\.json:1:\d+: ##X ## would be sent as it is \(at scenes\[0\]\.clips\[0\]\.text\): 'X ' is not a placeholder name/
    },
    {
      what: 'a placeholder name of 65 characters',
      template: TEMPLATE.replace('"old"', `"##${'N'.repeat(65)}##"`),
      more: {},
      message: /Input 'template': t\.json:1:\d+: ##N{65}## would be sent as it is .*is not a placeholder name/
    }
  ]) {
    it(`refuses ${what}, sending nothing`, () =>
      withSimulator({}, async (sim) => {
        const run = await runAction({
          workspace: makeWorkspace({ 't.json': template }),
          inputs: inputs(sim, { template: 't.json', variables: 'PRODUCT: W\nVERSION: "2.0"', ...more })
        })
        assert.equal(run.code, 1, run.stdout)
        assert.match(run.stdout, message)
        assert.equal(sim.exports.length, 0)
      }))
  }

  it("refuses a placeholder in a saved project's name, which has no variables", () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({ inputs: inputs(sim, { 'project-id': SAMPLE_PROJECT_ID, name: 'Release ##VERSION##' }) })
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::Input 'name': the video's name \(from name\) has placeholder\(s\) with no value: ##VERSION##/)
      assert.equal(sim.exports.length, 0)
    }))

  it('refuses a placeholder in the speech for a saved project, which has no variables', () =>
    withSimulator({}, async (sim) => {
      const run = await runAction({ inputs: inputs(sim, { 'project-id': SAMPLE_PROJECT_ID, script: 'Hello ##NAME##' }) })
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::Input 'script': the speech of scene 0 \(from script\) has placeholder\(s\) with no value: ##NAME##/)
      assert.equal(sim.exports.length, 0)
    }))
})

describe('speech files', () => {
  it('turn CRLF into LF and drop a byte order mark', () =>
    withSimulator({}, async (sim) => {
      const workspace = makeWorkspace({
        't.json': TEMPLATE.replace(/##\w+##/g, 'x'),
        'speech/0.txt': '\uFEFFFirst line\r\nsecond line\r\n',
        'speech/1.txt': 'One\rtwo'
      })
      const run = await runAction({ workspace, inputs: inputs(sim, { template: 't.json', 'scripts-dir': 'speech' }) })
      assert.equal(run.code, 0, run.stdout)
      assert.deepEqual(sent(sim.exports[0]).speech, ['First line\nsecond line', 'One\ntwo'])
    }))

  it('refuse bytes that are not UTF-8, naming the file', () =>
    withSimulator({}, async (sim) => {
      const workspace = makeWorkspace({ 't.json': TEMPLATE.replace(/##\w+##/g, 'x') })
      // "Café crème" in Latin-1: é and è are single bytes that are not UTF-8.
      writeFileSync(`${workspace}/latin1.txt`, Buffer.from('Caf\xe9 cr\xe8me', 'latin1'))
      const run = await runAction({ workspace, inputs: inputs(sim, { template: 't.json', 'script-file': 'latin1.txt' }) })
      assert.equal(run.code, 1)
      assert.match(run.stdout, /::error::Input 'script-file': file 'latin1\.txt' is not UTF-8 text; save it as UTF-8/)
      assert.equal(sim.exports.length, 0)
    }))
})
