import { Router } from 'express'
import type { DocumentEvent } from '../../shared/api.js'
import { notFound } from '../http/errors.js'
import type { EventHub } from '../events/eventHub.js'
import type { Presence } from '../events/presence.js'
import type { SessionService } from '../auth/sessions.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import type { DocumentService } from './documentService.js'

/** `GET /api/documents`, `GET /api/documents/:id` and its event stream. */
export function documentRoutes(
  documents: DocumentService,
  sessions: SessionService,
  events: EventHub,
  presence: Presence,
): Router {
  const router = Router()
  router.use('/api/documents', requireUser(sessions))

  router.get('/api/documents', (_request, response) => {
    response.json(documents.list())
  })

  router.get('/api/documents/:id', async (request, response) => {
    const view = await documents.view(request.params.id)
    if (!view) throw notFound('Document')
    response.json(view)
  })

  router.get('/api/documents/:id/events', async (request, response) => {
    const documentId = request.params.id
    if (!documents.list().some((document) => document.id === documentId)) throw notFound('Document')
    const initial: DocumentEvent[] = [{ type: 'presence', sections: await presence.of(documentId) }]
    events.subscribe(documentId, currentUser(response).id, response, initial)
  })

  return router
}
