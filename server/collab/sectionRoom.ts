import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import { encodePersisted, persistedEncoder } from '../../shared/relayProtocol.js'
import type { IncomingUpdate, StoredState } from '../storage/documentStore.js'
import { outlineFrom, type UpdateOutline } from '../storage/updateRecords.js'
import type { Identity, RelayHooks } from './hooks.js'
import { awarenessMessage, syncStep2Message, updateMessage } from './messages.js'
import { StorePacing } from './storePacing.js'

/** What a room needs of a connection: a way to send, and who it is. */
export interface RoomMember {
  readonly identity: Identity
  /** Awareness client ids this member has claimed. */
  readonly clientIds: Set<number>
  /** Document messages received from this member so far. */
  readonly documentMessages: number
  /** Document messages of this member last reported persisted. */
  acknowledged: number
  /**
   * Sends the messages in order, in one write where the transport allows.
   * A message must not change once sent: it may be framed once and the
   * frame kept for every other member it goes to.
   */
  send(...messages: Uint8Array[]): void
}

/** Author of changes the server's own Y.Doc makes (e.g. Yjs cleaning up formatting). */
export const SERVER_AUTHOR = 'system'

const MAX_RETIRED_CLIENT_IDS = 4096
/** Transaction origin of pending updates applied together, not yet sent to members. */
const PENDING = Symbol('pending updates')
/** Transaction origin of pending updates already sent to members as they came. */
const PENDING_SENT = Symbol('pending updates, sent')
/** Rooms up to this many members broadcast on every turn of the event loop. */
const SMALL_ROOM_MEMBERS = 64
/**
 * In a larger room, per member, the least time between two broadcasts, in
 * milliseconds: 10 ms for 200 members, whose broadcast (about 2 ms of
 * writes on the bench's machine) then fills about a fifth of the time.
 */
const BROADCAST_SPACING_MS = 0.05
const STORE_RETRY_MS = [100, 500, 1000, 2000, 5000]
/** `storing` while a store gathers its batch. */
const STARTING: Promise<void> = Promise.resolve()
/**
 * The news that a member's changes are on disk rides with the next
 * broadcast, in the same write; when none is due, it goes alone after this
 * many milliseconds.
 */
const ACK_WAIT_MS = 25

/**
 * A member's update, checked and accepted, waiting to be applied with the
 * others, then stored as it is: one object from its arrival to its store.
 */
interface PendingUpdate extends IncomingUpdate {
  member: RoomMember
  /** For its history entry, as `accept`'s checks read it. */
  outline: UpdateOutline
}

/** Why an accepted update could not be applied after all; see `SectionRoom.apply`. */
export type ApplyFailure = 'malformed' | 'incomplete'

/**
 * One section loaded in memory: its Y.Doc, its awareness and its members.
 * Updates that arrive until the next broadcast are applied together, in one
 * Yjs transaction, and sent once to every member as one merged update; they
 * are persisted in batches, after which members are told which state is on
 * disk.
 */
export class SectionRoom {
  private readonly ydoc = new Y.Doc()
  readonly awareness = new Awareness(this.ydoc)
  readonly members = new Set<RoomMember>()
  /**
   * The stored state, not yet applied to `ydoc`. Reading a large section
   * into a Y.Doc takes tens of milliseconds; a client that asks for the
   * whole section gets these bytes as they are, and the document is built
   * only once something needs it (see `doc`).
   */
  private unapplied: StoredState | null = null

  private broadcastUpdates: Uint8Array[] = []
  /** The sole member whose updates fill `broadcastUpdates`, or null if several did. */
  private broadcastOrigin: RoomMember | null | undefined
  private broadcastAwareness = new Set<number>()
  private flushScheduled = false
  /** Set when a keystroke went out at once, until the event loop's next turn. */
  private flushedThisTurn = false
  private lastFlushAt = Number.NEGATIVE_INFINITY
  /**
   * The whole state as a sync step 2 message, kept until the next change:
   * many fresh clients joining at once cost one encoding and one copy, and
   * get the same bytes (a large section's state is hundreds of kilobytes).
   */
  private wholeStateMessage: Uint8Array | null = null

  /** Awareness client ids of members who left, and whose they were. */
  private readonly retiredClientIds = new Map<number, string>()

