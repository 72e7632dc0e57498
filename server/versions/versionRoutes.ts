import { Router, type Request } from 'express'
import { can } from '../../shared/roles.js'
import { compareQuery, createVersionRequest } from '../../shared/versions.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import { ensureCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import type { DocumentService } from '../documents/documentService.js'
import { forbidden, notFound, parseInput } from '../http/errors.js'
import type { SectionRecord } from '../storage/database.js'
import { lockedError, type VersionService } from './versionService.js'

/**
 * A section's history: `GET|POST /api/sections/:id/versions`,
 * `GET /api/sections/:id/compare?from=&to=` and
 * `POST /api/sections/:id/versions/:versionId/restore`.
 */
export function versionRoutes(deps: { versions: VersionService; documents: DocumentService; sessions: SessionService }): Router {
  const { versions, documents, sessions } = deps
  const router = Router()
  router.use('/api/sections', requireUser(sessions))

  const sectionOf = (request: Request): SectionRecord => {
    const section = documents.section(String(request.params.id))
    if (!section) throw notFound('Section')
    return section
  }

  router.get('/api/sections/:id/versions', (request, response) => {
    const section = sectionOf(request)
    ensureCan(currentUser(response), 'section.read', section)
    response.json(versions.list(section.id))
  })

  router.post('/api/sections/:id/versions', async (request, response) => {
    const section = sectionOf(request)
    const user = currentUser(response)
    // Naming the text as it is changes nothing, so it is allowed on an approved section too.
    if (!can(user, 'section.edit')) throw forbidden('Only the drafting committee names versions')
    const { name } = parseInput(createVersionRequest, request.body ?? {})
    const version = await versions.checkpoint(section, { kind: 'named', label: name, createdBy: user.id, onlyIfChanged: false })
    response.status(201).json(versions.view(version!))
  })

  router.get('/api/sections/:id/compare', async (request, response) => {
    const section = sectionOf(request)
    ensureCan(currentUser(response), 'section.read', section)
    const { from, to } = parseInput(compareQuery, request.query)
    response.json(await versions.compare(section, from, to))
  })

  router.post('/api/sections/:id/versions/:versionId/restore', async (request, response) => {
    const section = sectionOf(request)
    const user = currentUser(response)
    if (!can(user, 'version.restore')) throw forbidden('Only the drafting committee restores versions')
    if (!can(user, 'version.restore', section)) throw lockedError(section)
    if (!versions.find(section.id, String(request.params.versionId))) throw notFound('Version')
    response.json(await versions.restore(section, String(request.params.versionId), user, request.ip ?? null))
  })

  return router
}
