import * as Y from 'yjs'
import type { SectionStatus } from '../../shared/roles.js'
import type { AuditLog } from '../audit/auditLog.js'
import type { Relay } from '../collab/relay.js'
import { sectionHash } from '../documents/sectionText.js'
import type { DocumentService } from '../documents/documentService.js'
import { ApiError } from '../http/errors.js'
import type { Database, SectionRecord, UserRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'

/** Who did a workflow step, and from where. */
export interface Actor {
  user: UserRecord
  ip: string | null
}

/** The audit action of each workflow step. */
export type WorkflowAction = 'section_submitted' | 'section_approved' | 'changes_requested' | 'section_reopened'

const STATUS_NAMES: Record<SectionStatus, string> = {
  drafting: 'in drafting',
  in_review: 'in review',
  approved: 'approved',
}

/**
 * A section's workflow: drafting → in review → approved, or back to drafting
 * when an approver asks for changes or reopens it. Approval binds to the
 * exact text: it records the hash of the canonical text and keeps the Yjs
 * state, and from that tick on the relay refuses every edit.
 */
export class SectionWorkflow {
  constructor(
    private readonly db: Database,
    private readonly store: DocumentStore,
    private readonly relay: Relay,
    private readonly documents: DocumentService,
    private readonly audit: AuditLog,
    /** Called after a section's status changed, to tell open clients. */
    private readonly changed: (section: SectionRecord) => void,
    /** Called at every step, before it is recorded: versions take a checkpoint of the text. */
    private readonly stepped: (section: SectionRecord, action: WorkflowAction, user: UserRecord) => Promise<void> = async () => undefined,
  ) {}

  async submit(section: SectionRecord, actor: Actor): Promise<void> {
    expectStatus(section, 'drafting', 'submitted for review')
    section.status = 'in_review'
    await this.finish(section, actor, 'section_submitted', '')
  }

  async requestChanges(section: SectionRecord, note: string, actor: Actor): Promise<void> {
    expectStatus(section, 'in_review', 'sent back for changes')
    section.status = 'drafting'
    section.changeRequest = { by: displayName(actor.user), byUserId: actor.user.id, at: new Date().toISOString(), note }
    await this.finish(section, actor, 'changes_requested', note)
  }

  async approve(section: SectionRecord, actor: Actor): Promise<void> {
    expectStatus(section, 'in_review', 'approved')
    // Lock first, in this tick: from here on the relay drops every edit.
    section.status = 'approved'
    this.relay.refreshAccess((_identity, sectionId) => sectionId === section.id)
    try {
      const room = await this.relay.room(section.id)
      let state: Uint8Array
      let hash: string
      if (room) {
        await room.flushNow()
        state = Y.encodeStateAsUpdate(room.doc)
        hash = sectionHash(room.doc)
      } else {
        state = (await this.store.load(section.id)) ?? new Uint8Array([0, 0])
        const doc = new Y.Doc()
        Y.applyUpdate(doc, state)
        hash = sectionHash(doc)
        doc.destroy()
      }
      const at = new Date().toISOString()
      const stateLabel = `approval-${Date.parse(at)}`
      await this.store.keepState(section.id, stateLabel, state)
      section.approval = { by: displayName(actor.user), byUserId: actor.user.id, at, hash, stateLabel }
      section.changeRequest = null
    } catch (error) {
      section.status = 'in_review'
      this.relay.refreshAccess((_identity, sectionId) => sectionId === section.id)
      throw error
    }
    await this.finish(section, actor, 'section_approved', `hash ${section.approval.hash}`)
  }

  async reopen(section: SectionRecord, reason: string, actor: Actor): Promise<void> {
    expectStatus(section, 'approved', 'reopened')
    section.status = 'drafting'
    this.relay.refreshAccess((_identity, sectionId) => sectionId === section.id)
    await this.finish(section, actor, 'section_reopened', reason)
  }

  private async finish(section: SectionRecord, actor: Actor, action: WorkflowAction, details: string): Promise<void> {
    this.documents.textChanged(section.id)
    await this.stepped(section, action, actor.user)
    await this.audit.record({
      actor: actor.user,
      action,
      target: { type: 'section', id: section.id, label: section.title },
      details,
      ip: actor.ip,
    })
    this.changed(section)
  }
}

function expectStatus(section: SectionRecord, expected: SectionStatus, verb: string): void {
  if (section.status !== expected) {
    throw new ApiError(
      409,
      'wrong_status',
      `"${section.title}" is ${STATUS_NAMES[section.status]}; only a section ${STATUS_NAMES[expected]} can be ${verb}`,
    )
  }
}

/** How a person is named in approvals and exports. */
export function displayName(user: UserRecord): string {
  return `${user.name}, ${user.organisation}`
}
