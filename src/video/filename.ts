import { windowsUnsafe } from '../schemas.js'

/** Longest file name kept from a URL; file systems allow 255 bytes and artifact names are kept short. */
const MAX_NAME = 120

/**
 * A safe local file name from the video URL's last path segment, as the tutorials name it, but
 * decoded and cleaned: no separators, no `..`, no control or reserved characters, a bounded length.
 * Falls back to `<fallbackStem>.mp4` when nothing usable is left.
 */
export function videoFileName(url: string, fallbackStem: string): string {
  let segment: string
  try {
    segment = new URL(url).pathname.split('/').pop() ?? ''
  } catch {
    segment = ''
  }
  try {
    segment = decodeURIComponent(segment)
  } catch {
    // Malformed escapes: keep the segment as it is; the cleaning below still applies.
  }
  let name = segment
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name must not hold
    .replace(/[\u0000-\u001f\u007f]/g, '')
    // Format characters (a right-to-left override) would make `clip\u202e4pm.exe` show as `clipexe.mp4`.
    .replace(/\p{Cf}/gu, '')
    .replace(/[/\\<>:"|?*]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s]+|[.\s]+$/g, '')
  // The file is an MP4 (its boxes are checked), so it is named as one whatever the URL says: `index.html`
  // becomes `index.html.mp4`, and `release-v1.2.10` gets the extension it lacks.
  if (!/\.mp4$/i.test(name)) name = name ? `${name}.mp4` : ''
  if (name.length > MAX_NAME) {
    const ext = name.slice(name.lastIndexOf('.'))
    name = name.slice(0, MAX_NAME - ext.length) + ext
  }
  name ||= `${fallbackStem.replace(/[^\w-]/g, '_')}.mp4`
  // A device name (CON.mp4) is no file on a Windows runner: kept, with a mark that makes it one.
  return windowsUnsafe(name) ? `_${name}` : name
}
