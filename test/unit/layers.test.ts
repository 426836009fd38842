/**
 * The shape of the house: data flows one way through the steps, so a step may import an earlier step
 * but never a later one (nor a sibling's internals by way of a cycle, which dpdm checks in `npm test`).
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
/** The steps in the order data flows through them. */
const STEPS = ['job', 'request', 'video', 'deliver', 'report']
/** Shared rooms every step may use: shapes, errors, logging, text, and the two API clients. */
const SHARED = ['domain', 'errors', 'log', 'text', 'memory', 'resume', 'schemas', 'waits', 'write-file', 'aistudios', 'github']

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8')
  return [...text.matchAll(/from '(\.[^']+)'/g)].map((match) =>
    path
      .relative(SRC, path.resolve(path.dirname(file), match[1]))
      .split(path.sep)[0]
      .replace(/\.js$/, '')
  )
}

describe('layers', () => {
  for (const step of STEPS) {
    it(`${step}/ imports only earlier steps and shared rooms`, () => {
      const dir = path.join(SRC, step)
      for (const name of fs.readdirSync(dir)) {
        for (const target of importsOf(path.join(dir, name))) {
          if (target === step || SHARED.includes(target)) continue
          assert.ok(STEPS.includes(target), `${step}/${name} imports ${target}, which is no room`)
          assert.ok(STEPS.indexOf(target) < STEPS.indexOf(step), `${step}/${name} imports ${target}, a later step`)
        }
      }
    })
  }

  it('keeps the shared rooms free of the steps', () => {
    for (const room of SHARED) {
      const where = path.join(SRC, room)
      const files = fs.existsSync(where) ? fs.readdirSync(where).map((name) => path.join(where, name)) : [`${where}.ts`]
      for (const file of files) {
        for (const target of importsOf(file)) assert.ok(!STEPS.includes(target), `${path.relative(SRC, file)} imports the step ${target}`)
      }
    }
  })
})
