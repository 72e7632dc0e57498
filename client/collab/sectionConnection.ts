import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import type { UserView } from '../../shared/api.js'
import { MessageType, decodeAccess, decodePersisted, type AccessNotice } from '../../shared/relayProtocol.js'
import { LocalSectionStore, localStoreName, sectionsWithUnsentChanges } from './localStore.js'
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
  /** The text can be shown: loaded from the server at least once, or from this device's copy. */
  loaded: boolean
  /** The local document holds changes the server has not yet written to disk. */
  unsaved: boolean
  /** How many changes made here the server has not yet written to disk. */
  changes: number
  /** Changes made here are kept on this device too, so they outlive the tab. */
  keptOnDevice: boolean
  /** Set once the server closed the connection permanently; nothing reconnects after it. */
  closed: PermanentClose | null
  /**
   * The connection is read-only, yet the document holds changes of its own
   * that the server has not stored (typed the instant before a lock, offline
   * before the section was locked, or by a tampered client). The server
   * will never take them, so the text shown is no longer the server's:
   * start over with a fresh connection.
   */
  refused: boolean
}

/** How a section connection is opened. */
export interface ConnectionOptions {
  /**
   * Keep the section on this device (IndexedDB) for offline work. Decide it
   * from `can(user, 'section.edit', section)`; the server's `access` notice
   * then settles it: a read-only section keeps nothing on the device.
   */
  keepOnDevice: boolean
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
// page can warn before it is closed with changes not on the server.
const live = new Set<SectionConnection>()
// Bumped when every connection goes (sign-out), so that a sync started before does not open new ones.
let generation = 0

/** Whether any section connection holds changes that are not on the server yet. */
export function hasUnsavedChanges(): boolean {
  for (const connection of live) if (connection.state.unsaved && connection.mayWrite) return true
  return false
}

/** Destroys every connection at once, saved or not (used on sign-out). */
export function destroyAllConnections(): void {
  generation++
  for (const connection of [...live]) connection.destroy()
}

/**
 * The connection of `sectionId` for a page to show: the one still saving in
 * the background if there is one, so that one section has one document in
 * this tab, or else a new one.
 */
export function openConnection(sectionId: string, user: UserView, options: ConnectionOptions): SectionConnection {
  for (const connection of live) {
    if (connection.sectionId === sectionId && connection.resume()) return connection
  }
  return new SectionConnection(sectionId, user, options)
}

/**
 * Sends the server what this device kept of `user`'s sections but the
 * server has not acknowledged: text typed offline before the page was
 * reloaded or closed, in sections not open now. Each one syncs in the
 * background and closes once saved.
 */
export async function syncKeptChanges(user: UserView): Promise<void> {
  const started = generation
  for (const sectionId of await sectionsWithUnsentChanges(user.id)) {
    if (generation !== started || [...live].some((connection) => connection.sectionId === sectionId)) continue
    new SectionConnection(sectionId, user, { keepOnDevice: true }).release()
  }
}

/**
 * The collaboration connection of one section: a Y.Doc synced through the
 * stock y-websocket provider with the relay at `/collab/<sectionId>`, plus
 * our two server messages, and for writers a copy on this device. It turns
 * the provider's low-level events into one `ConnectionState`: connecting /
 * connected / reconnecting / offline, whether the user may write, and
 * whether local changes are safely on the server's disk.
 */
export class SectionConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  /** The section text, as y-prosemirror expects it. */
  readonly fragment: Y.XmlFragment

  private readonly saves: SaveTracker
  private store: LocalSectionStore | null = null
  private storeReady = false
  private access: AccessNotice | null = null
  private started = false
  private everSynced = false
  private loadedFromDevice = false
  private closed: PermanentClose | null = null
  private unsaved = false
  private refused = false
  private released = false
  private destroyed = false
  private online = navigator.onLine
  /** Connection attempts in a row whose socket never opened: the server cannot be reached. */
  private unreachable = 0
  private attemptOpened = false
  private current: ConnectionState
  private readonly listeners = new Set<(state: ConnectionState) => void>()

  constructor(
    readonly sectionId: string,
    private readonly user: UserView,
    private readonly options: ConnectionOptions,
  ) {
    this.fragment = this.doc.getXmlFragment('prosemirror')
    const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    // Created unconnected so that our handlers are in place before the first message.
    this.provider = new WebsocketProvider(`${wsUrl}/collab`, sectionId, this.doc, { disableBc: true, connect: false })
    this.saves = new SaveTracker(this.provider, this.doc, this.update)
    this.provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
      this.saves.persisted(decodePersisted(decoder))
    }
    this.provider.messageHandlers[MessageType.access] = (_encoder, decoder) => {
      this.access = decodeAccess(decoder)
      this.keepOnDevice(this.access.access === 'write')
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
    this.provider.on('status', this.onStatus)
    this.provider.on('sync', this.onSync)
    this.provider.on('connection-close', this.onConnectionClose)
    this.provider.on('closed', this.onClosed)
    this.doc.on('update', this.update)
    window.addEventListener('online', this.onOnline)
    window.addEventListener('offline', this.onOffline)
    live.add(this)
    this.current = this.compute()
    void this.start()
  }

