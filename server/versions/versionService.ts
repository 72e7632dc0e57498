import { randomUUID } from 'node:crypto'
import * as Y from 'yjs'
import type { PersonView } from '../../shared/inputs.js'
import type { CompareView, CurrentTextView, RestoreView, VersionKind, VersionView } from '../../shared/versions.js'
import type { AuditLog } from '../audit/auditLog.js'
import { personOf } from '../auth/people.js'
import { identityOf } from '../auth/userView.js'
import type { Relay } from '../collab/relay.js'
import type { DocumentService } from '../documents/documentService.js'
import { sectionNode } from '../documents/sectionText.js'
import { ApiError, forbidden } from '../http/errors.js'
import type { AuditAction, Database, SectionRecord, UserRecord, VersionRecord } from '../storage/database.js'
import type { DocumentStore } from '../storage/documentStore.js'
import type { HistoryEntry } from '../storage/updateRecords.js'
import { replaceSectionContent } from './replaceContent.js'
import { diffSection } from './sectionDiff.js'
import { KeyedQueue } from '../util/keyedQueue.js'

/** What a checkpoint is taken for. */
export interface CheckpointRequest {
  kind: VersionKind
  label: string
  /** User id of who asked for it; null for automatic checkpoints. */
  createdBy: string | null
  /** Take none if the text did not change since the latest version. */
  onlyIfChanged: boolean
}

/** The labels of checkpoints taken at workflow steps. */
const STATUS_LABELS: Partial<Record<AuditAction, string>> = {
  section_submitted: 'Submitted for review',
  section_approved: 'Approved',
  changes_requested: 'Sent back for changes',
  section_reopened: 'Reopened',
}

/**
 * Versions of sections: named positions in a section's stored update log.
 * A version keeps no copy of the text; the log (which keeps deleted content)
 * rebuilds it, so the live documents keep garbage collection on. Versions
 * are only ever added: a restore is a new change on top of the current text,
 * and a new version after it.
 */
export class VersionService {
  private readonly queue = new KeyedQueue()

  constructor(
    private readonly db: Database,
    private readonly store: DocumentStore,
    private readonly relay: Relay,
    private readonly documents: DocumentService,
    private readonly audit: AuditLog,
    /** Tells the open clients of the section's document about a new version. */
    private readonly published: (section: SectionRecord, version: VersionView) => void,
  ) {}

  /** The versions of a section, newest first. */
  list(sectionId: string): VersionView[] {
    return this.recordsOf(sectionId)
      .reverse()
      .map((record) => this.view(record))
  }

  /** A version of `sectionId`, or undefined. */
  find(sectionId: string, versionId: string): VersionRecord | undefined {
    return this.db.data.versions.find((version) => version.id === versionId && version.sectionId === sectionId)
  }

  /**
   * Takes a version of the section's text as it is on disk now, after
   * waiting for what the relay holds to be stored. Checkpoints of one
   * section are taken one at a time. Returns null if `onlyIfChanged` and
   * nothing changed since the latest version.
   */
  checkpoint(section: SectionRecord, request: CheckpointRequest): Promise<VersionRecord | null> {
    return this.serialise(section.id, () => this.take(section, request))
  }

  /** An automatic checkpoint of a section that saw a pause in editing. */
  async pause(sectionId: string): Promise<void> {
    const section = this.documents.section(sectionId)
    if (!section) return
    await this.checkpoint(section, { kind: 'auto', label: 'Checkpoint', createdBy: null, onlyIfChanged: true })
  }

  /** The checkpoint of a workflow step (submit, approve, request changes, reopen). */
  async statusChanged(section: SectionRecord, action: AuditAction, user: UserRecord): Promise<void> {
    const label = STATUS_LABELS[action]
    if (!label) return
    await this.checkpoint(section, { kind: 'status', label, createdBy: user.id, onlyIfChanged: false })
  }

  /**
   * Compares two versions of a section, or a version with the current text
   * (`to` = `current`), older first whichever way they are given.
   */
  async compare(section: SectionRecord, fromId: string, toId: string): Promise<CompareView> {
    const first = this.versionOf(section, fromId, 'from')
    let end: VersionRecord | CurrentTextView
    let history: StoredHistory
    if (toId === 'current') {
      await this.flush(section.id)
      const seq = await this.store.lastSeq(section.id)
      history = await this.storedHistory(section.id)
      end = { id: 'current', seq, changedAt: changedAt(history.entries, seq) ?? first.changedAt }
    } else {
      end = this.versionOf(section, toId, 'to')
      history = await this.storedHistory(section.id)
    }
    // Only a version can be older than another; the current text never is.
    const [older, newer]: [VersionRecord, VersionRecord | CurrentTextView] =
      first.seq <= end.seq || !('kind' in end) ? [first, end] : [end, first]
    const diff = diffSection(history.doc, history.entries, older.seq, newer.seq, this.people())
    history.doc.destroy()
    return {
      sectionId: section.id,
      from: this.view(older),
      to: 'kind' in newer ? this.view(newer) : newer,
      content: diff.content,
      changes: diff.changes,
    }
  }

