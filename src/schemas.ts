/**
 * The schemas every trust boundary shares (zod, the one validation library of the action). A value
 * that crosses into the action (an input, a repository file, an API or GitHub answer, another run's
 * artifact, a sibling job's record) is parsed here or by a schema built from these before anything
 * uses it. Boundary-specific schemas live beside their boundary and import these.
 */
import { z } from 'zod'
import { EXPORT_KEY } from './domain.js'

/** An export key (a v3 project ID, a legacy key): anything else is refused, never printed raw. */
export const exportKey = z.string().regex(EXPORT_KEY, "is not an export key (letters, digits, '-' and '_')")

/** A plain file name: no separator, no `..`, no control character, nothing a shell or runner reads. */
export const baseName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => !/[/\\\p{Cc}\p{Cf}]/u.test(name) && name !== '.' && name !== '..', 'is not a plain file name')

/**
 * Device names Windows reserves, with or without an extension (`CON`, `nul.mp4`, `COM0`, `LPT¹`,
 * `CONIN$`), spaces before the extension included: Windows drops them, so `nul .mp4` is NUL too.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$) *(\..*)?$/i

/**
 * Why a plain file name could not be kept as it is on a Windows runner (a device name, or a trailing
 * dot or space, which Windows drops), if it could not. Separators and reserved characters are refused
 * wherever names are read; this is what Windows adds.
 */
export function windowsUnsafe(name: string): string | undefined {
  if (WINDOWS_DEVICE.test(name)) return 'is a device name on Windows (CON, PRN, AUX, NUL, COM0–9, LPT0–9, CONIN$, CONOUT$)'
  if (/[. ]$/.test(name)) return 'ends with a dot or a space, which Windows drops'
  return undefined
}

/** A SHA-256 digest as lowercase hex. */
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'is not a SHA-256 digest')

/** A value that crossed a boundary and did not match its schema; the message names where it came from. */
export class BoundaryError extends Error {
  constructor(
    readonly boundary: string,
    readonly issues: z.core.$ZodIssue[]
  ) {
    super(`${boundary}: ${describeIssues(issues)}`)
    this.name = 'BoundaryError'
  }
}

/** The first few issues as "at path: message", with control characters shown escaped. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(the value)'
    return `${path.replace(/\p{Cc}/gu, '?')}: ${issue.message}`
  })
  return shown.join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '')
}

/** Parses `value` by `schema`, or throws a BoundaryError naming `boundary`. */
export function parseAt<T>(schema: z.ZodType<T>, value: unknown, boundary: string): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new BoundaryError(boundary, result.error.issues)
  return result.data
}
