import * as Y from 'yjs'
import { Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import { encodePersisted } from '../../shared/relayProtocol.js'
import type { IncomingUpdate } from '../storage/documentStore.js'
import type { Identity, RelayHooks } from './hooks.js'
import { awarenessMessage, updateMessage } from './messages.js'

/** What a room needs of a connection: a way to send, and who it is. */
export interface RoomMember {
  readonly identity: Identity
  /** Awareness client ids this member has claimed. */
  readonly clientIds: Set<number>
  send(message: Uint8Array): void
}

const MAX_RETIRED_CLIENT_IDS = 4096
const STORE_RETRY_MS = [100, 500, 1000, 2000, 5000]

/**
 * One section loaded in memory: its Y.Doc, its awareness and its members.
 * Updates that arrive in one event-loop turn are merged and sent once to
 * every member; they are persisted in batches, after which members are told
 * which state is on disk.
 */
export class SectionRoom {
  readonly doc = new Y.Doc()
  readonly awareness = new Awareness(this.doc)
  readonly members = new Set<RoomMember>()

  private broadcastUpdates: Uint8Array[] = []
  /** The sole member whose updates fill `broadcastUpdates`, or null if several did. */
  private broadcastOrigin: RoomMember | null | undefined
  private broadcastAwareness = new Set<number>()
  private flushScheduled = false

  /** Awareness client ids of members who left, and whose they were. */
  private readonly retiredClientIds = new Map<number, string>()

  private unstored: IncomingUpdate[] = []
  private storing: Promise<void> | null = null
  private storeFailures = 0
  private retryTimer: NodeJS.Timeout | null = null
  private persistedStateVector: Uint8Array | null = null
  private idleWaiters: Array<() => void> = []
  destroyed = false

  constructor(
    readonly sectionId: string,
    private readonly hooks: RelayHooks,
  ) {
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin))
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChanges) => {
      for (const clientId of [...added, ...updated, ...removed]) this.broadcastAwareness.add(clientId)
      this.scheduleFlush()
    })
  }

  /** Bytes of updates this section holds: its stored size plus what was added since. */
  approximateBytes = 0

  /** Applies the stored state; must run before any member is served. */
  loadFrom(stored: Uint8Array | null): void {
    if (stored) Y.applyUpdate(this.doc, stored, this)
    this.approximateBytes = stored?.length ?? 0
    this.persistedStateVector = Y.encodeStateVector(this.doc)
  }

  /**
   * Applies a member's update. Returns false if part of it depends on
   * changes the server does not have: that part is dropped rather than kept
   * pending, so it is never stored, relayed or served to new clients.
   */
  apply(update: Uint8Array, member: RoomMember): boolean {
    Y.applyUpdate(this.doc, update, member)
    const store = this.doc.store
    if (store.pendingStructs === null && store.pendingDs === null) return true
    store.pendingStructs = null
    store.pendingDs = null
    return false
  }

  /** How many bytes of `update` are new to this section. */
  newBytesIn(update: Uint8Array): number {
    return Y.diffUpdate(update, Y.encodeStateVector(this.doc)).length
  }

  /** Whether the section already holds everything in `update`. */
  contains(update: Uint8Array): boolean {
    return Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)
  }

  /** The message telling a member which state is on disk. */
  persistedMessage(): Uint8Array | null {
    return this.persistedStateVector && encodePersisted(this.persistedStateVector)
  }

  add(member: RoomMember): void {
    this.members.add(member)
    this.hooks.onPresence?.(this.sectionId, this.present())
  }

  /**
   * Gives `clientId` to `member` unless another member holds it, or held it
   * and left: an echo of a departed client must not come back as a ghost.
   * A user reconnecting with the same client id gets it back.
   */
  claimClientId(member: RoomMember, clientId: number): boolean {
    for (const other of this.members) if (other !== member && other.clientIds.has(clientId)) return false
    const retiredBy = this.retiredClientIds.get(clientId)
    if (retiredBy !== undefined && retiredBy !== member.identity.id) return false
    this.retiredClientIds.delete(clientId)
    member.clientIds.add(clientId)
    return true
  }

  remove(member: RoomMember): void {
    if (!this.members.delete(member)) return
    for (const clientId of member.clientIds) {
      this.retiredClientIds.delete(clientId)
      this.retiredClientIds.set(clientId, member.identity.id)
    }
    while (this.retiredClientIds.size > MAX_RETIRED_CLIENT_IDS) {
      this.retiredClientIds.delete(this.retiredClientIds.keys().next().value!)
    }
    if (member.clientIds.size > 0) removeAwarenessStates(this.awareness, [...member.clientIds], member)
    this.hooks.onPresence?.(this.sectionId, this.present())
  }

  /** The distinct people connected, in the order they joined. */
  present(): Identity[] {
    const byId = new Map<string, Identity>()
    for (const member of this.members) byId.set(member.identity.id, member.identity)
    return [...byId.values()]
  }

  /** The current awareness states as one message, for a member who just joined. */
  awarenessSnapshot(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()]
    return clients.length > 0 ? awarenessMessage(encodeAwarenessUpdate(this.awareness, clients)) : null
  }

  /** Whether every update has been persisted. */
  get idle(): boolean {
    return this.unstored.length === 0 && this.storing === null
  }

  /** Resolves once every update received so far is persisted (or the room is destroyed). */
  whenIdle(): Promise<void> {
    if (this.idle || this.destroyed) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Persists what is pending now instead of after the current batch. */
  flushNow(): Promise<void> {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer)
      this.retryTimer = null
      this.startStore()
    }
    return this.whenIdle()
  }

  destroy(): void {
    this.destroyed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.awareness.destroy()
    this.doc.destroy()
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === this) return
    const member = origin as RoomMember
    this.approximateBytes += update.length
    this.unstored.push({ update, author: member.identity.id, at: Date.now() })
    if (this.storing === null && this.retryTimer === null) this.startStore()
    this.broadcastUpdates.push(update)
    this.broadcastOrigin = this.broadcastOrigin === undefined || this.broadcastOrigin === member ? member : null
    this.scheduleFlush()
    this.hooks.onChange?.(this.sectionId)
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => this.flushBroadcast())
  }

  private flushBroadcast(): void {
    this.flushScheduled = false
    if (this.destroyed) return
    if (this.broadcastUpdates.length > 0) {
      const updates = this.broadcastUpdates
      const origin = this.broadcastOrigin
      this.broadcastUpdates = []
      this.broadcastOrigin = undefined
      const message = updateMessage(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates))
      for (const member of this.members) if (member !== origin) member.send(message)
    }
    if (this.broadcastAwareness.size > 0) {
      const clients = [...this.broadcastAwareness]
      this.broadcastAwareness.clear()
      const message = awarenessMessage(encodeAwarenessUpdate(this.awareness, clients))
      for (const member of this.members) member.send(message)
    }
  }

  // Group commit: one store runs at a time, and whatever arrives meanwhile
  // goes to disk together in the next one.
  private startStore(): void {
    const batch = this.unstored
    this.unstored = []
    const stateVector = Y.encodeStateVector(this.doc)
    this.storing = this.hooks.store(this.sectionId, batch).then(
      () => {
        this.storing = null
        if (this.storeFailures > 0) this.hooks.onStoreRecovered?.(this.sectionId)
        this.storeFailures = 0
        this.persistedStateVector = stateVector
        const message = encodePersisted(stateVector)
        for (const member of this.members) member.send(message)
        this.afterStore()
      },
      (error: unknown) => {
        this.storing = null
        this.unstored = batch.concat(this.unstored)
        this.hooks.onStoreError?.(this.sectionId, error)
        const delay = STORE_RETRY_MS[Math.min(this.storeFailures, STORE_RETRY_MS.length - 1)]!
        this.storeFailures++
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null
          this.startStore()
        }, delay)
      },
    )
  }

  private afterStore(): void {
    if (this.unstored.length > 0) return this.startStore()
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }
}

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}
