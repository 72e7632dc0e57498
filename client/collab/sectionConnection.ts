import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { UserView } from '../../shared/api.js'
import { MessageType, decodeAccess, decodePersisted, type AccessNotice } from '../../shared/relayProtocol.js'
import { SaveTracker } from './saveTracker.js'

/** How the connection to the relay is doing, as the user should understand it. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline'

/** The server closed the connection for good (a 44xx close code). */
export interface PermanentClose {
  code: number
  reason: string
}

/** A snapshot of a section connection, passed to every listener on change. */
export interface ConnectionState {
  status: ConnectionStatus
  /** What the server allows this connection, once it has said so. */
  access: AccessNotice | null
  /** The document has been loaded from the server at least once. */
  loaded: boolean
  /** The local document holds changes the server has not yet written to disk. */
  unsaved: boolean
  /** Set once the server closed the connection permanently; nothing reconnects after it. */
  closed: PermanentClose | null
  /**
   * The connection is read-only, yet the document holds changes of its own
   * that the server has not stored (typed the instant before a lock, or by a
   * tampered client). The server will never take them, so the text shown is
   * no longer the server's: start over with a fresh connection.
   */
  refused: boolean
}

/**
 * Whether every change in `local` is in `persisted`, both state vectors
 * (client id → clock). A client the server has not persisted at all counts
 * as clock 0 there.
 */
export function isCovered(local: Map<number, number>, persisted: Map<number, number>): boolean {
  for (const [client, clock] of local) {
    if ((persisted.get(client) ?? 0) < clock) return false
  }
  return true
}

// Connections alive now, including released ones still saving, so that the
// page can warn before it is closed with changes only in memory.
const live = new Set<SectionConnection>()

/** Whether any section connection holds changes that are not on the server yet. */
export function hasUnsavedChanges(): boolean {
  for (const connection of live) if (connection.state.unsaved && connection.state.access?.access === 'write') return true
  return false
}

/** Destroys every connection at once, saved or not (used on sign-out). */
export function destroyAllConnections(): void {
  for (const connection of [...live]) connection.destroy()
}

/**
 * The collaboration connection of one section: a Y.Doc synced through the
 * stock y-websocket provider with the relay at `/collab/<sectionId>`, plus
 * our two server messages. It turns the provider's low-level events into one
 * `ConnectionState`: connecting / connected / reconnecting / offline, whether
 * the user may write, and whether local changes are safely on disk.
 */
export class SectionConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  /** The section text, as y-prosemirror expects it. */
  readonly fragment: Y.XmlFragment

  private persisted: Map<number, number> | null = null
  private readonly saves: SaveTracker
  private access: AccessNotice | null = null
  private everSynced = false
  private closed: PermanentClose | null = null
  private unsaved = false
  private refused = false
  private released = false
  private destroyed = false
  private online = navigator.onLine
  private current: ConnectionState
  private readonly listeners = new Set<(state: ConnectionState) => void>()

  constructor(
    readonly sectionId: string,
    user: UserView,
  ) {
    this.fragment = this.doc.getXmlFragment('prosemirror')
    const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    // Created unconnected so that our handlers are in place before the first message.
    this.provider = new WebsocketProvider(`${wsUrl}/collab`, sectionId, this.doc, { disableBc: true, connect: false })
    this.saves = new SaveTracker(this.provider, this.doc, this.update)
    this.provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
      const notice = decodePersisted(decoder)
      this.persisted = notice.stateVector
      this.saves.persisted(notice)
    }
    this.provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
      this.access = decodeAccess(decoder)
      this.update()
    }
    // The server replaces `user` with the authenticated identity for everyone
    // else; setting it locally keeps our own awareness state meaningful too.
    this.provider.awareness.setLocalStateField('user', {
      id: user.id,
      name: user.name,
      organisation: user.organisation,
      color: user.color,
    })
    this.provider.on('status', this.update)
    this.provider.on('sync', this.onSync)
    this.provider.on('connection-close', this.update)
    this.provider.on('closed', this.onClosed)
    this.doc.on('update', this.update)
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
    live.add(this)
    this.current = this.compute()
    if (this.online) this.provider.connect()
  }

  /** The latest state. */
  get state(): ConnectionState {
    return this.current
  }

  /** What the local document holds: client id → clock, as in a Yjs state vector. */
  get stateVector(): Map<number, number> {
    return Y.decodeStateVector(Y.encodeStateVector(this.doc))
  }

  /** Calls `listener` on every state change; returns a function that stops it. */
  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * The page no longer shows this section. Saved connections are destroyed
   * now; one holding unsaved changes stays connected in the background until
   * the server has them, so leaving a section on a bad network loses nothing.
   */
  release(): void {
    this.listeners.clear()
    this.released = true
    if (!this.unsaved || this.closed || this.access?.access !== 'write') this.destroy()
  }

  /** Disconnects and frees the provider and the document. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    live.delete(this)
    this.listeners.clear()
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    this.doc.off('update', this.update)
    this.provider.destroy()
    this.doc.destroy()
  }

  private readonly onSync = (synced: boolean): void => {
    if (synced) this.everSynced = true
    this.update()
  }

  private readonly onClosed = (event: PermanentClose): void => {
    this.closed = { code: event.code, reason: event.reason }
    this.update()
  }

  // The browser knows when the network is gone before a socket times out.
  // Dropping the socket then stops futile retries (and some browsers keep a
  // dead socket "open" for minutes); edits carry on in the local Y.Doc.
  private readonly onOffline = (): void => {
    this.online = false
    this.provider.disconnect()
    this.update()
  }

  private readonly onOnline = (): void => {
    this.online = true
    if (!this.closed) this.provider.connect()
    this.update()
  }

  private compute(): ConnectionState {
    const provider = this.provider
    let status: ConnectionStatus
    if (!this.online) status = 'offline'
    else if (provider.wsconnected && provider.synced) status = 'connected'
    else status = this.everSynced ? 'reconnecting' : 'connecting'
    return { status, access: this.access, loaded: this.everSynced, unsaved: this.unsaved, closed: this.closed, refused: this.refused }
  }

  private readonly update = (): void => {
    if (this.destroyed) return
    const local = this.stateVector
    this.unsaved = this.saves.unsaved
    // Only this tab writes with the document's own client id, so that entry is exactly its own changes.
    const own = local.get(this.doc.clientID) ?? 0
    this.refused = this.access?.access === 'read' && own > (this.persisted?.get(this.doc.clientID) ?? 0)
    const next = this.compute()
    const previous = this.current
    this.current = next
    if (this.released) {
      if (!next.unsaved || next.closed) this.destroy()
      return
    }
    if (
      previous.status === next.status &&
      previous.unsaved === next.unsaved &&
      previous.loaded === next.loaded &&
      previous.closed === next.closed &&
      previous.refused === next.refused &&
      previous.access?.access === next.access?.access &&
      previous.access?.reason === next.access?.reason
    ) {
      return
    }
    for (const listener of this.listeners) listener(next)
  }
}
