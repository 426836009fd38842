/** Where a key is written a second time in one JSON object: the key and the offset of its opening quote. */
export interface DuplicateKey {
  key: string
  offset: number
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r'])

/**
 * The first key written twice in one object of a valid JSON text, if any: JSON.parse keeps the last
 * silently, where the YAML inputs refuse duplicates. Keys compare decoded ("\u0061" is "a"). One pass. Pure.
 */
export function duplicateKey(text: string): DuplicateKey | undefined {
  // One frame per open object or array: the object's keys so far, or undefined for an array.
  const frames: (Set<string> | undefined)[] = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      const start = i
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++
      const keys = frames.at(-1)
      if (!expectKey || !keys) continue
      expectKey = false
      const key = JSON.parse(text.slice(start, i + 1)) as string
      if (keys.has(key)) return { key, offset: start }
      keys.add(key)
    } else if (c === '{') {
      frames.push(new Set())
      expectKey = true
    } else if (c === '[') frames.push(undefined)
    else if (c === '}' || c === ']') frames.pop()
    else if (c === ',') expectKey = frames.at(-1) !== undefined
    else if (!WHITESPACE.has(c)) expectKey = false
  }
  return undefined
}
