/** GitHub's limits on what a step writes, and pure ways to stay under them. */

/** GitHub drops a step's job summary larger than 1 MiB (with an error) instead of showing it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024
/** What the summary's counted parts may take: room is left for headings, notes and table markup. */
export const SUMMARY_BUDGET_BYTES = SUMMARY_LIMIT_BYTES - 64 * 1024
/** Rows of a batch's table listed at most; the rest are counted, not listed. */
export const MAX_SUMMARY_ROWS = 500
/** Characters of one message (an error, a resume hint) shown in the summary. */
export const MAX_SUMMARY_TEXT_CHARS = 1000
/** Dry-run requests shown in the summary at most; every one is saved in full in its file. */
export const MAX_SUMMARY_REQUESTS = 5
/** Characters of one dry-run request body shown in the summary. */
export const MAX_SUMMARY_BODY_CHARS = 32 * 1024

/** GitHub takes a step output of up to 1 MiB. */
export const OUTPUT_LIMIT_BYTES = 1024 * 1024
/** What the `videos` output may take, some room left under the limit. */
export const VIDEOS_OUTPUT_BUDGET_BYTES = OUTPUT_LIMIT_BYTES - 16 * 1024
/** Fields of a `videos` entry never dropped: what the video is, how it ended, its key to resume it. */
const KEPT_FIELDS = new Set(['name', 'status', 'export-key'])

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/** A text cut to `max` characters, saying so; whole otherwise. */
export const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`

/**
 * The first items that fit both bounds, in order: at most `maxItems`, their sizes together at most
 * `budget`. Returns them, how many were left out, and the bytes they take.
 */
export function takeWithin<T>(
  items: readonly T[],
  size: (item: T) => number,
  budget: number,
  maxItems: number
): { taken: T[]; omitted: number; bytes: number } {
  let bytes = 0
  let count = 0
  for (const item of items) {
    if (count >= maxItems) break
    const next = size(item)
    if (bytes + next > budget) break
    bytes += next
    count++
  }
  return { taken: items.slice(0, count), omitted: items.length - count, bytes }
}

/** A table row's bytes as the summary writes it: its cells and their markup. */
const rowBytes = (row: string[]): number => row.reduce((sum, cell) => sum + utf8Bytes(cell) + 9, 9)

/**
 * A summary table's rows within the bounds: the first rows that fit `budget` bytes and MAX_SUMMARY_ROWS,
 * the bytes they take, and a line counting the rest (`what` they are, and where each is named instead).
 */
export function boundedRows(
  rows: string[][],
  budget: number,
  what: string,
  namedIn = 'the log names each'
): { rows: string[][]; more?: string; bytes: number } {
  const { taken, omitted, bytes } = takeWithin(rows, rowBytes, budget, MAX_SUMMARY_ROWS)
  return {
    rows: taken,
    bytes,
    more: omitted > 0 ? `… and ${omitted} more ${what}, not listed (the summary has a size limit); ${namedIn}` : undefined
  }
}

/**
 * The `videos` output as JSON under its budget: while it is too large, the field taking the most room
 * across all entries (a signed URL, an error) is emptied in every entry, the longest first; name,
 * status and export key stay. Only if that is not enough are the last entries left out. Returns the
 * JSON, the fields dropped and the entries left out, for the log.
 */
export function boundVideosJson(
  entries: ReadonlyArray<Record<string, unknown>>,
  budget = VIDEOS_OUTPUT_BUDGET_BYTES
): { json: string; dropped: string[]; omitted: number } {
  let current = entries.map((entry) => ({ ...entry }))
  let json = JSON.stringify(current)
  const dropped: string[] = []
  while (utf8Bytes(json) > budget) {
    const sizes = new Map<string, number>()
    for (const entry of current) {
      for (const [field, value] of Object.entries(entry)) {
        if (KEPT_FIELDS.has(field) || value === null) continue
        sizes.set(field, (sizes.get(field) ?? 0) + utf8Bytes(JSON.stringify(value)))
      }
    }
    const longest = [...sizes].sort((a, b) => b[1] - a[1])[0]?.[0]
    if (longest === undefined) break
    dropped.push(longest)
    current = current.map((entry) => ({ ...entry, [longest]: null }))
    json = JSON.stringify(current)
  }
  if (utf8Bytes(json) <= budget) return { json, dropped, omitted: 0 }
  // Each entry costs its JSON and a comma; the brackets take 2 bytes.
  const { taken, omitted } = takeWithin(current, (entry) => utf8Bytes(JSON.stringify(entry)) + 1, budget - 2, Infinity)
  return { json: JSON.stringify(taken), dropped, omitted }
}
