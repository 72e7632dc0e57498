import { Router, type Request } from 'express'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  INPUT_KINDS,
  INPUT_STATUSES,
  addressedInRequest,
  createInputRequest,
  inputStatusRequest,
  mergeInputRequest,
  updateInputRequest,
  type InputView,
} from '../../shared/inputs.js'
import type { AuditLog } from '../audit/auditLog.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import { personOf } from '../auth/people.js'
import { requireCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import type { DocumentService } from '../documents/documentService.js'
import type { EventHub } from '../events/eventHub.js'
import { ApiError, notFound, parseInput } from '../http/errors.js'
import type { Database, InputRecord } from '../storage/database.js'

const listQuery = z.object({
  documentId: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  kind: z.enum(INPUT_KINDS).optional(),
  source: z.string().max(200).optional(),
  status: z.enum(INPUT_STATUSES).optional(),
  tag: z.string().max(40).optional(),
})

/** An input as the API shows it. */
export function inputView(db: Database, input: InputRecord): InputView {
  return {
    id: input.id,
    documentId: input.documentId,
    kind: input.kind,
    source: input.source,
    title: input.title,
    text: input.text,
    tags: input.tags,
    addedBy: personOf(db, input.addedBy),
    addedAt: input.addedAt,
    status: input.status,
    deferredReason: input.deferredReason,
    addressedIn: input.addressedIn,
  }
}

/**
 * The conference input library: list, search and filter; add (drafters,
 * reviewers, admins); set status and "addressed in" (drafting committee);
 * edit and merge duplicates (admins).
 */
export function inputRoutes(deps: {
  db: Database
  sessions: SessionService
  documents: DocumentService
  events: EventHub
  audit: AuditLog
}): Router {
  const { db, sessions, documents, events, audit } = deps
  const router = Router()
  router.use(['/api/inputs'], requireUser(sessions))

  const inputOf = (request: Request): InputRecord => {
    const input = db.data.inputs.find((candidate) => candidate.id === request.params.id && candidate.mergedInto === null)
    if (!input) throw notFound('Input')
    return input
  }
  const changed = async (input: InputRecord): Promise<InputView> => {
    await db.write()
    const view = inputView(db, input)
    events.publish(input.documentId, { type: 'input', input: view })
    return view
  }

  router.get('/api/inputs', (request, response) => {
    const query = parseInput(listQuery, request.query)
    const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean)
    const matches = db.data.inputs.filter((input) => {
      if (input.mergedInto !== null) return false
      if (query.documentId && input.documentId !== query.documentId) return false
      if (query.kind && input.kind !== query.kind) return false
      if (query.source && input.source !== query.source) return false
      if (query.status && input.status !== query.status) return false
      if (query.tag && !input.tags.includes(query.tag)) return false
      const haystack = `${input.title} ${input.text} ${input.source} ${input.tags.join(' ')}`.toLowerCase()
      return words.every((word) => haystack.includes(word))
    })
    response.json(matches.map((input) => inputView(db, input)))
  })

  router.post('/api/inputs', requireCan('input.create'), async (request, response) => {
    const body = parseInput(createInputRequest, request.body)
    if (!documents.document(body.documentId)) {
      throw new ApiError(400, 'invalid_input', 'documentId: no such document', 'documentId', { reason: 'not_found' })
    }
    const input: InputRecord = {
      id: randomUUID(),
      ...body,
      addedBy: currentUser(response).id,
      addedAt: new Date().toISOString(),
      status: 'open',
      deferredReason: null,
      addressedIn: [],
      mergedInto: null,
    }
    db.data.inputs.push(input)
    response.status(201).json(await changed(input))
  })

  router.patch('/api/inputs/:id', requireCan('inputs.manage'), async (request, response) => {
    const input = inputOf(request)
    Object.assign(input, parseInput(updateInputRequest, request.body))
    response.json(await changed(input))
  })

  router.put('/api/inputs/:id/status', requireCan('input.setStatus'), async (request, response) => {
    const input = inputOf(request)
    const { status, reason } = parseInput(inputStatusRequest, request.body)
    input.status = status
    input.deferredReason = status === 'deferred' ? reason! : null
    response.json(await changed(input))
  })

  router.put('/api/inputs/:id/addressed-in', requireCan('input.setStatus'), async (request, response) => {
    const input = inputOf(request)
    const { sectionIds } = parseInput(addressedInRequest, request.body)
    const unknown = sectionIds.find((id) => documents.section(id)?.documentId !== input.documentId)
    if (unknown !== undefined) throw new ApiError(400, 'invalid_input', `sectionIds: no section ${unknown} in this document`, 'sectionIds', { reason: 'not_found' })
    input.addressedIn = [...new Set(sectionIds)]
    response.json(await changed(input))
  })

  router.post('/api/inputs/:id/merge', requireCan('inputs.manage'), async (request, response) => {
    const duplicate = inputOf(request)
    const { into } = parseInput(mergeInputRequest, request.body)
    const target = db.data.inputs.find((candidate) => candidate.id === into && candidate.mergedInto === null)
    if (!target || target === duplicate || target.documentId !== duplicate.documentId) {
      // Merging an input into itself is a wrong choice; a target gone (merged meanwhile) or elsewhere is not found.
      const reason = target === duplicate ? 'invalid_value' : 'not_found'
      throw new ApiError(400, 'invalid_input', 'into: must be another input of the same document', 'into', { reason })
    }
    duplicate.mergedInto = target.id
    target.tags = [...new Set([...target.tags, ...duplicate.tags])]
    target.addressedIn = [...new Set([...target.addressedIn, ...duplicate.addressedIn])]
    // Threads that answered the duplicate now answer the input it was merged into.
    for (const thread of db.data.threads) {
      if (thread.inputIds.includes(duplicate.id)) {
        thread.inputIds = [...new Set(thread.inputIds.map((id) => (id === duplicate.id ? target.id : id)))]
      }
    }
    await audit.record({
      actor: currentUser(response),
      action: 'input_merged',
      details: `"${duplicate.title}" into "${target.title}"`,
      ip: request.ip ?? null,
    })
    events.publish(duplicate.documentId, { type: 'input_merged', inputId: duplicate.id, into: target.id })
    response.json(await changed(target))
  })

  return router
}