  private unstored: IncomingUpdate[] = []
  private storing: Promise<void> | null = null
  private storeFailures = 0
  /** Set while the next store waits: for the spacing after the last one, or to retry a failed one. */
  private storeTimer: NodeJS.Timeout | null = null
  /** The state vector on disk; until the section loads, the empty one. */
  private persistedStateVector: Uint8Array = new Uint8Array([0])
  /** Members to be told at the next broadcast how many of their messages are on disk (`acknowledged`). */
  private readonly acksDue = new Set<RoomMember>()
  private ackTimer: NodeJS.Timeout | null = null
  private idleWaiters: Array<() => void> = []
  destroyed = false
  /** Set when the room was taken out of service; see Relay.discardRoom. */
  discarded = false
  /** Changes emitted while an update is being applied, held until it applied completely. */
  private applying: Array<[Uint8Array, unknown]> | null = null
  /**
   * Accepted updates not yet applied to `ydoc`. A Yjs transaction costs tens
   * of microseconds however small, more the more clients ever wrote in the
   * section, so keystrokes are applied together: when the room stores (or
   * as soon as something reads the document), or at a broadcast that sends
   * several at once. A keystroke broadcast alone goes out as it came.
   */
  private pending: PendingUpdate[] = []
  /** How many of `pending`, from the first, were sent to members as they came. */
  private pendingSent = 0
  /** Per Yjs client, the clock after the last struct of `pending`. */
  private readonly pendingClocks = new Map<number, number>()

