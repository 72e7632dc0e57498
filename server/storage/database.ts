import type { AuditAction } from '../../shared/audit.js'
import type { Locale } from '../../shared/locales.js'
import { Low } from 'lowdb'
import { readFile } from 'node:fs/promises'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Anchor } from '../../shared/anchors.js'
import type { InputKind, InputStatus } from '../../shared/inputs.js'
import type { Role, SectionStatus } from '../../shared/roles.js'
import type { Disposition } from '../../shared/threads.js'
import type { VersionKind } from '../../shared/versions.js'
import { writeFileAtomic } from './atomicFile.js'

export interface UserRecord {
  id: string
  email: string
  name: string
  organisation: string
  role: Role
  color: string
  /** `scrypt$N$r$p$salt$hash`, see auth/passwords.ts. */
  passwordHash: string
  active: boolean
  createdAt: string
  /** The interface language the user chose; absent until they choose one. */
  language?: Locale
}

export interface SessionRecord {
  /** SHA-256 of the cookie token: a leaked data file does not leak sessions. */
  tokenHash: string
  userId: string
  createdAt: string
  expiresAt: string
}

export interface DocumentRecord {
  id: string
  title: string
  createdAt: string
}

export interface ApprovalRecord {
  /** Display name and organisation of the approver, as exports show it. */
  by: string
  byUserId: string
  at: string
  /** SHA-256 of the approved canonical ProseMirror JSON. */
  hash: string
  /** Label under which the store kept the approved Yjs state. */
  stateLabel: string
}

/** The last request for changes on a section, shown to its drafters. */
export interface ChangeRequestRecord {
  by: string
  byUserId: string
  at: string
  note: string
}

export interface InviteRecord {
  /** SHA-256 of the one-time token in the invite link. */
  tokenHash: string
  userId: string
  createdBy: string
  createdAt: string
  expiresAt: string
  usedAt: string | null
}

export interface AuditRecord {
  id: string
  at: string
  /** User id of who did it; null for failed logins of unknown accounts. */
  actorId: string | null
  /** Name or email of who did it, kept even if the user is later renamed. */
  actor: string
  action: AuditAction
  /** What it was done to: a section, a user, a document. */
  target: { type: 'section' | 'user' | 'document'; id: string; label: string } | null
  details: string
  ip: string | null
}

export { AUDIT_ACTIONS, type AuditAction } from '../../shared/audit.js'

export interface SectionRecord {
  id: string
  documentId: string
  title: string
  /** Order within the document. */
  position: number
  status: SectionStatus
  approval: ApprovalRecord | null
  changeRequest: ChangeRequestRecord | null
  createdAt: string
  /** Set when an admin deleted the section; its stored text is kept. */
  deletedAt: string | null
}

/** Everything kept in `db.json`. Section text is not here: see FileDocumentStore. */
export interface DatabaseShape {
  users: UserRecord[]
  sessions: SessionRecord[]
  documents: DocumentRecord[]
  sections: SectionRecord[]
  invites: InviteRecord[]
  audit: AuditRecord[]
  inputs: InputRecord[]
  threads: ThreadRecord[]
  versions: VersionRecord[]
}

export function emptyDatabase(): DatabaseShape {
  return { users: [], sessions: [], documents: [], sections: [], invites: [], audit: [], inputs: [], threads: [], versions: [] }
}

/**
 * A version of a section: a position in its stored update history (the
 * text after update `seq`), so the live document needs no snapshot of its own.
 */
export interface VersionRecord {
  id: string
  sectionId: string
  kind: VersionKind
  label: string
  seq: number
  createdAt: string
  /** User id of who named, restored or changed the status; null for automatic checkpoints. */
  createdBy: string | null
  /** When the update at `seq` was made. */
  changedAt: string
  /** Ids of everyone whose updates lie between the previous version and this one. */
  authors: string[]
  /** Characters inserted and deleted since the previous version. */
  inserted: number
  deleted: number
}

export interface InputRecord {
  id: string
  documentId: string
  kind: InputKind
  source: string
  title: string
  text: string
  tags: string[]
  addedBy: string
  addedAt: string
  status: InputStatus
  deferredReason: string | null
  addressedIn: string[]
  /** Set when an admin merged this duplicate into another input. */
  mergedInto: string | null
}

export interface CommentRecord {
  id: string
  authorId: string
  body: string
  createdAt: string
  editedAt: string | null
  deleted: boolean
}

export interface ThreadRecord {
  id: string
  sectionId: string
  anchor: Anchor
  comments: CommentRecord[]
  inputIds: string[]
  mentions: string[]
  status: 'open' | 'resolved'
  resolvedBy: string | null
  resolvedAt: string | null
  suggestion: { text: string; status: 'pending' | 'accepted' | 'rejected'; decidedBy: string | null; decidedAt: string | null } | null
  disposition: { value: Disposition; rationale: string; by: string; at: string } | null
  createdAt: string
}

/**
 * A lowdb adapter that writes with `writeFileAtomic` (fsync, then rename) and
 * one write at a time, so the file on disk is always a whole, recent state.
 * lowdb's own `JSONFilePreset` is avoided: it switches to memory under
 * `NODE_ENV=test`, and tests must exercise the real file.
 */
export class AtomicJsonFile<T> {
  private writing: Promise<void> = Promise.resolve()

  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    return JSON.parse(text) as T
  }

  write(data: T): Promise<void> {
    const text = JSON.stringify(data, null, 2)
    const next = this.writing.then(() => writeFileAtomic(this.path, text))
    this.writing = next.catch(() => undefined)
    return next
  }
}

/** The lowdb database of a data folder. */
export type Database = Low<DatabaseShape>

/** Opens (or creates) `<dataDir>/db.json`. */
export async function openDatabase(dataDir: string): Promise<Database> {
  const path = `${dataDir}/db.json`
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const db = new Low<DatabaseShape>(new AtomicJsonFile<DatabaseShape>(path), emptyDatabase())
  await db.read()
  db.data = { ...emptyDatabase(), ...db.data }
  return db
}