  /**
   * Restores a version as `user`'s edit on top of the current text, through
   * the relay so that every open editor receives it. History is kept whole:
   * the text before the restore becomes a checkpoint (if it was not one),
   * and the restored text a new version. Recorded in the audit log.
   */
  async restore(section: SectionRecord, versionId: string, user: UserRecord, ip: string | null): Promise<RestoreView> {
    const version = this.versionOf(section, versionId, 'versionId')
    const before = await this.checkpoint(section, {
      kind: 'auto',
      label: `Before restoring “${version.label}”`,
      createdBy: user.id,
      onlyIfChanged: true,
    })
    const old = await this.store.stateAt(section.id, version.seq)
    const content = sectionNode(old)
    old.destroy()
    await this.relay.edit(section.id, identityOf(user), (doc) => {
      // Approval may have landed while the old text was read; the relay's own lock is for sockets.
      if (section.status === 'approved') throw lockedError(section)
      replaceSectionContent(doc, content)
    })
    const restored = (await this.checkpoint(section, {
      kind: 'restore',
      label: `Restored “${version.label}”`,
      createdBy: user.id,
      onlyIfChanged: false,
    }))!
    await this.audit.record({
      actor: user,
      action: 'version_restored',
      target: { type: 'section', id: section.id, label: section.title },
      details: `“${version.label}” of ${version.changedAt} (update ${version.seq})`,
      ip,
    })
    return { version: this.view(restored), before: before && this.view(before) }
  }

  /** A version as the API shows it. */
  view(record: VersionRecord): VersionView {
    return {
      id: record.id,
      sectionId: record.sectionId,
      kind: record.kind,
      label: record.label,
      seq: record.seq,
      createdAt: record.createdAt,
      createdBy: record.createdBy === null ? null : personOf(this.db, record.createdBy),
      changedAt: record.changedAt,
      authors: record.authors.map((id) => personOf(this.db, id)),
      change: { inserted: record.inserted, deleted: record.deleted },
    }
  }

  private async take(section: SectionRecord, request: CheckpointRequest): Promise<VersionRecord | null> {
    await this.flush(section.id)
    const seq = await this.store.lastSeq(section.id)
    const previous = this.recordsOf(section.id).at(-1)
    const fromSeq = previous?.seq ?? 0
    if (request.onlyIfChanged && seq <= fromSeq) return null
    const record: VersionRecord = {
      id: randomUUID(),
      sectionId: section.id,
      kind: request.kind,
      label: request.label,
      seq,
      createdAt: new Date().toISOString(),
      createdBy: request.createdBy,
      changedAt: previous?.changedAt ?? new Date().toISOString(),
      authors: [],
      inserted: 0,
      deleted: 0,
    }
    if (seq > fromSeq) {
      const history = await this.storedHistory(section.id)
      const diff = diffSection(history.doc, history.entries, fromSeq, seq, this.people())
      history.doc.destroy()
      const between = history.entries.filter((entry) => entry.seq > fromSeq && entry.seq <= seq)
      record.authors = [...new Set(between.map((entry) => entry.author))]
      record.changedAt = changedAt(history.entries, seq) ?? record.changedAt
      record.inserted = diff.inserted
      record.deleted = diff.deleted
    }
    this.db.data.versions.push(record)
    await this.db.write()
    this.published(section, this.view(record))
    return record
  }

  /** A section's versions, oldest first. */
  private recordsOf(sectionId: string): VersionRecord[] {
    return this.db.data.versions.filter((version) => version.sectionId === sectionId).sort((a, b) => a.seq - b.seq)
  }

  private versionOf(section: SectionRecord, versionId: string, field: string): VersionRecord {
    const version = this.find(section.id, versionId)
    if (!version) throw new ApiError(400, 'invalid_input', `${field}: "${section.title}" has no version ${versionId}`, field, { reason: 'not_found' })
    return version
  }

  /** The whole stored state (deleted content included) and every history entry. */
  private async storedHistory(sectionId: string): Promise<StoredHistory> {
    const entries = await this.store.history(sectionId)
    const doc = new Y.Doc({ gc: false })
    const stored = await this.store.load(sectionId)
    if (stored) Y.applyUpdate(doc, stored)
    return { doc, entries }
  }

  /** Waits until what the relay holds of a section is on disk, so the log is the current text. */
  private async flush(sectionId: string): Promise<void> {
    await (await this.relay.room(sectionId))?.flushNow()
  }

  private people(): (userId: string) => PersonView {
    const known = new Map<string, PersonView>()
    return (userId) => {
      let person = known.get(userId)
      if (!person) known.set(userId, (person = personOf(this.db, userId)))
      return person
    }
  }

  private serialise<T>(sectionId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(sectionId, work)
  }
}

interface StoredHistory {
  doc: Y.Doc
  entries: HistoryEntry[]
}

function changedAt(entries: HistoryEntry[], seq: number): string | undefined {
  const entry = entries.find((candidate) => candidate.seq === seq)
  return entry && new Date(entry.at).toISOString()
}

/** The refusal of a text change on an approved section. */
export function lockedError(section: SectionRecord): ApiError {
  return forbidden(`"${section.title}" is approved and locked; reopen it before restoring a version`)
}
