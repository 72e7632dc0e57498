import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { applyAwarenessUpdate } from 'y-protocols/awareness'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.js'
import { Limits, SECTION_ID_PATTERN } from '../../shared/limits.js'
import { MessageType, encodeAccess, type Access, type ReadOnlyReason } from '../../shared/relayProtocol.js'
import type { AuthorizeResult, Identity, RelayHooks } from './hooks.js'
import { decodeAwarenessUpdate, encodeAwarenessUpdate } from './awarenessMessages.js'
import { syncStep1Message } from './messages.js'
import { SectionRoom, type ApplyFailure, type RoomMember } from './sectionRoom.js'
import { StorePacing } from './storePacing.js'
import { TokenBucket } from './tokenBucket.js'
import { binaryFrame } from './websocketFrame.js'

/** Path prefix of collaboration sockets: `/collab/<sectionId>`. */
export const COLLAB_PATH = '/collab/'

const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 4
const PING_INTERVAL_MS = 30_000
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
const MALFORMED_UPDATE = 'Malformed document update'
const INCOMPLETE_UPDATE = 'An update arrived before the changes it builds on; resyncing'

/** How many sockets one user, and one network address, may hold open at once. */
export interface ConnectionCaps {
  perUser: number
  perAddress: number
}

/** Thrown for a message the relay refuses; the connection is closed with `code`. */
class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * One websocket on a section. Frames that arrive before the section is
 * loaded and the connection authorised are queued (bounded), then handled in
 * order.
 */
class Connection implements RoomMember {
  readonly clientIds = new Set<number>()
  room: SectionRoom | null = null
  access: Access = 'read'
  readOnlyReason: ReadOnlyReason = ''
  private queue: Uint8Array[] | null = []
  documentMessages = 0
  acknowledged = 0
  private readonly updates = new TokenBucket(Limits.updateBurst, Limits.updatesPerSecond)
  private readonly awarenessBudget = new TokenBucket(Limits.awarenessBurst, Limits.awarenessPerSecond)
  alive = true

  constructor(
    readonly socket: WebSocket,
    readonly identity: Identity,
    readonly sectionId: string,
    readonly address: string,
    private readonly relay: Relay,
  ) {}

