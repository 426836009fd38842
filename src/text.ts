/** Text for people, shared by the summary and the pull request comment. */

export const escapeHtml = (text: string): string => text.replace(/[<>&|]/g, (c) => `&#${c.charCodeAt(0)};`)

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}
