import { Router, type Request, type Response } from 'express'
import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'
import { can } from '../../shared/roles.js'
import {
  commentRequest,
  createThreadRequest,
  dispositionRequest,
  threadInputsRequest,
  type ThreadView,
} from '../../shared/threads.js'
import type { AuditLog } from '../audit/auditLog.js'
import { currentUser, requireUser } from '../auth/authRoutes.js'
import { personOf } from '../auth/people.js'
import { ensureCan } from '../auth/permissions.js'
import type { SessionService } from '../auth/sessions.js'
import { identityOf } from '../auth/userView.js'
import type { Relay } from '../collab/relay.js'
import type { DocumentService } from '../documents/documentService.js'
import type { EventHub } from '../events/eventHub.js'
import { ApiError, forbidden, notFound, parseInput } from '../http/errors.js'
import type { Database, SectionRecord, ThreadRecord, UserRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'
import { mentionedUsers } from './mentions.js'
import { replaceAnchoredText, withinOneParagraph } from './suggestions.js'

/** A thread as the API shows it: people resolved, deleted bodies blanked. */
export function threadView(db: Database, thread: ThreadRecord): ThreadView {
  const person = (id: string | null) => (id === null ? null : personOf(db, id))
  return {
    id: thread.id,
    sectionId: thread.sectionId,
    anchor: thread.anchor,
    comments: thread.comments.map((comment) => ({
      id: comment.id,
      author: personOf(db, comment.authorId),
      body: comment.deleted ? '' : comment.body,
      createdAt: comment.createdAt,
      editedAt: comment.editedAt,
      deleted: comment.deleted,
    })),
    inputIds: thread.inputIds,
    mentions: thread.mentions,
    status: thread.status,
    resolvedBy: person(thread.resolvedBy),
    resolvedAt: thread.resolvedAt,
    suggestion: thread.suggestion && {
      text: thread.suggestion.text,
      status: thread.suggestion.status,
      decidedBy: person(thread.suggestion.decidedBy),
      decidedAt: thread.suggestion.decidedAt,
    },
    disposition: thread.disposition && {
      value: thread.disposition.value,
      rationale: thread.disposition.rationale,
      by: personOf(db, thread.disposition.by),
      at: thread.disposition.at,
    },
    createdAt: thread.createdAt,
  }
}

/**
 * Comment threads on a section: create (with linked inputs and an optional
 * suggested replacement), reply, edit or delete one's own comment, resolve,
 * link inputs, accept or reject a suggestion, record a disposition.
 */
export function threadRoutes(deps: {
  db: Database
  store: DocumentStore
  relay: Relay
  sessions: SessionService
  documents: DocumentService
  events: EventHub
  audit: AuditLog
}): Router {
  const { db, store, relay, sessions, documents, events, audit } = deps
  const router = Router()
  router.use(['/api/threads', '/api/sections'], requireUser(sessions))

  const sectionOf = (sectionId: string): SectionRecord => {
    const section = documents.section(sectionId)
    if (!section) throw notFound('Section')
    return section
  }
  const threadOf = (request: Request): { thread: ThreadRecord; section: SectionRecord } => {
    const thread = db.data.threads.find((candidate) => candidate.id === request.params.id)
    if (!thread) throw notFound('Thread')
    return { thread, section: sectionOf(thread.sectionId) }
  }
  const checkInputs = (inputIds: string[], section: SectionRecord): string[] => {
    for (const id of inputIds) {
      const input = db.data.inputs.find((candidate) => candidate.id === id && candidate.mergedInto === null)
      if (!input || input.documentId !== section.documentId) {
        throw new ApiError(400, 'invalid_input', `inputIds: no input ${id} in this document`, 'inputIds', { reason: 'not_found' })
      }
    }
    return [...new Set(inputIds)]
  }
  const publish = async (thread: ThreadRecord, section: SectionRecord, response: Response, status = 200) => {
    await db.write()
    const view = threadView(db, thread)
    events.publish(section.documentId, { type: 'thread', thread: view })
    response.status(status).json(view)
  }
  const isStarter = (thread: ThreadRecord, user: UserRecord) => thread.comments[0]?.authorId === user.id
  /** The section's text now: the live document if loaded, else the stored one. */
  const sectionDoc = async (sectionId: string): Promise<Y.Doc> => {
    const room = await relay.room(sectionId)
    if (room) return room.doc
    const doc = new Y.Doc()
    const stored = await store.load(sectionId)
    if (stored) Y.applyUpdate(doc, stored)
    return doc
  }

  router.get('/api/sections/:id/threads', (request, response) => {
    const section = sectionOf(String(request.params.id))
    ensureCan(currentUser(response), 'section.read', section)
    response.json(db.data.threads.filter((thread) => thread.sectionId === section.id).map((thread) => threadView(db, thread)))
  })

  router.post('/api/sections/:id/threads', async (request, response) => {
    const section = sectionOf(String(request.params.id))
    const user = currentUser(response)
    ensureCan(user, 'comment.create', section)
    const body = parseInput(createThreadRequest, request.body)
    if (body.suggestion !== undefined) {
      ensureCan(user, 'suggestion.create', section)
      const oneParagraph = withinOneParagraph(await sectionDoc(section.id), body.anchor)
      if (oneParagraph === false) {
        throw new ApiError(400, 'invalid_input', 'suggestion: select text within one paragraph to suggest a replacement', 'suggestion', { reason: 'spans_paragraphs' })
      }
    }
    const now = new Date().toISOString()
    const thread: ThreadRecord = {
      id: randomUUID(),
      sectionId: section.id,
      anchor: body.anchor,
      comments: [{ id: randomUUID(), authorId: user.id, body: body.body, createdAt: now, editedAt: null, deleted: false }],
      inputIds: checkInputs(body.inputIds, section),
      mentions: mentionedUsers(body.body, db.data.users),
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      suggestion: body.suggestion === undefined ? null : { text: body.suggestion, status: 'pending', decidedBy: null, decidedAt: null },
      disposition: null,
      createdAt: now,
    }
    db.data.threads.push(thread)
    await publish(thread, section, response, 201)
  })

  router.post('/api/threads/:id/comments', async (request, response) => {
    const { thread, section } = threadOf(request)
    const user = currentUser(response)
    ensureCan(user, 'comment.create', section)
    const { body } = parseInput(commentRequest, request.body)
    thread.comments.push({ id: randomUUID(), authorId: user.id, body, createdAt: new Date().toISOString(), editedAt: null, deleted: false })
    thread.mentions = [...new Set([...thread.mentions, ...mentionedUsers(body, db.data.users)])]
    await publish(thread, section, response, 201)
  })

  const ownComment = (request: Request, response: Response) => {
    const { thread, section } = threadOf(request)
    const comment = thread.comments.find((candidate) => candidate.id === request.params.commentId && !candidate.deleted)
    if (!comment) throw notFound('Comment')
    if (comment.authorId !== currentUser(response).id) throw forbidden('You can only change your own comments')
    return { thread, section, comment }
  }

  router.patch('/api/threads/:id/comments/:commentId', async (request, response) => {
    const { thread, section, comment } = ownComment(request, response)
    const { body } = parseInput(commentRequest, request.body)
    comment.body = body
    comment.editedAt = new Date().toISOString()
    thread.mentions = [...new Set([...thread.mentions, ...mentionedUsers(body, db.data.users)])]
    await publish(thread, section, response)
  })

  router.delete('/api/threads/:id/comments/:commentId', async (request, response) => {
    const { thread, section, comment } = ownComment(request, response)
    comment.deleted = true
    comment.body = ''
    await publish(thread, section, response)
  })

  for (const [path, status] of [['resolve', 'resolved'], ['reopen', 'open']] as const) {
    router.post(`/api/threads/:id/${path}`, async (request, response) => {
      const { thread, section } = threadOf(request)
      const user = currentUser(response)
      if (!isStarter(thread, user) && !can(user, 'thread.resolveAny', section)) {
        throw forbidden(`Only the drafting committee, leadership or whoever started the thread can ${path} it`)
      }
      thread.status = status
      thread.resolvedBy = status === 'resolved' ? user.id : null
      thread.resolvedAt = status === 'resolved' ? new Date().toISOString() : null
      await publish(thread, section, response)
    })
  }

  router.put('/api/threads/:id/inputs', async (request, response) => {
    const { thread, section } = threadOf(request)
    const user = currentUser(response)
    if (!isStarter(thread, user) && !can(user, 'disposition.record', section)) {
      throw forbidden('Only the drafting committee or whoever started the thread can change its linked inputs')
    }
    thread.inputIds = checkInputs(parseInput(threadInputsRequest, request.body).inputIds, section)
    await publish(thread, section, response)
  })

  router.put('/api/threads/:id/disposition', async (request, response) => {
    const { thread, section } = threadOf(request)
    const user = currentUser(response)
    ensureCan(user, 'disposition.record', section)
    const { value, rationale } = parseInput(dispositionRequest, request.body)
    thread.disposition = { value, rationale, by: user.id, at: new Date().toISOString() }
    await audit.record({
      actor: user,
      action: 'disposition_recorded',
      target: { type: 'section', id: section.id, label: section.title },
      details: `${value}: "${thread.anchor.quote.slice(0, 80)}"`,
      ip: request.ip ?? null,
    })
    await publish(thread, section, response)
  })

  router.post('/api/threads/:id/suggestion/accept', async (request, response) => {
    const { thread, section } = threadOf(request)
    const user = currentUser(response)
    ensureCan(user, 'suggestion.decide', section)
    const suggestion = pendingSuggestion(thread)
    const now = new Date().toISOString()
    // Decided before the edit so that a second accept cannot apply it twice.
    Object.assign(suggestion, { status: 'accepted', decidedBy: user.id, decidedAt: now })
    try {
      // Applied as the drafter's own edit, through the relay like typing.
      thread.anchor = await relay.edit(section.id, identityOf(user), (doc) =>
        replaceAnchoredText(doc, thread.anchor, suggestion.text),
      )
    } catch (error) {
      Object.assign(suggestion, { status: 'pending', decidedBy: null, decidedAt: null })
      throw error
    }
    thread.disposition = { value: 'accepted', rationale: 'Suggested text accepted', by: user.id, at: now }
    Object.assign(thread, { status: 'resolved', resolvedBy: user.id, resolvedAt: now })
    await audit.record({
      actor: user,
      action: 'suggestion_accepted',
      target: { type: 'section', id: section.id, label: section.title },
      details: `"${thread.anchor.quote.slice(0, 80)}"`,
      ip: request.ip ?? null,
    })
    await publish(thread, section, response)
  })

  router.post('/api/threads/:id/suggestion/reject', async (request, response) => {
    const { thread, section } = threadOf(request)
    const user = currentUser(response)
    ensureCan(user, 'suggestion.decide', section)
    const suggestion = pendingSuggestion(thread)
    const { rationale } = parseInput(dispositionRequest.pick({ rationale: true }), request.body ?? {})
    const now = new Date().toISOString()
    Object.assign(suggestion, { status: 'rejected', decidedBy: user.id, decidedAt: now })
    thread.disposition = { value: 'not_retained', rationale, by: user.id, at: now }
    await audit.record({
      actor: user,
      action: 'suggestion_rejected',
      target: { type: 'section', id: section.id, label: section.title },
      details: rationale,
      ip: request.ip ?? null,
    })
    await publish(thread, section, response)
  })

  return router
}

function pendingSuggestion(thread: ThreadRecord): NonNullable<ThreadRecord['suggestion']> {
  if (!thread.suggestion) throw new ApiError(409, 'no_suggestion', 'This thread proposes no replacement text')
  if (thread.suggestion.status !== 'pending') {
    throw new ApiError(409, 'already_decided', `This suggestion was already ${thread.suggestion.status}`)
  }
  return thread.suggestion
}
