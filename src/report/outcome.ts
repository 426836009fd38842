import type { UploadedArtifact } from '../deliver/artifact.js'
import type { Downloaded } from '../download/download.js'
import type { Generation } from '../api/types.js'

/** What a run did, filled in step by step; the reports are made from it alone. */
export interface Outcome {
  /** What the video was made from, for people ("project abc123"). */
  source: string
  startedAt: number
  generation: Generation
  /** Known as soon as the export is accepted: from then on the user must always learn it. */
  exportKey?: string
  videoUrl?: string
  polls?: number
  video?: Downloaded
  /** Hex SHA-256 of the video. */
  sha256?: string
  artifact?: UploadedArtifact
  /** The video's download URL as a release asset. */
  releaseUrl?: string
}
