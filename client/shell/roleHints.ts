import type { Role } from '../../shared/roles.js'

const HINTS: Record<Role, string> = {
  drafter: 'edits the text',
  reviewer: 'reads and comments',
  approver: 'approves sections',
  admin: 'manages users and sections',
}

/** What a role may do, in a few words, e.g. "reads and comments". */
export function roleHint(role: Role): string {
  return HINTS[role]
}
