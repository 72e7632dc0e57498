import { randomUUID } from 'node:crypto'
import type { AuditAction, AuditRecord, Database, UserRecord } from '../storage/database.js'

/** What an audit query may filter on. */
export interface AuditFilter {
  action?: AuditAction
  actorId?: string
  targetId?: string
  since?: string
  until?: string
  limit: number
}

/**
 * The append-only audit log: logins, role changes, workflow steps, exports,
 * restores. Entries are only ever added; the API can read and filter them.
 */
export class AuditLog {
  constructor(private readonly db: Database) {}

  /** Appends an entry and writes it to disk. */
  async record(entry: {
    actor: UserRecord | { id: null; name: string }
    action: AuditAction
    target?: AuditRecord['target']
    details?: string
    ip?: string | null
  }): Promise<AuditRecord> {
    const record: AuditRecord = {
      id: randomUUID(),
      at: new Date().toISOString(),
      actorId: entry.actor.id,
      actor: entry.actor.name,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? '',
      ip: entry.ip ?? null,
    }
    this.db.data.audit.push(record)
    await this.db.write()
    return record
  }

  /** Entries matching `filter`, newest first. */
  query(filter: AuditFilter): AuditRecord[] {
    const matches: AuditRecord[] = []
    for (let i = this.db.data.audit.length - 1; i >= 0 && matches.length < filter.limit; i--) {
      const record = this.db.data.audit[i]!
      if (filter.action && record.action !== filter.action) continue
      if (filter.actorId && record.actorId !== filter.actorId) continue
      if (filter.targetId && record.target?.id !== filter.targetId) continue
      if (filter.since && record.at < filter.since) continue
      if (filter.until && record.at > filter.until) continue
      matches.push(record)
    }
    return matches
  }
}
