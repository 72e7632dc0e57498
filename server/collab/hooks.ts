import type { IncomingMessage } from 'node:http'
import type { Access, ReadOnlyReason } from '../../shared/relayProtocol.js'
import type { IncomingUpdate, StoredState } from '../storage/documentStore.js'

/** Who a connection belongs to, as everyone else in the section sees them. */
export interface Identity {
  id: string
  name: string
  organisation: string
  color: string
}

/** The answer of `authorize`: an access level, or why the connection is refused. */
export type AuthorizeResult = { access: Access; reason: ReadOnlyReason } | { refuse: 'unknown' | 'forbidden'; reason: string }

/**
 * Everything the relay needs to know about the world. The relay itself knows
 * nothing of users, roles or files: policy lives in these hooks, and a hook
 * that throws refuses what it was asked about.
 */
export interface RelayHooks {
  /** The identity behind an upgrade request, or null without a valid session. */
  authenticate(request: IncomingMessage): Identity | null
  /**
   * Whether `identity` may open `sectionId`, and with which access. It is
   * synchronous so that a change of access (an approval, a role change)
   * takes effect for every open connection within the same tick.
   */
  authorize(identity: Identity, sectionId: string): AuthorizeResult
  /** The stored state of a section (null if none). Throwing makes the section unavailable. */
  load(sectionId: string): Promise<StoredState | null>
  /** Persists updates; resolves when they are durable. Entries may carry the relay's own fields besides these. */
  store(sectionId: string, updates: IncomingUpdate[]): Promise<void>
  /** The section's document changed (after it was applied in memory). */
  onChange?(sectionId: string): void
  /** The people connected to a section changed. */
  onPresence?(sectionId: string, present: Identity[]): void
  /** The section was unloaded from memory after its last client left. */
  onUnload?(sectionId: string): Promise<void> | void
  /** Persisting failed; the relay keeps the updates and retries. */
  onStoreError?(sectionId: string, error: unknown): void
  /** Persisting works again after a failure. */
  onStoreRecovered?(sectionId: string): void
}
