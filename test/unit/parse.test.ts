import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { InputError } from '../../src/errors.ts'
import { parseBoolean, parseChoice, parseNumber, parseUrl, readInputFile, repoPath, resolveInWorkspace } from '../../src/job/parse.ts'
import { tempDir } from '../helpers/run-action.ts'

/** Asserts `work` throws an InputError naming `input` whose message matches `pattern`. */
const refuses = (work: () => unknown, input: string, pattern: RegExp): void => {
  assert.throws(work, (error: unknown) => error instanceof InputError && error.input === input && pattern.test(error.message))
}

describe('parseBoolean', () => {
  it('reads the YAML words either way, any case, and falls back when empty', () => {
    for (const word of ['true', 'YES', ' on ', '1']) assert.equal(parseBoolean('x', word, false), true)
    for (const word of ['false', 'No', 'off', '0']) assert.equal(parseBoolean('x', word, true), false)
    assert.equal(parseBoolean('x', '  ', true), true)
    assert.equal(parseBoolean('x', '', false), false)
  })
  it('refuses anything else, naming the input and the value', () => {
    refuses(() => parseBoolean('wait', 'maybe', true), 'wait', /^Input 'wait': 'maybe' is not a boolean/)
  })
})

describe('parseNumber', () => {
  const seconds = { min: 1, max: 100, unit: 'seconds' }
  it('reads numbers, with a leading + or a bare fraction, and falls back when empty', () => {
    assert.equal(parseNumber('t', '42', 7, seconds), 42)
    assert.equal(parseNumber('t', '+2.5', 7, seconds), 2.5)
    assert.equal(parseNumber('t', '.5', 7, { min: 0, unit: 's' }), 0.5)
    assert.equal(parseNumber('t', '.25', 7, { min: 0, unit: 's' }), 0.25)
    assert.equal(parseNumber('t', '3.', 7, seconds), 3)
    assert.equal(parseNumber('t', ' ', 7, seconds), 7)
  })
  it('holds both bounds, inclusive', () => {
    assert.equal(parseNumber('t', '1', 7, seconds), 1)
    assert.equal(parseNumber('t', '100', 7, seconds), 100)
    refuses(() => parseNumber('t', '0.5', 7, seconds), 't', /0\.5 seconds is below the minimum of 1$/)
    refuses(() => parseNumber('t', '100.5', 7, seconds), 't', /100\.5 seconds is above the maximum of 100$/)
    assert.equal(parseNumber('t', '1000000000', 7, { min: 0, unit: 's' }), 1_000_000_000)
  })
  it('refuses signs, words, exponents, hex and fractions where a whole number is asked', () => {
    for (const raw of ['-1', '1e3', '0x10', 'ten', '1 2', 'Infinity'])
      refuses(() => parseNumber('t', raw, 7, seconds), 't', /is not a number of seconds/)
    refuses(() => parseNumber('n', 'x', 7, { min: 1, integer: true, unit: 'videos' }), 'n', /is not a whole number of videos/)
    refuses(() => parseNumber('n', '2.5', 7, { min: 1, integer: true, unit: 'videos' }), 'n', /'2\.5' must be a whole number of videos/)
  })
})

describe('parseChoice', () => {
  it('takes a listed value in any case and nothing else', () => {
    assert.equal(parseChoice('r', ' 1080 ', ['720', '1080'] as const), '1080')
    assert.equal(parseChoice('g', 'V3', ['v3', 'legacy'] as const), 'v3')
    assert.equal(parseChoice('r', '', ['720'] as const), undefined)
    refuses(() => parseChoice('r', '1440', ['720', '1080'] as const), 'r', /'1440' is not one of 720, 1080/)
  })
})

