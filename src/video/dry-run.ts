import * as path from 'node:path'
import type { AiStudiosClient, CallContext } from '../aistudios/client.js'
import type { ExportRequest, Log, VideoResult } from '../domain.js'
import { AuthError } from '../errors.js'
import { replaceFile } from '../write-file.js'

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
  const requestPath = path.join(outputDir, name ? `aistudios-request-${name}.json` : 'aistudios-request.json')
  // A symbolic link a pull request left at this name is replaced, never followed outside the workspace.
  replaceFile(requestPath, `${body}\n`, 'the request')
  log.info('Dry run: nothing that spends credits was sent. The export would be:')
  log.info(`${method} ${url}`)
  log.info('Authorization: ***')
  log.info('Content-Type: application/json')
  log.info(body)
  return { url, body, path: requestPath }
}

/**
 * A dry run spends nothing, but it checks what it can: whether the API accepts the credentials
 * (`GET /api/odin/v3/auth`; the legacy API has no such call). Refused credentials fail the dry run.
 */
export async function checkCredentials(client: AiStudiosClient, videos: VideoResult[], context: CallContext): Promise<void> {
  if (videos.every((video) => video.generation === 'legacy')) {
    context.log.info('Dry run: the legacy API has no call that checks credentials without an export; they were not checked')
    return
  }
  if (!(await client.credentialsAccepted(context))) {
    throw new AuthError('GET /api/odin/v3/auth answered isAuthenticated: false', client.credentialInput)
  }
  context.log.info('Dry run: the API accepts the credentials (GET /api/odin/v3/auth)')
}
