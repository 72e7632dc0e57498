import type { Role } from '../../shared/roles.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'

const HINTS: Record<Role, MessageKey> = {
  drafter: 'shell.roleHint.drafter',
  reviewer: 'shell.roleHint.reviewer',
  approver: 'shell.roleHint.approver',
  admin: 'shell.roleHint.admin',
}

/** What a role may do, in a few words, e.g. "reads and comments", in the interface language. */
export function roleHint(role: Role): string {
  return t(HINTS[role])
}
