/**
 * The name GitHub stores a release asset under. Its upload endpoint renames "special characters,
 * non-alphanumeric characters, and leading or trailing periods" (GitHub's REST docs) without a list:
 * observed, each run of characters other than letters, digits, `_`, `-` and `.` becomes one `.`
 * (`My video (final).mp4` → `My.video.final.mp4`), accents are dropped, and leading or trailing periods
 * go. A prediction, used to find an earlier upload of the same file; the upload's answer has the truth.
 */
export function storedAssetName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_.-]/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.|\.$/g, '')
}