describe('parseUrl', () => {
  it('takes https anywhere and plain http only on a loopback host', () => {
    assert.equal(parseUrl('api-url', ' https://app.aistudios.com ').href, 'https://app.aistudios.com/')
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.10.200.3', '[::1]'])
      assert.equal(parseUrl('u', `http://${host}:8080/`).protocol, 'http:')
  })
  it('refuses plain http to any host that only looks like loopback', () => {
    for (const host of ['localhost.example.com', 'example.localhost.com', 'evillocalhost', '127.0.0.1.nip.io', '10.0.0.1', '[::2]'])
      refuses(() => parseUrl('api-url', `http://${host}/`), 'api-url', /must use https:\/\/ \(plain http is allowed only for localhost\)/)
  })
  it('refuses other schemes, junk, and a user or password in the URL', () => {
    refuses(() => parseUrl('u', 'ftp://example.com'), 'u', /must use https/)
    refuses(() => parseUrl('u', 'ftp://localhost/'), 'u', /must use https/)
    refuses(() => parseUrl('u', 'not a url'), 'u', /'not a url' is not a valid URL/)
    refuses(() => parseUrl('u', 'https://user@example.com'), 'u', /must not carry a user name or password/)
    refuses(() => parseUrl('u', 'https://:secret@example.com'), 'u', /must not carry a user name or password/)
  })
})

describe('workspace paths', () => {
  const workspace = fs.realpathSync(tempDir('aistudios-parse-'))
  const outsideDir = tempDir('aistudios-outside-')
  fs.mkdirSync(path.join(workspace, 'speech'))
  fs.writeFileSync(path.join(workspace, 'speech', 'intro.txt'), '\uFEFFHello\n')
  fs.writeFileSync(path.join(outsideDir, 'secret.txt'), 'secret')
  fs.symlinkSync(path.join(outsideDir, 'secret.txt'), path.join(workspace, 'link.txt'))
  fs.symlinkSync(outsideDir, path.join(workspace, 'linked-dir'))
  fs.writeFileSync(path.join(workspace, 'big.json'), Buffer.alloc((4 << 20) + 1, 0x20))
  fs.writeFileSync(path.join(workspace, 'inner-bom.txt'), 'a\uFEFFb')
  fs.symlinkSync('loop.txt', path.join(workspace, 'loop.txt'))
  fs.writeFileSync(path.join(workspace, 'exactly-4mib.json'), Buffer.alloc(4 << 20, 0x20))

  it('resolves a relative path inside the workspace, also one still to be made', () => {
    assert.equal(resolveInWorkspace('f', ' speech/intro.txt ', workspace), path.join(workspace, 'speech', 'intro.txt'))
    assert.equal(resolveInWorkspace('o', 'new/dir', workspace), path.join(workspace, 'new', 'dir'))
    assert.equal(repoPath(workspace, path.join(workspace, 'speech', 'intro.txt')), 'speech/intro.txt')
  })
  it('refuses absolute paths, .. and symbolic links (file or folder) that lead outside', () => {
    for (const raw of ['/etc/passwd', '../x', 'speech/../../x', 'link.txt', 'linked-dir/secret.txt', 'linked-dir/new-file'])
      refuses(() => resolveInWorkspace('template', raw, workspace), 'template', /is outside the workspace/)
    refuses(() => resolveInWorkspace('template', ' ../x ', workspace), 'template', /^Input 'template': '..\/x' is outside the workspace \(/)
  })
  it('reads a file without its byte order mark', () => {
    assert.equal(readInputFile('script-file', 'speech/intro.txt', workspace).text, 'Hello\n')
    assert.equal(readInputFile('script-file', 'inner-bom.txt', workspace).text, 'a\uFEFFb')
  })
  it('says why a file cannot be read, naming the input', () => {
    refuses(() => readInputFile('script-file', 'missing.txt', workspace), 'script-file', /file 'missing.txt' does not exist/)
    refuses(() => readInputFile('script-file', ' speech ', workspace), 'script-file', /file 'speech' is a directory, not a file/)
    refuses(() => readInputFile('script-file', 'loop.txt', workspace), 'script-file', /file 'loop.txt' cannot be read \(ELOOP\)/)
  })
  it('reads up to 4 MiB and refuses a larger file', () => {
    assert.equal(readInputFile('manifest', 'exactly-4mib.json', workspace).text.length, 4 << 20)
    refuses(() => readInputFile('manifest', ' big.json', workspace), 'manifest', /file 'big.json' is larger than 4 MiB/)
  })
})