  /**
   * @param onApplyFailed called when an update that passed `accept`'s checks
   *   could not be applied after all: the room's document may then hold part
   *   of it, and the room must be discarded.
   */
  constructor(
    readonly sectionId: string,
    private readonly hooks: RelayHooks,
    private readonly onApplyFailed: (member: RoomMember, failure: ApplyFailure) => void = () => undefined,
    /** Shared by the rooms of a relay: how long a room waits between two stores. */
    private readonly pacing = new StorePacing(),
  ) {
    this.awareness.setLocalState(null)
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin))
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChanges) => {
      for (const clientId of [...added, ...updated, ...removed]) this.broadcastAwareness.add(clientId)
      this.scheduleFlush()
    })
  }

  /** Bytes of updates this section holds: its stored size plus what was added since. */
  approximateBytes = 0

  /** Takes the stored state; must run before any member is served. */
  loadFrom(stored: StoredState | null): void {
    // Copied: a view into the bytes the store read would keep all of them
    // (the snapshot with its deleted content) for as long as the room is open.
    const stateVector = stored ? new Uint8Array(stored.stateVector) : Y.encodeStateVector(this.ydoc)
    // Without deleted content where the store kept it so: clients need none,
    // and the room's Y.Doc would collect it as garbage anyway.
    this.unapplied = stored ? { update: stored.lean ?? stored.update, stateVector } : null
    this.wholeStateMessage = null
    this.approximateBytes = stored?.update.length ?? 0
    this.persistedStateVector = stateVector
  }

  /** The section's document, with everything stored and accepted since. */
  get doc(): Y.Doc {
    this.applyStored()
    this.applyPending()
    return this.ydoc
  }

  private applyStored(): void {
    if (!this.unapplied) return
    const stored = this.unapplied
    this.unapplied = null
    Y.applyUpdate(this.ydoc, stored.update, this)
  }

  /** The section's state vector, without reading the stored state into memory. */
  stateVector(): Uint8Array {
    // Nothing is pending before the stored state is applied (see `accept`).
    return this.unapplied ? this.unapplied.stateVector : Y.encodeStateVector(this.doc)
  }

  /**
   * Checks a member's update before anything is applied and, if it can be
   * applied, takes it. One made only of new structs (a keystroke) waits to
   * be applied with the others, and is stored as it came; one that repeats
   * some of what the section holds (a reconnecting client's sync) is applied
   * at once, and only what it adds is stored. Either way it reaches the
   * others at the next broadcast.
   *
   * Returns why it cannot be applied as it is, leaving the section
   * untouched: `malformed` if an item refers to a later item of its own
   * client (Yjs would throw half-way), `incomplete` if it builds on changes
   * the section does not have (Yjs would keep part of it pending); null once
   * it is taken.
   */
  accept(update: Uint8Array, decoded: ReturnType<typeof Y.decodeUpdate>, member: RoomMember): 'malformed' | 'incomplete' | null {
    this.applyStored()
    const carried = new Map<number, [number, number]>()
    let repeats = false
    for (const struct of decoded.structs) {
      if (struct instanceof Y.Skip) return 'incomplete'
      // Yjs never writes an empty struct (an empty string, a GC of length
      // 0), which would take a clock range of nothing.
      if (struct.length === 0) return 'malformed'
      const { client, clock } = struct.id
      const range = carried.get(client)
      // Below what the section holds, or below the update's own earlier structs: known in part.
      if (clock < (range ? range[1] : this.clockOf(client))) repeats = true
      const end = clock + struct.length
      carried.set(client, range ? [Math.min(range[0], clock), Math.max(range[1], end)] : [clock, end])
    }
    // Yjs encodes each client's structs as one run, and a second run of the
    // same client replaces the first in every Yjs that reads the update.
    if (decoding.readVarUint(decoding.createDecoder(update)) !== carried.size) return 'malformed'
    const problem = this.problemOf(decoded, carried)
    if (problem !== null) return problem
    if (repeats) {
      this.apply(update, member)
      return null
    }
    for (const [client, [, end]] of carried) this.pendingClocks.set(client, end)
    // A copy, since the received bytes are a view into the socket's read
    // buffer. Taken (below 4 kB) from Node's shared pool: with `slice`, a
    // sampled run kept three times the bytes per waiting keystroke. Viewed
    // as a plain Uint8Array, whose `slice` copies as a Buffer's does not.
    const pooled = Buffer.from(update)
    const copy = new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length)
    const outline = outlineFrom(carried, decoded.ds)
    this.pending.push({ update: copy, author: member.identity.id, at: Date.now(), member, outline })
    this.approximateBytes += update.length
    this.wholeStateMessage = null
    // Sent first: a store starting now applies what is pending, and its
    // changes would go out only at the end of the turn. Stored whatever the
    // sending met.
    try {
      this.scheduleFlush(true)
    } finally {
      this.scheduleStore()
    }
    return null
  }

  /** `accept`'s checks of what an update refers to, given each client's clock range in it. */
  private problemOf(update: ReturnType<typeof Y.decodeUpdate>, carried: Map<number, [number, number]>): 'malformed' | 'incomplete' | null {
    for (const [client, [from]] of carried) if (from > this.clockOf(client)) return 'incomplete'
    const known = (id: Y.ID): boolean => {
      const range = carried.get(id.client)
      return id.clock < this.clockOf(id.client) || (range !== undefined && id.clock >= range[0] && id.clock < range[1])
    }
    for (const struct of update.structs) {
      if (!(struct instanceof Y.Item)) continue
      for (const reference of [struct.origin, struct.rightOrigin, struct.parent]) {
        if (!(reference instanceof Y.ID)) continue
        if (reference.client === struct.id.client && reference.clock >= struct.id.clock) return 'malformed'
        if (!known(reference)) return 'incomplete'
      }
    }
    for (const [client, deleted] of update.ds.clients) {
      const limit = Math.max(this.clockOf(client), carried.get(client)?.[1] ?? 0)
      for (const { clock, len } of deleted) if (clock + len > limit) return 'incomplete'
    }
    return null
  }

  /** The clock after the last struct of `client` the section holds or has accepted. */
  private clockOf(client: number): number {
    return Math.max(Y.getState(this.ydoc.store, client), this.pendingClocks.get(client) ?? 0)
  }

  /**
   * Applies a member's update at once (after the pending ones), all or
   * nothing as far as anyone else can tell: what it changes is stored and
   * sent only if it applied completely. `malformed` (applying threw) and
   * `incomplete` (part of it depends on changes the server does not have)
   * leave the in-memory document possibly holding part of it, unsent, and
   * are reported to `onApplyFailed`.
   */
  apply(update: Uint8Array, member: RoomMember): 'applied' | ApplyFailure {
    const doc = this.doc
    this.applying = []
    const outcome = applyCompletely(doc, update, member)
    const held = this.applying
    this.applying = null
    if (outcome !== 'applied') {
      this.onApplyFailed(member, outcome)
      return outcome
    }
    for (const [changes, origin] of held) this.commit(changes, origin)
    return outcome
  }

  /**
   * Applies the pending updates, those already sent in one transaction and
   * the others in another. They are stored as they came, each with its
   * author; the second transaction's own update, holding all of the unsent
   * ones, is what members are sent.
   */
  private applyPending(): void {
    if (this.pending.length === 0 || this.destroyed) return
    const pending = this.pending
    const sent = this.pendingSent
    this.pending = []
    this.pendingSent = 0
    this.pendingClocks.clear()
    this.applying = []
    const failed = this.applyTogether(pending.slice(0, sent), PENDING_SENT) ?? this.applyTogether(pending.slice(sent), PENDING)
    const held = this.applying
    this.applying = null
    if (failed) {
      const [entry, outcome] = failed
      this.onApplyFailed(entry.member, outcome)
      return
    }
    for (const entry of pending) this.unstored.push(entry)
    this.scheduleStore()
    const unsent = pending.slice(sent)
    const author = unsent.every((entry) => entry.member === unsent[0]!.member) ? (unsent[0]?.member ?? null) : null
    for (const [changes, origin] of held) {
      if (origin === PENDING) this.queueBroadcast(changes, author)
      else if (origin !== PENDING_SENT) this.commit(changes, origin)
    }
    this.changed()
  }

  /** Applies `entries` in one transaction; returns the first that failed, and how. */
  private applyTogether(entries: PendingUpdate[], origin: symbol): [PendingUpdate, ApplyFailure] | null {
    if (entries.length === 0) return null
    let failed: [PendingUpdate, ApplyFailure] | null = null
    this.ydoc.transact(() => {
      for (const entry of entries) {
        const outcome = applyCompletely(this.ydoc, entry.update, entry.member)
        if (outcome !== 'applied') {
          failed = [entry, outcome]
          return
        }
      }
    }, origin)
    return failed
  }

  /** How many bytes of `update` are new to this section. */
  newBytesIn(update: Uint8Array): number {
    return Y.diffUpdate(update, Y.encodeStateVector(this.doc)).length
  }

  /** Whether the section already holds everything in `update`. */
  contains(update: Uint8Array): boolean {
    return Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)
  }

  /** The answer to a client's sync step 1: what a client with `stateVector` lacks, as a sync step 2 message. */
  syncStep2For(stateVector: Uint8Array): Uint8Array {
    // An empty state vector (a fresh client) asks for everything.
    if (stateVector.length === 1 && stateVector[0] === 0) {
      if (this.wholeStateMessage === null) {
        const whole = this.unapplied?.update ?? Y.encodeStateAsUpdate(this.doc)
        this.wholeStateMessage = syncStep2Message(whole)
        // The message ends with the stored state: that copy is the one the
        // room keeps, not also the bytes the store read.
        if (this.unapplied) this.unapplied.update = this.wholeStateMessage.subarray(this.wholeStateMessage.length - whole.length)
      }
      return this.wholeStateMessage
    }
    const missing = this.unapplied
      ? Y.diffUpdate(this.unapplied.update, stateVector)
      : Y.encodeStateAsUpdate(this.doc, stateVector)
    return syncStep2Message(missing)
  }

  /** The message telling a member that just joined which state is on disk. */
  persistedMessage(): Uint8Array {
    return encodePersisted(this.persistedStateVector, 0)
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
    this.acksDue.delete(member)
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
    return this.pending.length === 0 && this.unstored.length === 0 && this.storing === null
  }

  /** Resolves once every update received so far is persisted (or the room is destroyed). */
  whenIdle(): Promise<void> {
    if (this.idle || this.destroyed) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Persists what is pending now instead of after the current batch, and tells members. */
  async flushNow(): Promise<void> {
    this.applyPending()
    if (this.storeTimer) {
      clearTimeout(this.storeTimer)
      this.storeTimer = null
      this.startStore()
    }
    await this.whenIdle()
    this.flushBroadcast()
  }

  destroy(): void {
    this.destroyed = true
    if (this.storeTimer) clearTimeout(this.storeTimer)
    if (this.ackTimer) clearTimeout(this.ackTimer)
    this.awareness.destroy()
    this.ydoc.destroy()
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  // Runs inside Yjs's transaction cleanup, where a throw would stop the doc
  // from ever emitting updates again: it must not throw.
  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === this) return
    if (this.applying) {
      this.applying.push([update, origin])
      return
    }
    this.commit(update, origin)
  }

  private commit(update: Uint8Array, origin: unknown): void {
    // Anything else than a member's update is the server's own doc changing
    // itself (Yjs cleans up formatting marks after a concurrent delete):
    // stored and sent to everyone like any other change.
    const member = this.isMember(origin) ? origin : null
    this.approximateBytes += update.length
    this.unstored.push({ update, author: member?.identity.id ?? SERVER_AUTHOR, at: Date.now() })
    this.scheduleStore()
    this.queueBroadcast(update, member)
    this.changed()
  }

  /** Queues `update` for the next broadcast; `from` is not sent it back. */
  private queueBroadcast(update: Uint8Array, from: RoomMember | null): void {
    this.wholeStateMessage = null
    this.broadcastUpdates.push(update)
    this.broadcastOrigin = this.broadcastOrigin === undefined || this.broadcastOrigin === from ? from : null
    this.scheduleFlush()
  }

  private changed(): void {
    try {
      this.hooks.onChange?.(this.sectionId)
    } catch (error) {
      console.error(`section ${this.sectionId}: onChange failed`, error)
    }
  }

  private isMember(origin: unknown): origin is RoomMember {
    return typeof origin === 'object' && origin !== null && 'identity' in origin && 'clientIds' in origin
  }

  // One write per member per broadcast is the relay's main cost in a full
  // room, so a large room broadcasts at most once per BROADCAST_SPACING_MS ×
  // members: what arrives meanwhile goes out merged. An update after a quiet
  // spell still goes out on the next turn of the event loop.
  //
  // In a small room, the first keystroke of a turn goes out at once, while
  // the read that brought it is handled: held to the end of the turn, it
  // would wait for every other socket read in it (with twenty busy sections,
  // a millisecond at the 99th percentile). Whatever follows in the same turn
  // goes out together at its end.
  private scheduleFlush(keystroke = false): void {
    if (this.flushScheduled) return
    const spacing = this.members.size > SMALL_ROOM_MEMBERS ? this.members.size * BROADCAST_SPACING_MS : 0
    if (keystroke && spacing === 0 && !this.flushedThisTurn) {
      // Nothing else is queued (no flush is due), so it goes as it came.
      this.flushedThisTurn = true
      setImmediate(() => (this.flushedThisTurn = false))
      return this.flushBroadcast()
    }
    this.flushScheduled = true
    const wait = this.lastFlushAt + spacing - performance.now()
    if (wait > 1) setTimeout(() => this.flushBroadcast(), wait)
    else setImmediate(() => this.flushBroadcast())
  }

  /** Starts a store, or sets the timer for one, unless one runs or is due already. */
  private scheduleStore(): void {
    if (this.storing !== null || this.storeTimer !== null) return
    const wait = this.pacing.wait(this.sectionId, performance.now())
    if (wait === 0) return this.startStore()
    this.storeTimer = setTimeout(() => {
      this.storeTimer = null
      this.startStore()
    }, wait)
  }

  // Each member gets at most one write per broadcast: the update, the
  // awareness changes and the news of what is on disk go together.
  private flushBroadcast(): void {
    this.flushScheduled = false
    this.lastFlushAt = performance.now()
    if (this.ackTimer) clearTimeout(this.ackTimer)
    this.ackTimer = null
    if (this.destroyed) return
    let update: Uint8Array | null = null
    let origin: RoomMember | null | undefined
    if (this.pending.length - this.pendingSent === 1 && this.broadcastUpdates.length === 0) {
      // Checked by `accept` and made only of new structs, it is sent as it came.
      const entry = this.pending[this.pending.length - 1]!
      this.pendingSent = this.pending.length
      update = updateMessage(entry.update)
      origin = entry.member
    } else {
      this.applyPending()
      if (this.broadcastUpdates.length > 0) {
        const updates = this.broadcastUpdates
        origin = this.broadcastOrigin
        this.broadcastUpdates = []
        this.broadcastOrigin = undefined
        update = updateMessage(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates))
      }
    }
    let awareness: Uint8Array | null = null
    if (this.broadcastAwareness.size > 0) {
      const clients = [...this.broadcastAwareness]
      this.broadcastAwareness.clear()
      awareness = awarenessMessage(encodeAwarenessUpdate(this.awareness, clients))
    }
    if (update === null && awareness === null && this.acksDue.size === 0) return
    const persisted = this.acksDue.size > 0 ? persistedEncoder(this.persistedStateVector) : null
    // One list for all members rather than one built per member, which was
    // an eighth of what a relay with twenty busy sections allocated.
    const toOrigin = awareness === null ? [] : [awareness]
    const toOthers = update === null ? toOrigin : [update, ...toOrigin]
    for (const member of this.members) {
      const shared = member === origin ? toOrigin : toOthers
      if (persisted !== null && this.acksDue.has(member)) member.send(...shared, persisted(member.acknowledged))
      else if (shared.length > 0) member.send(...shared)
    }
    this.acksDue.clear()
  }

  /**
   * Tells `member` that its messages up to `acknowledged` are on disk, with
   * the next broadcast, or alone in ACK_WAIT_MS if none is due.
   */
  private acknowledge(member: RoomMember): void {
    if (this.destroyed) return
    this.acksDue.add(member)
    if (this.ackTimer === null && !this.flushScheduled) this.ackTimer = setTimeout(() => this.flushBroadcast(), ACK_WAIT_MS)
  }

  // Group commit: one store runs at a time, and whatever arrives meanwhile
  // goes to disk together in the next one.
  private startStore(): void {
    if (this.storeTimer) clearTimeout(this.storeTimer)
    this.storeTimer = null
    this.pacing.stored(this.sectionId, performance.now())
    // Marked running first: applying what is pending goes into this batch
    // and must not start another store.
    this.storing = STARTING
    this.applyPending()
    const stateVector = this.stateVector()
    const batch = this.unstored
    this.unstored = []
    // Every message handled so far has its changes in this batch or an earlier one.
    const covered = new Map([...this.members].map((member) => [member, member.documentMessages]))
    this.storing = this.hooks.store(this.sectionId, batch).then(
      () => {
        this.storing = null
        if (this.storeFailures > 0) this.hooks.onStoreRecovered?.(this.sectionId)
        this.storeFailures = 0
        this.persistedStateVector = stateVector
        // Only members with newly saved messages are told, each its own count.
        for (const [member, messages] of covered) {
          if (messages === member.acknowledged || !this.members.has(member)) continue
          member.acknowledged = messages
          this.acknowledge(member)
        }
        this.afterStore()
      },
      (error: unknown) => {
        this.storing = null
        this.unstored = batch.concat(this.unstored)
        this.hooks.onStoreError?.(this.sectionId, error)
        const delay = STORE_RETRY_MS[Math.min(this.storeFailures, STORE_RETRY_MS.length - 1)]!
        this.storeFailures++
        this.storeTimer = setTimeout(() => {
          this.storeTimer = null
          this.startStore()
        }, delay)
      },
    )
  }

  private afterStore(): void {
    if (this.unstored.length > 0 || this.pending.length > 0) return this.scheduleStore()
    // Idle: every message handled so far is on disk, including those that changed nothing.
    for (const member of this.members) this.acknowledgeIfIdle(member)
    for (const resolve of this.idleWaiters.splice(0)) resolve()
  }

  /**
   * Tells a member all its document messages are on disk, if they are: when
   * nothing is waiting to be stored. Called after each of its messages, so
   * that one that changed nothing is acknowledged too.
   */
  acknowledgeIfIdle(member: RoomMember): void {
    if (!this.idle || member.documentMessages === member.acknowledged) return
    member.acknowledged = member.documentMessages
    this.acknowledge(member)
  }
}

/**
 * Applies `update` to `doc`: `malformed` if Yjs threw, `incomplete` if part
 * of it waits for changes the document does not have (that part is dropped).
 */
function applyCompletely(doc: Y.Doc, update: Uint8Array, origin: unknown): 'applied' | ApplyFailure {
  try {
    Y.applyUpdate(doc, update, origin)
  } catch {
    return 'malformed'
  }
  const store = doc.store
  const complete = store.pendingStructs === null && store.pendingDs === null
  store.pendingStructs = null
  store.pendingDs = null
  return complete ? 'applied' : 'incomplete'
}

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}
