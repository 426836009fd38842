import { createHash } from 'node:crypto'
import * as fs from 'node:fs/promises'

/** Hex SHA-256 of a file, read through one reused buffer: no allocation per chunk, flat memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafe(1 << 20)
  const handle = await fs.open(file, 'r')
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      hash.update(buffer.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}
