import * as fs from 'node:fs'
import * as path from 'node:path'
import type { AiStudiosClient } from '../aistudios/client.js'
import type { ExportRequest, Log } from '../domain.js'

/**
 * Prints and saves the exact request an export would send. A manifest's videos each get a file of
 * their own.
 */
export function saveDryRun(
  client: AiStudiosClient,
  request: ExportRequest,
  outputDir: string,
  name: string | undefined,
  log: Log
): { url: string; body: string; path: string } {
  const { method, url } = client.exportTarget(request)
  const body = JSON.stringify(request.body, null, 2)
  fs.mkdirSync(outputDir, { recursive: true })
  const requestPath = path.join(outputDir, name ? `aistudios-request-${name}.json` : 'aistudios-request.json')
  fs.writeFileSync(requestPath, `${body}\n`)
  log.info('Dry run: nothing that spends credits was sent. The export would be:')
  log.info(`${method} ${url}`)
  log.info('Authorization: ***')
  log.info('Content-Type: application/json')
  log.info(body)
  return { url, body, path: requestPath }
}