  send(...messages: Uint8Array[]): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      // A reader this far behind is gone or too slow; it resyncs on reconnect.
      this.close(CloseCode.tryAgainLater, 'Too far behind; reconnecting')
      return
    }
    // Written to the TCP socket beneath ws, framed once for every receiver
    // (see websocketFrame.ts). ws queues nothing of its own here: it would
    // only to compress, which this server does not, or to read a Blob.
    const tcp = (this.socket as unknown as { _socket: Duplex })._socket
    const buffers = messages.length === 1 ? binaryFrame(messages[0]!) : messages.flatMap((message) => binaryFrame(message))
    if (buffers.length === 1) {
      tcp.write(buffers[0]!)
      return
    }
    // Corked, the socket takes them in one system call, which on a busy
    // relay costs more than building them.
    tcp.cork()
    for (const buffer of buffers) tcp.write(buffer)
    tcp.uncork()
  }

  receive(frame: Uint8Array): void {
    // Once the relay decided to close, nothing more from this socket is handled.
    if (this.socket.readyState !== this.socket.OPEN) return
    if (this.queue) {
      if (this.queue.length >= Limits.pendingFramesPerConnection) {
        this.close(CloseCode.tryAgainLater, 'Too many messages before the section was ready')
        return
      }
      this.queue.push(frame)
      return
    }
    this.handle(frame)
  }

  /** Joins the loaded room and handles what was queued meanwhile. */
  start(room: SectionRoom, access: Access, reason: ReadOnlyReason): void {
    this.room = room
    this.access = access
    this.readOnlyReason = reason
    room.add(this)
    this.send(encodeAccess({ access, reason }))
    this.send(syncStep1Message(room.stateVector()))
    const awareness = room.awarenessSnapshot()
    if (awareness) this.send(awareness)
    this.send(room.persistedMessage())
    const queued = this.queue ?? []
    this.queue = null
    for (const frame of queued) this.receive(frame)
  }

  /** Changes this connection's access and tells the client if it changed. */
  setAccess(access: Access, reason: ReadOnlyReason): void {
    if (access === this.access && reason === this.readOnlyReason) return
    this.access = access
    this.readOnlyReason = reason
    this.send(encodeAccess({ access, reason }))
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason)
    }
  }

  private handle(frame: Uint8Array): void {
    try {
      this.dispatch(frame)
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : CloseCode.badMessage
      const reason = error instanceof ProtocolError ? error.message : 'Malformed message'
      this.relay.log(`collab ${this.sectionId}: closing ${this.identity.id}'s connection: ${reason}`)
      this.close(code, reason)
    }
  }

  private dispatch(frame: Uint8Array): void {
    const room = this.room!
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.sync:
        return this.handleSync(room, decoder)
      case MessageType.awareness:
        return this.handleAwareness(room, decoding.readVarUint8Array(decoder), decoder)
      case MessageType.queryAwareness: {
        expectEnd(decoder)
        const snapshot = room.awarenessSnapshot()
        if (snapshot) this.send(snapshot)
        return
      }
      default:
        throw new ProtocolError(CloseCode.badMessage, `Unknown message type ${type}`)
    }
  }

  private handleSync(room: SectionRoom, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    expectEnd(decoder)
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      decodeStateVector(payload)
      this.send(room.syncStep2For(payload))
      return
    }
    if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) {
      throw new ProtocolError(CloseCode.badMessage, `Unknown sync message type ${syncType}`)
    }
    this.documentMessages++
    this.applyDocumentMessage(room, payload)
    room.acknowledgeIfIdle(this)
  }

  private applyDocumentMessage(room: SectionRoom, payload: Uint8Array): void {
    // A fresh client's sync step 2 holds nothing: no structs, no deletions.
    if (payload.length === 2 && payload[0] === 0 && payload[1] === 0) return
    let decoded: ReturnType<typeof Y.decodeUpdate>
    try {
      decoded = Y.decodeUpdate(payload)
    } catch {
      throw new ProtocolError(CloseCode.badMessage, MALFORMED_UPDATE)
    }
    if (this.access !== 'write') {
      // Read-only: drop it, and tell the client if it held anything new, so it reverts.
      if (!room.contains(payload)) this.send(encodeAccess({ access: this.access, reason: this.readOnlyReason }))
      return
    }
    if (!this.updates.take()) throw new ProtocolError(CloseCode.tryAgainLater, 'Too many updates at once; reconnecting')
    if (room.approximateBytes + payload.length > Limits.sectionBytes && room.approximateBytes + room.newBytesIn(payload) > Limits.sectionBytes) {
      throw new ProtocolError(
        CloseCode.tooLarge,
        `This section has reached its size limit of ${Limits.sectionBytes / 1024 / 1024} MB; split it into several sections`,
      )
    }
    const problem = room.accept(payload, decoded, this)
    if (problem === 'malformed') throw new ProtocolError(CloseCode.badMessage, MALFORMED_UPDATE)
    // The client resyncs on reconnect and sends first what the update builds on.
    if (problem === 'incomplete') throw new ProtocolError(CloseCode.tryAgainLater, INCOMPLETE_UPDATE)
  }

  private handleAwareness(room: SectionRoom, update: Uint8Array, decoder: decoding.Decoder): void {
    expectEnd(decoder)
    // Presence is best effort: past the rate, messages are dropped, not answered.
    if (!this.awarenessBudget.take()) return
    let entries
    try {
      entries = decodeAwarenessUpdate(update)
    } catch {
      throw new ProtocolError(CloseCode.badMessage, 'Malformed awareness update')
    }
    // Stock clients echo everyone's awareness back; only entries for the
    // connection's own client ids are taken, the rest are dropped.
    const own = entries.filter(
      (entry) =>
        this.clientIds.has(entry.clientId) ||
        (entry.state !== null &&
          this.clientIds.size < MAX_AWARENESS_CLIENTS_PER_CONNECTION &&
          room.claimClientId(this, entry.clientId)),
    )
    if (own.length === 0) return
    if (own.some((entry) => Buffer.byteLength(JSON.stringify(entry.state)) > Limits.awarenessStateBytes)) {
      throw new ProtocolError(CloseCode.badMessage, 'Awareness state too large')
    }
    // Names are the server's to give: no one can pose as someone else.
    for (const entry of own) if (entry.state) entry.state.user = { ...this.identity }
    applyAwarenessUpdate(room.awareness, encodeAwarenessUpdate(own), this)
  }
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new ProtocolError(CloseCode.badMessage, 'Trailing bytes after the message')
}

