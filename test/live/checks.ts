/**
 * Checks of the real AI Studios service for maintainers (`npm run test:live`), and of the simulator as
 * their target in the normal test suite: the same code path, so the suite proves the checks work. The
 * free checks spend nothing (token exchange, `GET /auth`, `GET` a project, a dry run); each answer goes
 * through the action's own client, so its shape is checked by the parsing the action uses. A draft
 * (`isExport: false`) is free too: it is created, read back and deleted. `SPEND=1`
 * adds one 480p export of a three-word speech, deleted again with `cleanup`.
 */
import assert from 'node:assert/strict'
import * as fs from 'node:fs'
import { it } from 'node:test'
import { AiStudiosClient } from '../../src/aistudios/client.ts'
import type { ApiConfig, ExportRequest, Log } from '../../src/domain.ts'
import { exportFromProject } from '../../src/request/project.ts'
import { makeWorkspace, runAction } from '../helpers/run-action.ts'

export interface LiveTarget {
  apiUrl: string
  appId: string
  userKey: string
  /** A saved v3 project to fetch (and, with spend, export); a tiny built-in template otherwise. */
  projectId?: string
}

/** The target the environment names; undefined (the checks are skipped) without AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY. */
export function liveTarget(env: NodeJS.ProcessEnv): LiveTarget | undefined {
  const appId = env.AISTUDIOS_APP_ID?.trim()
  const userKey = env.AISTUDIOS_USER_KEY?.trim()
  if (!appId || !userKey) return undefined
  return {
    apiUrl: env.AISTUDIOS_API_URL?.trim() || 'https://app.aistudios.com',
    appId,
    userKey,
    projectId: env.AISTUDIOS_PROJECT_ID?.trim() || undefined
  }
}

/** A one-scene template in the documented shape, with an avatar named in DeepBrain's own samples. */
export const LIVE_TEMPLATE = {
  name: 'aistudios-video-action live check',
  scenes: [
    {
      sceneIdx: 0,
      background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
      clips: [
        {
          id: 'anchor',
          type: 'aiModel',
          layer: 1,
          top: 0,
          left: 0,
          width: 1920,
          height: 1080,
          model: { ai_name: 'M000004017', emotion: 'BG00006160', language: 'en' }
        }
      ],
      scripts: [{ org: 'Hello from CI.', isTTS: false, tts: null, modelId: 'M000004017', clothId: 'BG00006160' }]
    }
  ]
}

const quiet: Log = { info() {}, warning() {}, notice() {}, progress() {}, group: (_title, work) => work() }

const clientFor = (target: LiveTarget, userKey = target.userKey): AiStudiosClient => {
  const url = new URL(target.apiUrl)
  const config: ApiConfig = { v3Url: url, legacyUrl: url, credentials: { appId: target.appId, userKey }, requestTimeoutMs: 30_000 }
  return new AiStudiosClient(config)
}

const actionInputs = (target: LiveTarget): Record<string, string> => ({
  'app-id': target.appId,
  'user-key': target.userKey,
  'api-url': target.apiUrl,
  'upload-artifact': 'false'
})

/** The free checks: nothing they send can spend a credit. */
export function registerFreeChecks(target: () => LiveTarget): void {
  it('exchanges the app ID and user key for a token, which GET /auth accepts', async () => {
    const client = clientFor(target())
    try {
      assert.equal(await client.credentialsAccepted({ log: quiet }), true)
    } finally {
      await client.close()
    }
  })

  it('is refused a wrong user key', async () => {
    const client = clientFor(target(), 'not-the-user-key')
    try {
      assert.equal(await client.credentialsAccepted({ log: quiet }), false)
    } finally {
      await client.close()
    }
  })

  it('fetches the saved project, and builds its export request (scripts[] matching its avatars)', async (t) => {
    const { projectId } = target()
    if (!projectId) return t.skip('AISTUDIOS_PROJECT_ID is not set')
    const client = clientFor(target())
    try {
      const project = await client.getProject(projectId, { log: quiet })
      const request = exportFromProject(projectId, project, [], { resolution: '480' })
      assert.ok(Array.isArray(request.body.scenes) && request.body.scenes.length > 0)
    } finally {
      await client.close()
    }
  })

  it('creates a draft (isExport: false: saved, not rendered), reads it back, and deletes it', async () => {
    const client = clientFor(target())
    try {
      const request: ExportRequest = { generation: 'v3', kind: 'draft', body: { ...structuredClone(LIVE_TEMPLATE), isExport: false } }
      const draft = await client.createDraft(request, { log: quiet })
      try {
        const project = await client.getProject(draft, { log: quiet })
        assert.ok(Array.isArray(project.scenes) && project.scenes.length === 1, 'the draft holds the scene sent')
      } finally {
        assert.equal(await client.deleteProjects([draft], { log: quiet }), 1)
      }
    } finally {
      await client.close()
    }
  })

  it('dry-runs a template: the credentials checked, the request saved, nothing exported', async () => {
    const run = await runAction({
      workspace: makeWorkspace({ 'live.json': JSON.stringify(LIVE_TEMPLATE) }),
      inputs: { ...actionInputs(target()), template: 'live.json', 'dry-run': 'true' }
    })
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /the API accepts the credentials/)
    const saved = JSON.parse(fs.readFileSync(run.outputs['request-path'], 'utf8')) as { scenes: unknown[] }
    assert.equal(saved.scenes.length, 1)
  })
}

/** One 480p export of a three-word speech (spends credits on the real service), downloaded, then deleted. */
export function registerSpendCheck(target: () => LiveTarget): void {
  it('exports one 480p video of a three-word speech, downloads it and deletes its project', async () => {
    const { projectId } = target()
    const source: Record<string, string> = projectId ? { 'project-id': projectId } : { template: 'live.json' }
    const run = await runAction({
      workspace: makeWorkspace({ 'live.json': JSON.stringify(LIVE_TEMPLATE) }),
      inputs: { ...actionInputs(target()), ...source, script: 'Hello from CI.', resolution: '480', cleanup: 'true', timeout: '20' },
      timeoutMs: 25 * 60_000
    })
    assert.equal(run.code, 0, run.stdout)
    assert.ok(fs.statSync(run.outputs['video-path']).size > 0)
    assert.match(run.stdout, /cleanup: deleted 1 of 1 exported project/)
  })
}
