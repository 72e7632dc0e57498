import type { UserRecord } from '../storage/database.js'

/**
 * Ids of the users a comment mentions as `@Full Name`. Longer names are
 * tried first so that "@Ana Maria Lopez" is not taken for "@Ana Maria".
 */
export function mentionedUsers(body: string, users: UserRecord[]): string[] {
  const lower = body.toLowerCase()
  const found = new Set<string>()
  const byLength = users.filter((user) => user.active).sort((a, b) => b.name.length - a.name.length)
  for (const user of byLength) {
    const needle = `@${user.name.toLowerCase()}`
    let at = lower.indexOf(needle)
    while (at >= 0) {
      const after = lower[at + needle.length]
      if (after === undefined || !/[\p{L}\p{N}]/u.test(after)) {
        found.add(user.id)
        break
      }
      at = lower.indexOf(needle, at + 1)
    }
  }
  return [...found]
}