function decodeStateVector(bytes: Uint8Array): void {
  try {
    const decoder = decoding.createDecoder(bytes)
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  } catch {
    throw new ProtocolError(CloseCode.badMessage, 'Malformed state vector')
  }
}

/**
 * The collaboration relay: the standard y-websocket protocol over `ws`, one
 * room per section. Policy (who may connect, where state lives) comes from
 * `RelayHooks`; the relay only moves bytes, loads before it syncs, and keeps
 * every update until the store has it.
 */
export class Relay {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: Limits.websocketPayloadBytes })
  private readonly rooms = new Map<string, Promise<SectionRoom>>()
  /** Rooms being discarded, by section: a new room loads once they have stored what they hold. */
  private readonly draining = new Map<string, Promise<void>>()
  private readonly connections = new Set<Connection>()
  private readonly storePacing = new StorePacing()
  private readonly pingTimer: NodeJS.Timeout
  private closing = false

  constructor(
    private readonly hooks: RelayHooks,
    readonly log: (message: string) => void = console.log,
    private readonly caps: ConnectionCaps = { perUser: Limits.connectionsPerUser, perAddress: Limits.connectionsPerAddress },
  ) {
    this.pingTimer = setInterval(() => this.pingAll(), PING_INTERVAL_MS)
    this.pingTimer.unref()
  }

  /** Takes over an HTTP upgrade request for `/collab/<sectionId>`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A socket error before the upgrade completes must not crash the process.
    socket.on('error', () => socket.destroy())
    if (this.closing) {
      socket.destroy()
      return
    }
    this.server.handleUpgrade(request, socket, head, (websocket) => this.accept(websocket, request))
  }

  /** The rooms loaded now, by section id. */
  loadedSections(): string[] {
    return [...this.rooms.keys()]
  }

  /** How many sockets are open now. */
  openConnections(): number {
    return this.connections.size
  }

  /** The loaded room of a section, or null if it is not in memory. */
  async room(sectionId: string): Promise<SectionRoom | null> {
    const loading = this.rooms.get(sectionId)
    if (!loading) return null
    try {
      return await loading
    } catch {
      return null
    }
  }

  /** The people connected to a section now. */
  async presentIn(sectionId: string): Promise<Identity[]> {
    const room = this.rooms.get(sectionId)
    return room ? (await room).present() : []
  }

  /**
   * Changes a section's text on the server as `identity`'s edit (e.g. an
   * accepted suggestion): it is stored with them as author and reaches every
   * connected client like any other update. Resolves once it is on disk.
   */
  async edit<T>(sectionId: string, identity: Identity, change: (doc: Y.Doc) => T): Promise<T> {
    let room: SectionRoom
    do room = await this.roomFor(sectionId)
    while (room.destroyed)
    const editor: RoomMember = { identity, clientIds: new Set(), documentMessages: 0, acknowledged: 0, send: () => undefined }
    let result!: T
    room.doc.transact(() => {
      result = change(room.doc)
    }, editor)
    await room.whenIdle()
    this.leaveIfEmpty(room)
    return result
  }

  /** Closes every connection to `sectionId` for which `predicate` holds. */
  disconnect(predicate: (identity: Identity, sectionId: string) => boolean, code: number, reason: string): void {
    for (const connection of this.connections) {
      if (predicate(connection.identity, connection.sectionId)) connection.close(code, reason)
    }
  }

  /** Stops accepting, persists everything pending and closes every socket with 1012. */
  async close(): Promise<void> {
    this.closing = true
    clearInterval(this.pingTimer)
    const rooms = await Promise.allSettled([...this.rooms.values()])
    await Promise.all(rooms.map((room) => (room.status === 'fulfilled' ? room.value.flushNow() : undefined)))
    for (const connection of this.connections) connection.close(CloseCode.serviceRestart, 'The server is restarting')
    for (const room of rooms) if (room.status === 'fulfilled') room.value.destroy()
    this.rooms.clear()
    await Promise.all(this.draining.values())
    this.server.close()
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    socket.on('error', (error) => this.log(`collab: socket error: ${error.message}`))
    const sectionId = sectionIdOf(request.url ?? '')
    const identity = this.hooks.authenticate(request)
    if (!identity) {
      socket.close(CloseCode.unauthorized, 'Sign in to open this section')
      return
    }
    if (sectionId === null) {
      socket.close(CloseCode.unknownSection, 'No such section')
      return
    }
    const address = request.socket.remoteAddress ?? ''
    let ofUser = 0
    let ofAddress = 0
    for (const other of this.connections) {
      if (other.identity.id === identity.id) ofUser++
      if (other.address === address) ofAddress++
    }
    if (ofUser >= this.caps.perUser || ofAddress >= this.caps.perAddress) {
      socket.close(CloseCode.tryAgainLater, 'Too many open connections; close some tabs')
      return
    }
    const connection = new Connection(socket, identity, sectionId, address, this)
    this.connections.add(connection)
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return connection.close(CloseCode.badMessage, 'Text frames are not part of the protocol')
      connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    })
    socket.on('pong', () => {
      connection.alive = true
    })
    socket.on('close', () => this.onClose(connection))
    void this.join(connection)
  }

  private async join(connection: Connection): Promise<void> {
    const { sectionId } = connection
    if (!this.admit(connection)) return
    let room: SectionRoom
    try {
      // A room may be unloaded between loading and joining; then load it anew.
      do room = await this.roomFor(sectionId)
      while (room.destroyed)
    } catch (error) {
      this.log(`collab ${sectionId}: could not load the section: ${(error as Error).message}`)
      return connection.close(CloseCode.tryAgainLater, 'This section cannot be loaded right now')
    }
    if (connection.socket.readyState !== connection.socket.OPEN) return this.leaveIfEmpty(room)
    // Access may have changed while the section loaded: decide again.
    const authorization = this.admit(connection)
    if (!authorization) return this.leaveIfEmpty(room)
    connection.start(room, authorization.access, authorization.reason)
  }

  /** Asks `authorize`; closes the connection and returns null if refused. */
  private admit(connection: Connection): { access: Access; reason: ReadOnlyReason } | null {
    let authorization: AuthorizeResult
    try {
      authorization = this.hooks.authorize(connection.identity, connection.sectionId)
    } catch (error) {
      this.log(`collab ${connection.sectionId}: authorization failed: ${(error as Error).message}`)
      connection.close(CloseCode.forbidden, 'Access could not be checked')
      return null
    }
    if ('refuse' in authorization) {
      const code = authorization.refuse === 'unknown' ? CloseCode.unknownSection : CloseCode.forbidden
      connection.close(code, authorization.reason)
      return null
    }
    return authorization
  }

  /**
   * Decides access again for every open connection matching `predicate`,
   * at once: a connection that lost write access has its next update
   * dropped, and is told; one that lost all access is closed.
   */
  refreshAccess(predicate: (identity: Identity, sectionId: string) => boolean): void {
    for (const connection of this.connections) {
      if (!connection.room || !predicate(connection.identity, connection.sectionId)) continue
      const authorization = this.admit(connection)
      if (authorization) connection.setAccess(authorization.access, authorization.reason)
    }
  }

  /**
   * Takes a room whose document may hold changes that were never stored or
   * sent out of service: its members are closed with 1013 and reconnect to
   * a room loaded afresh from the store, once its stored updates are on disk.
   */
  discardRoom(room: SectionRoom): void {
    if (room.discarded) return
    room.discarded = true
    if (this.rooms.get(room.sectionId) !== undefined) this.rooms.delete(room.sectionId)
    this.log(`collab ${room.sectionId}: reloading the section after an update that could not be applied`)
    const drained = room.whenIdle().then(() => {
      room.destroy()
      if (this.draining.get(room.sectionId) === drained) this.draining.delete(room.sectionId)
    })
    this.draining.set(room.sectionId, drained)
    for (const connection of this.connections) {
      if (connection.room === room) connection.close(CloseCode.tryAgainLater, 'The section is reloading')
    }
  }

  /**
   * An update passed the checks, yet Yjs could not apply all of it. Part of
   * it may be in the room's document, never stored or sent: its sender is
   * closed, and the room is reloaded from the store for everyone rather
   * than serve it.
   */
  private applyFailed(room: SectionRoom, member: RoomMember, failure: ApplyFailure): void {
    if (member instanceof Connection) {
      const [code, reason] = failure === 'malformed' ? [CloseCode.badMessage, MALFORMED_UPDATE] : [CloseCode.tryAgainLater, INCOMPLETE_UPDATE]
      this.log(`collab ${room.sectionId}: closing ${member.identity.id}'s connection: ${reason}`)
      member.close(code, reason)
    }
    this.discardRoom(room)
  }

  private roomFor(sectionId: string): Promise<SectionRoom> {
    const existing = this.rooms.get(sectionId)
    if (existing) return existing
    const loading = (async () => {
      await this.draining.get(sectionId)
      const room = new SectionRoom(
        sectionId,
        this.hooks,
        (member, failure) => this.applyFailed(room, member, failure),
        this.storePacing,
      )
      try {
        room.loadFrom(await this.hooks.load(sectionId))
      } catch (error) {
        room.destroy()
        throw error
      }
      return room
    })()
    this.rooms.set(sectionId, loading)
    loading.catch(() => {
      if (this.rooms.get(sectionId) === loading) this.rooms.delete(sectionId)
    })
    return loading
  }

  private onClose(connection: Connection): void {
    this.connections.delete(connection)
    const room = connection.room
    if (!room) return
    room.remove(connection)
    this.leaveIfEmpty(room)
  }

  // Unload a section once its last member left and its updates are on disk.
  private leaveIfEmpty(room: SectionRoom): void {
    if (room.members.size > 0 || this.closing) return
    void room.whenIdle().then(async () => {
      const current = this.rooms.get(room.sectionId)
      if (room.members.size > 0 || room.destroyed || !current || (await current) !== room) return
      if (this.rooms.get(room.sectionId) !== current) return
      this.rooms.delete(room.sectionId)
      room.destroy()
      await this.hooks.onUnload?.(room.sectionId)
    })
  }

  private pingAll(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate()
        continue
      }
      connection.alive = false
      connection.socket.ping()
    }
  }
}

/** The section id of a `/collab/<id>` URL, or null if it is not a valid id. */
export function sectionIdOf(url: string): string | null {
  const path = url.split('?')[0] ?? ''
  if (!path.startsWith(COLLAB_PATH)) return null
  const id = path.slice(COLLAB_PATH.length)
  return SECTION_ID_PATTERN.test(id) ? id : null
}

