import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { isDocumentMessage, type PersistedNotice } from '../../shared/relayProtocol.js'

/**
 * Knows whether this client's own changes are on the server's disk. The
 * server counts the document messages it receives on a connection and, once
 * their changes are stored, says how many; the tracker counts what it sent
 * on the same connection. Changes made while disconnected count as unsaved
 * until the sync step 2 that carries them after reconnecting is stored.
 * Unlike comparing state vectors this sees deletions, and ignores other
 * people's edits, which are theirs to save.
 */
export class SaveTracker {
  private sent = 0
  private acknowledged = 0
  private changesNotSent = false
  /** The last state vector the server reported on disk. */
  persistedStateVector: Map<number, number> | null = null

  constructor(
    private readonly provider: WebsocketProvider,
    doc: Y.Doc,
    private readonly changed: () => void,
  ) {
    provider.on('status', ({ status }) => {
      if (status === 'connected' && provider.ws) this.watch(provider.ws)
    })
    // Registered after the provider's own handler, which sends first.
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === provider) return
      if (!provider.wsconnected) this.changesNotSent = true
      this.changed()
    })
  }

  /** Whether some change made here is not yet on the server's disk. */
  get unsaved(): boolean {
    return this.changesNotSent || this.sent > this.acknowledged
  }

  /** Marks changes that reached the document from elsewhere than the network (e.g. IndexedDB) as unsent. */
  markUnsent(): void {
    this.changesNotSent = true
    this.changed()
  }

  /** Handles a `persisted` message. */
  persisted(notice: PersistedNotice): void {
    this.persistedStateVector = notice.stateVector
    this.acknowledged = Math.max(this.acknowledged, notice.messages)
    this.changed()
  }

  // Counts document messages sent on this socket; the server counts the same.
  private watch(socket: WebSocket): void {
    this.sent = 0
    this.acknowledged = 0
    const send = socket.send.bind(socket)
    socket.send = (data: Parameters<WebSocket['send']>[0]) => {
      if (this.provider.ws === socket && data instanceof Uint8Array && isDocumentMessage(data)) {
        this.sent++
        // Sync step 2 carries everything the server lacks, offline changes included.
        if (data[1] === 1) this.changesNotSent = false
      }
      send(data)
    }
  }
}
