import type { Downloaded, UploadedArtifact } from '../domain.js'
import { sha256File } from '../video/digest.js'

/** The video's SHA-256: an unzipped upload already hashed its bytes; otherwise one pass over the file. */
export async function videoSha256(video: Downloaded, artifact: UploadedArtifact | undefined): Promise<string> {
  return artifact?.videoSha256 ?? sha256File(video.path)
}
