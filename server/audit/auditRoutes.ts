import { Router } from 'express'
import { z } from 'zod'
import type { AuditEntryView } from '../../shared/api.js'
import { requireUser } from '../auth/authRoutes.js'
import { requireCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import { parseInput } from '../http/errors.js'
import { AUDIT_ACTIONS } from '../storage/database.js'
import type { AuditLog } from './auditLog.js'

const auditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  actor: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

/** `GET /api/audit`: the audit log for admins, newest first, filterable. */
export function auditRoutes(audit: AuditLog, sessions: SessionService): Router {
  const router = Router()
  router.get('/api/audit', requireUser(sessions), requireCan('users.manage'), (request, response) => {
    const query = parseInput(auditQuery, request.query)
    const entries: AuditEntryView[] = audit.query({
      action: query.action,
      actorId: query.actor,
      targetId: query.target,
      since: query.since,
      until: query.until,
      limit: query.limit,
    })
    response.json(entries)
  })
  return router
}
