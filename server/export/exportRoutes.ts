import { Router } from 'express'
import { exportQuery, type DocumentContentView, type ExportFormat } from '../../shared/exports.js'
import type { AuditLog } from '../audit/auditLog.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import { ensureCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import { notFound, parseInput } from '../http/errors.js'
import { exportFileName, exportedDocument, type ContentSources, type ExportedDocument } from './exportContent.js'

// The writers' libraries (docx above all) are loaded at the first export:
// held from the start, they were half the server's heap, marked again by
// every full garbage collection while people type. Loading them holds the
// event loop once, for ~0.2 s here (the import's, ~0.45 s).
const FORMATS: Record<ExportFormat, { extension: string; type: string; write: (document: ExportedDocument) => Promise<Buffer | string> }> = {
  docx: {
    extension: 'docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    write: async (document) => (await import('./docxExport.js')).docxExport(document),
  },
  md: {
    extension: 'md',
    type: 'text/markdown; charset=utf-8',
    write: async (document) => (await import('./markdownExport.js')).markdownExport(document),
  },
  html: {
    extension: 'html',
    type: 'text/html; charset=utf-8',
    write: async (document) => (await import('./htmlExport.js')).htmlExport(document),
  },
}

/**
 * The whole document for reading and printing (`GET /api/documents/:id/content`)
 * and as a file (`GET /api/documents/:id/export?format=docx|md|html`).
 * Both read the stored text through the shared schema and never write to it.
 */
export function exportRoutes(deps: { sources: ContentSources; sessions: SessionService; audit: AuditLog }): Router {
  const { sources, sessions, audit } = deps
  const router = Router()
  router.use('/api/documents', requireUser(sessions))

  router.get('/api/documents/:id/content', async (request, response) => {
    ensureCan(currentUser(response), 'section.read')
    const document = await exportedDocument(sources, String(request.params.id), { approvedOnly: false, appendix: false })
    if (!document) throw notFound('Document')
    const view: DocumentContentView = {
      id: document.id,
      title: document.title,
      sections: document.sections.map((section) => ({
        id: section.id,
        title: section.title,
        status: section.status,
        approval: section.approval && { by: section.approval.by, at: section.approval.at, hash: section.approval.hash },
        content: section.body.toJSON(),
      })),
    }
    response.json(view)
  })

  router.get('/api/documents/:id/export', async (request, response) => {
    const user = currentUser(response)
    ensureCan(user, 'section.read')
    const options = parseInput(exportQuery, request.query)
    const document = await exportedDocument(sources, String(request.params.id), options)
    if (!document) throw notFound('Document')
    const format = FORMATS[options.format]
    const file = await format.write(document)
    await audit.record({
      actor: user,
      action: 'document_exported',
      target: { type: 'document', id: document.id, label: document.title },
      details: `${options.format}, ${document.sections.length} sections${options.approvedOnly ? ' (approved only)' : ''}${options.appendix ? ', with open comments' : ''}`,
      ip: request.ip ?? null,
    })
    response.attachment(exportFileName(document, format.extension))
    response.setHeader('Content-Type', format.type)
    response.setHeader('Cache-Control', 'no-store')
    response.send(file)
  })

  return router
}
