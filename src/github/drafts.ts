import { z } from 'zod'
import type { RunnerEnv } from '../domain.js'
import { exportKey, parseAt } from '../schemas.js'
import { errorMessage } from '../errors.js'
import { untilCancelled } from '../waits.js'
import { RecordContentError, heldNoRecord, loadArtifactClient, readJsonArtifact, uploadJsonArtifact } from './artifact-service.js'
import type { GitHub } from './connect.js'
import { MAX_RECORD_BYTES, listRecords, readRecordJson, workflowRun, type Candidate } from './reuse.js'
import { distrust, thisRun } from './reuse-trust.js'

/**
 * Draft records: the small artifact a draft run leaves for each draft, named after the fingerprint of
 * the export request the same step makes without `draft`, so a later run with `from-draft` finds the
 * reviewed draft of its own request. Trusted as `reuse` trusts a record: for who made it (a run of this
 * repository's own code, its pull requests included, never a fork's), never for what it says.
 */

const PREFIX = 'aistudios-draft-'
const recordName = (fingerprint: string): string => `${PREFIX}${fingerprint}.json`

/** What a draft record says: the draft's project, and whether the draft run created it (else it is the user's saved project). */
export const draftRecordSchema = z.object({ projectId: exportKey, created: z.boolean() })
export type DraftRecord = z.infer<typeof draftRecordSchema>

/** Leaves a draft's record for the run that exports it, kept as long as the run's artifacts. */
export async function recordDraft(fingerprint: string, record: DraftRecord, runner: RunnerEnv, retentionDays: number | undefined): Promise<void> {
  await uploadJsonArtifact(recordName(fingerprint), parseAt(draftRecordSchema, record, 'the draft record'), runner, retentionDays)
}

/** A draft found for a request: its record and the run that left it. */
export interface FoundDraft extends DraftRecord {
  runId: number
}

/** GitHub's answer that what was asked for does not exist (HTTP 404): an answer, not a failure to answer. */
const isGone = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404

/**
 * The newest trusted draft record of a request, if any; `passOver` is told why each newer one was not
 * taken. A record of a fork's run, or one that does not parse, is never taken; one that cannot be read
 * (GitHub or the artifact service failing) ends the lookup with that error.
 */
export async function findDraft(
  github: GitHub,
  fingerprint: string,
  runner: RunnerEnv,
  passOver: (runId: number, why: string) => void,
  signal?: AbortSignal,
  /** Why a record that parses is still not the one wanted, if it is not. */
  unwanted: (record: DraftRecord) => string | undefined = () => undefined
): Promise<FoundDraft | undefined> {
  const here = thisRun(github.context)
  const candidates: Candidate[] = await listRecords(github, recordName(fingerprint), runner, signal)
  for (const candidate of candidates) {
    try {
      // Any run of this repository's own code: the pull request that drafted it, then the merge that exports it.
      const refused = distrust(await workflowRun(github, candidate.runId), here, 'repository')
      if (refused) throw new RecordContentError(refused)
      const json = await readRecordJson(github, candidate, recordName(fingerprint), runner, signal)
      const record = parseAt(draftRecordSchema, json, 'its record')
      const why = unwanted(record)
      if (why) throw new RecordContentError(why)
      return { ...record, runId: candidate.runId }
    } catch (error) {
      // Only a record refused for what it is, or for who made it (a run GitHub says is gone is no one's
      // it can vouch for), is passed over: one GitHub failed to answer for may be the reviewed draft, and
      // an older draft must not be taken in its place.
      if (signal?.aborted || !(heldNoRecord(error) || isGone(error))) throw error
      passOver(candidate.runId, errorMessage(error))
    }
  }
  return undefined
}

/**
 * The draft this very run saved for the request, if any (its record is among the run's artifacts): an
 * earlier attempt's (a re-run), or an earlier job's (a workflow that drafts, then exports after an
 * approval). Throws when the run's artifacts cannot be read. Any job of the run may have written it: it
 * is parsed, and trusted as the run is.
 */
export async function thisRunDraft(fingerprint: string, runner: RunnerEnv, signal?: AbortSignal): Promise<FoundDraft | undefined> {
  if (!runner.artifactService) return undefined
  const { artifacts } = await untilCancelled((await loadArtifactClient()).listArtifacts(), signal)
  const artifact = artifacts.find((candidate) => candidate.name === recordName(fingerprint))
  if (!artifact) return undefined
  const json = await readJsonArtifact(artifact.id, artifact.name, runner, { maxBytes: MAX_RECORD_BYTES, listedBytes: artifact.size, signal })
  return { ...parseAt(draftRecordSchema, json, `the draft record ${artifact.name}`), runId: Number(runner.runId) }
}