  /** The latest state. */
  get state(): ConnectionState {
    return this.current
  }

  /** Whether this connection may write: as the server said, or until it has, as the page judged. */
  get mayWrite(): boolean {
    return this.access ? this.access.access === 'write' : this.options.keepOnDevice
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
   * now; one holding unsaved changes stays in the background until the
   * server has them, so leaving a section on a bad network loses nothing.
   */
  release(): void {
    this.listeners.clear()
    this.released = true
    this.update()
  }

  /** Takes a released connection back for a page; false unless it is released and still usable. */
  resume(): boolean {
    if (!this.released || this.destroyed || this.closed) return false
    this.released = false
    return true
  }

  /** Disconnects and frees the provider, the document and the device store (its copy stays). Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    live.delete(this)
    this.listeners.clear()
    window.removeEventListener('online', this.onOnline)
    window.removeEventListener('offline', this.onOffline)
    this.doc.off('update', this.update)
    void this.store?.destroy()
    this.provider.destroy()
    this.doc.destroy()
  }

  // The device's copy is loaded before connecting, so that the first sync
  // sends the server everything it lacks, and what was typed offline before
  // a reload counts as unsaved from the start.
  private async start(): Promise<void> {
    if (this.options.keepOnDevice) {
      const store = this.openStore()
      const copy = await store.loaded
      if (this.destroyed) return
      if (copy && this.store === store) {
        this.loadedFromDevice = copy.found
        this.saves.markUnsent(copy.unsent)
        this.storeReady = true
      } else if (this.store === store) {
        this.store = null
      }
    }
    this.started = true
    if (this.online && !this.closed) this.provider.connect()
    this.update()
  }

  private openStore(): LocalSectionStore {
    const store = new LocalSectionStore(localStoreName(this.user.id, this.sectionId), this.doc)
    this.saves.ignoreChangesFrom(store.origin)
    this.store = store
    this.storeReady = false
    return store
  }

  // Writers keep the section on the device; a read-only connection keeps nothing there.
  private keepOnDevice(keep: boolean): void {
    if (!keep && this.store) {
      void this.store.clear()
      this.store = null
      this.storeReady = false
    } else if (keep && !this.store && this.started) {
      // Write access came later (the section was reopened): a fresh copy, written in full as it opens.
      const store = this.openStore()
      void store.loaded.then((copy) => {
        if (this.store !== store) return
        if (copy) this.storeReady = true
        else this.store = null
        this.update()
      })
    }
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

  private readonly onStatus = ({ status }: { status: string }): void => {
    if (status === 'connecting') this.attemptOpened = false
    if (status === 'connected') {
      this.attemptOpened = true
      this.unreachable = 0
    }
    this.update()
  }

  private readonly onConnectionClose = (): void => {
    // A socket the server opened and closed (busy, restarting) reached it;
    // one dropped because the browser went offline says nothing more.
    if (!this.attemptOpened && this.online) this.unreachable++
    // Told before the provider notes the socket gone.
    queueMicrotask(this.update)
  }

  private readonly onOnline = (): void => {
    this.online = true
    this.unreachable = 0
    if (this.started && !this.closed) this.provider.connect()
    this.update()
  }

  private compute(): ConnectionState {
    const provider = this.provider
    let status: ConnectionStatus
    if (!this.online) status = 'offline'
    else if (provider.wsconnected && provider.synced) status = 'connected'
    else if (this.everSynced) status = 'reconnecting'
    // The browser may say it is online where the server cannot be reached
    // (a network without a way out; a page reloaded offline): a page that
    // never synced, whose last attempt could not open a socket, is offline.
    else status = this.unreachable > 0 ? 'offline' : 'connecting'
    return {
      status,
      access: this.access,
      loaded: this.everSynced || this.loadedFromDevice,
      unsaved: this.unsaved,
      changes: this.saves.changes,
      keptOnDevice: this.storeReady,
      closed: this.closed,
      refused: this.refused,
    }
  }

  private readonly update = (): void => {
    if (this.destroyed) return
    this.unsaved = this.saves.unsaved
    this.refused = this.access?.access === 'read' && this.saves.changes > 0
    if (this.storeReady) this.store?.setUnsent(this.saves.changes)
    const next = this.compute()
    const previous = this.current
    this.current = next
    if (this.released) {
      // Until the device's copy is loaded it is not known whether anything is unsaved.
      if (this.started && (!next.unsaved || next.closed || !this.mayWrite)) this.destroy()
      return
    }
    if (
      previous.status === next.status &&
      previous.unsaved === next.unsaved &&
      previous.changes === next.changes &&
      previous.keptOnDevice === next.keptOnDevice &&
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
