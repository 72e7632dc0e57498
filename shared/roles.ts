/** The four roles of DESIGN.md. */
export const ROLES = ['drafter', 'reviewer', 'approver', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Everything a user may be allowed to do. */
export type Action =
  | 'section.read'
  | 'section.edit'
  | 'section.submit'
  | 'section.approve'
  | 'section.requestChanges'
  | 'section.reopen'
  | 'version.restore'
  | 'comment.create'
  | 'thread.resolveAny'
  | 'suggestion.create'
  | 'suggestion.decide'
  | 'disposition.record'
  | 'input.setStatus'
  | 'input.create'
  | 'users.manage'
  | 'structure.manage'
  | 'inputs.manage'

/** Section workflow states. */
export const SECTION_STATUSES = ['drafting', 'in_review', 'approved'] as const
export type SectionStatus = (typeof SECTION_STATUSES)[number]

const allowed: Record<Role, ReadonlySet<Action>> = {
  drafter: new Set<Action>([
    'section.read',
    'section.edit',
    'section.submit',
    'version.restore',
    'comment.create',
    'thread.resolveAny',
    'suggestion.decide',
    'disposition.record',
    'input.create',
    'input.setStatus',
  ]),
  reviewer: new Set<Action>(['section.read', 'comment.create', 'suggestion.create', 'input.create']),
  approver: new Set<Action>([
    'section.read',
    'comment.create',
    'thread.resolveAny',
    'section.approve',
    'section.requestChanges',
    'section.reopen',
  ]),
  admin: new Set<Action>([
    'section.read',
    'input.create',
    'input.setStatus',
    'users.manage',
    'structure.manage',
    'inputs.manage',
  ]),
}

// Actions that change a section's text are refused while it is approved.
const textChanging = new Set<Action>(['section.edit', 'version.restore', 'suggestion.decide'])

/**
 * Whether `user` may do `action`, on `section` when the action concerns one.
 * The single place access is decided: server routes and the relay call it,
 * the client only mirrors its answer.
 */
export function can(
  user: { role: Role; active?: boolean },
  action: Action,
  section?: { status: SectionStatus },
): boolean {
  if (user.active === false) return false
  if (!allowed[user.role].has(action)) return false
  if (section && section.status === 'approved' && textChanging.has(action)) return false
  return true
}
