import type { RequestHandler } from 'express'
import { can, type Action } from '../../shared/roles.js'
import { forbidden } from '../http/errors.js'
import type { SectionRecord, UserRecord } from '../storage/database.js'

const REFUSALS: Partial<Record<Action, string>> = {
  'section.edit': 'Only the drafting committee edits section text',
  'section.submit': 'Only the drafting committee submits sections for review',
  'section.approve': 'Only leadership approves sections',
  'section.requestChanges': 'Only leadership asks for changes',
  'section.reopen': 'Only leadership reopens approved sections',
  'users.manage': 'Only the secretariat manages users',
  'structure.manage': 'Only the secretariat adds, renames, reorders or deletes sections',
}

/** Throws a 403 unless `user` may do `action` (on `section`). */
export function ensureCan(user: UserRecord, action: Action, section?: SectionRecord): void {
  if (!can(user, action, section)) {
    if (section?.status === 'approved' && can(user, action)) {
      throw forbidden(`"${section.title}" is approved and locked; reopen it first`)
    }
    throw forbidden(REFUSALS[action])
  }
}

/** Route guard: the signed-in user must be allowed `action`. */
export function requireCan(action: Action): RequestHandler {
  return (_request, response, next) => {
    ensureCan(response.locals.user as UserRecord, action)
    next()
  }
}
