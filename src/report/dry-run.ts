import * as core from '@actions/core'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { AiStudiosClient } from '../api/client.js'
import type { ExportRequest } from '../api/types.js'
import { writeDryRunSummary } from './summary.js'

/**
 * Prints and saves the exact request an export would send, and sets the `request-path` output. A
 * manifest's videos (labelled) each get a file of their own.
 */
export async function reportDryRun(client: AiStudiosClient, request: ExportRequest, outputDir: string, label?: string): Promise<void> {
  const { method, url } = client.exportTarget(request)
  const body = JSON.stringify(request.body, null, 2)
  fs.mkdirSync(outputDir, { recursive: true })
  const requestPath = path.join(outputDir, label ? `aistudios-request-${label}.json` : 'aistudios-request.json')
  fs.writeFileSync(requestPath, `${body}\n`)
  core.info(`Dry run: nothing that spends credits was sent. The export would be:`)
  core.info(`${method} ${url}`)
  core.info('Authorization: ***')
  core.info('Content-Type: application/json')
  core.info(body)
  core.setOutput('request-path', requestPath)
  await writeDryRunSummary(method, url, body, requestPath)
}
