import { Router, type Request } from 'express'
import {
  createSectionRequest,
  renameSectionRequest,
  reopenRequest,
  reorderSectionsRequest,
  requestChangesRequest,
  type DeletedSectionView,
} from '../../shared/api.js'
import { CloseCode } from '../../shared/closeCodes.js'
import { emptySectionJSON } from '../../shared/schema.js'
import type { AuditLog } from '../audit/auditLog.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import { ensureCan, requireCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import type { Relay } from '../collab/relay.js'
import { SYSTEM_AUTHOR } from '../demo/seedDemo.js'
import type { DocumentService } from '../documents/documentService.js'
import { newSectionId } from '../documents/ids.js'
import { initialSectionUpdate } from '../documents/sectionText.js'
import { ApiError, notFound, parseInput } from '../http/errors.js'
import type { Database, SectionRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'
import type { SectionWorkflow } from './sectionWorkflow.js'

/** Everything the section routes work with. */
export interface SectionRouteDeps {
  db: Database
  store: DocumentStore
  relay: Relay
  documents: DocumentService
  workflow: SectionWorkflow
  audit: AuditLog
  sessions: SessionService
  /** Tells open clients that a document's sections changed. */
  documentChanged: (documentId: string) => void
}

/**
 * The section workflow (submit, approve, request changes, reopen) and, for
 * admins, the document's structure (add, rename, reorder, delete, restore).
 */
export function sectionRoutes(deps: SectionRouteDeps): Router {
  const { db, store, relay, documents, workflow, audit, sessions } = deps
  const router = Router()
  router.use(['/api/sections', '/api/documents'], requireUser(sessions))

  const sectionOf = (request: Request): SectionRecord => {
    const section = documents.section(String(request.params.id))
    if (!section) throw notFound('Section')
    return section
  }
  const actorOf = (request: Request, response: Parameters<typeof currentUser>[0]) => ({
    user: currentUser(response),
    ip: request.ip ?? null,
  })
  const respondWith = async (response: Parameters<typeof currentUser>[0], section: SectionRecord) => {
    response.json(await documents.sectionView(section))
  }

  router.post('/api/sections/:id/submit', async (request, response) => {
    const section = sectionOf(request)
    ensureCan(currentUser(response), 'section.submit', section)
    await workflow.submit(section, actorOf(request, response))
    await respondWith(response, section)
  })

  router.post('/api/sections/:id/approve', async (request, response) => {
    const section = sectionOf(request)
    ensureCan(currentUser(response), 'section.approve', section)
    await workflow.approve(section, actorOf(request, response))
    await respondWith(response, section)
  })

  router.post('/api/sections/:id/request-changes', async (request, response) => {
    const section = sectionOf(request)
    ensureCan(currentUser(response), 'section.requestChanges', section)
    const { note } = parseInput(requestChangesRequest, request.body)
    await workflow.requestChanges(section, note, actorOf(request, response))
    await respondWith(response, section)
  })

  router.post('/api/sections/:id/reopen', async (request, response) => {
    const section = sectionOf(request)
    ensureCan(currentUser(response), 'section.reopen', section)
    const { reason } = parseInput(reopenRequest, request.body)
    await workflow.reopen(section, reason, actorOf(request, response))
    await respondWith(response, section)
  })

  router.post('/api/documents/:id/sections', requireCan('structure.manage'), async (request, response) => {
    const document = documents.document(String(request.params.id))
    if (!document) throw notFound('Document')
    const { title, position } = parseInput(createSectionRequest, request.body)
    const siblings = documents.sectionsOf(document.id)
    const at = Math.min(position ?? siblings.length, siblings.length)
    const id = newSectionId()
    await store.append(id, [{ update: initialSectionUpdate(emptySectionJSON()), author: SYSTEM_AUTHOR, at: Date.now() }])
    const section: SectionRecord = {
      id,
      documentId: document.id,
      title,
      position: at,
      status: 'drafting',
      approval: null,
      changeRequest: null,
      createdAt: new Date().toISOString(),
      deletedAt: null,
    }
    siblings.splice(at, 0, section)
    siblings.forEach((sibling, index) => (sibling.position = index))
    db.data.sections.push(section)
    await audit.record({
      actor: currentUser(response),
      action: 'section_created',
      target: { type: 'section', id, label: title },
      ip: request.ip ?? null,
    })
    deps.documentChanged(document.id)
    response.status(201)
    await respondWith(response, section)
  })

  router.patch('/api/sections/:id', requireCan('structure.manage'), async (request, response) => {
    const section = sectionOf(request)
    const { title } = parseInput(renameSectionRequest, request.body)
    const before = section.title
    section.title = title
    await audit.record({
      actor: currentUser(response),
      action: 'section_renamed',
      target: { type: 'section', id: section.id, label: title },
      details: `was "${before}"`,
      ip: request.ip ?? null,
    })
    deps.documentChanged(section.documentId)
    await respondWith(response, section)
  })

  router.put('/api/documents/:id/section-order', requireCan('structure.manage'), async (request, response) => {
    const document = documents.document(String(request.params.id))
    if (!document) throw notFound('Document')
    const { sectionIds } = parseInput(reorderSectionsRequest, request.body)
    const current = documents.sectionsOf(document.id)
    const same = sectionIds.length === current.length && current.every((section) => sectionIds.includes(section.id))
    if (!same || new Set(sectionIds).size !== sectionIds.length) {
      throw new ApiError(400, 'invalid_input', 'sectionIds: must list every section of the document once', 'sectionIds', { reason: 'out_of_date' })
    }
    for (const section of current) section.position = sectionIds.indexOf(section.id)
    await audit.record({
      actor: currentUser(response),
      action: 'sections_reordered',
      target: { type: 'document', id: document.id, label: document.title },
      ip: request.ip ?? null,
    })
    deps.documentChanged(document.id)
    response.json(await documents.view(document.id))
  })

  router.delete('/api/sections/:id', requireCan('structure.manage'), async (request, response) => {
    const section = sectionOf(request)
    section.deletedAt = new Date().toISOString()
    documents.sectionsOf(section.documentId).forEach((sibling, index) => (sibling.position = index))
    relay.disconnect((_identity, sectionId) => sectionId === section.id, CloseCode.unknownSection, 'This section was deleted')
    await audit.record({
      actor: currentUser(response),
      action: 'section_deleted',
      target: { type: 'section', id: section.id, label: section.title },
      details: 'its text is kept and can be restored',
      ip: request.ip ?? null,
    })
    deps.documentChanged(section.documentId)
    response.status(204).end()
  })

  router.get('/api/documents/:id/deleted-sections', requireCan('structure.manage'), (request, response) => {
    const document = documents.document(String(request.params.id))
    if (!document) throw notFound('Document')
    const deleted: DeletedSectionView[] = documents
      .deletedSectionsOf(document.id)
      .map((section) => ({ id: section.id, title: section.title, deletedAt: section.deletedAt! }))
    response.json(deleted)
  })

  router.post('/api/sections/:id/restore', requireCan('structure.manage'), async (request, response) => {
    const section = documents.anySection(String(request.params.id))
    if (!section || section.deletedAt === null) throw notFound('Deleted section')
    section.position = documents.sectionsOf(section.documentId).length
    section.deletedAt = null
    await audit.record({
      actor: currentUser(response),
      action: 'section_restored',
      target: { type: 'section', id: section.id, label: section.title },
      ip: request.ip ?? null,
    })
    deps.documentChanged(section.documentId)
    await respondWith(response, section)
  })

  return router
}

