import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import { isDocumentMessage, type PersistedNotice } from '../../shared/relayProtocol.js'

// A document message sent on the current socket and not yet acknowledged,
// with how many of this client's changes it carries.
interface SentMessage {
  changes: number
}

/**
 * Knows whether this client's own changes are on the server's disk, and how
 * many are not. The server counts the document messages it receives on a
 * connection and, once their changes are stored, says how many; the tracker
 * counts what it sent on the same connection. A change is one local Yjs
 * transaction (a keystroke, a paste, a formatting command). Changes made
 * while disconnected, and those still unacknowledged when a socket closes,
 * count as unsent until the sync step 2 that carries them after reconnecting
 * is stored. Unlike comparing state vectors this sees deletions, and ignores
 * other people's edits, which are theirs to save.
 *
 * Create the tracker after the provider: it relies on the provider's update
 * handler running first, so that it sees the message a change was sent in.
 */
export class SaveTracker {
  private inFlight: SentMessage[] = []
  private acknowledged = 0
  private unsent = 0
  // The update message the provider sent for the doc update being handled now.
  private justSent: SentMessage | null = null
  private readonly ignored = new Set<unknown>()
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
    provider.on('connection-close', () => this.socketClosed())
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      const message = this.justSent
      this.justSent = null
      if (origin === this.provider || this.ignored.has(origin)) return
      if (message) message.changes++
      else this.unsent++
      this.changed()
    })
  }

  /** Whether some change made here is not yet on the server's disk. */
  get unsaved(): boolean {
    return this.unsent > 0 || this.inFlight.length > 0
  }

  /** How many changes made here are not yet on the server's disk. */
  get changes(): number {
    return this.inFlight.reduce((sum, message) => sum + message.changes, this.unsent)
  }

  /** Doc updates with this transaction origin are not this client's changes (e.g. loading the device's copy). */
  ignoreChangesFrom(origin: unknown): void {
    this.ignored.add(origin)
  }

  /** Counts `changes` that reached the document from elsewhere than the network (the device's copy) as unsent. */
  markUnsent(changes: number): void {
    if (changes <= 0) return
    this.unsent += changes
    this.changed()
  }

  /** Handles a `persisted` message. */
  persisted(notice: PersistedNotice): void {
    this.persistedStateVector = notice.stateVector
    if (notice.messages > this.acknowledged) {
      this.inFlight.splice(0, notice.messages - this.acknowledged)
      this.acknowledged = notice.messages
    }
    this.changed()
  }

  private socketClosed(): void {
    this.forgetSocket()
    this.changed()
  }

  // No acknowledgement comes for a closed socket: what it carried goes with the next sync step 2.
  private forgetSocket(): void {
    this.unsent = this.changes
    this.inFlight = []
    this.acknowledged = 0
    this.justSent = null
  }

  // Counts document messages sent on this socket; the server counts the same.
  private watch(socket: WebSocket): void {
    this.forgetSocket()
    const send = socket.send.bind(socket)
    socket.send = (data: Parameters<WebSocket['send']>[0]) => {
      if (this.provider.ws === socket && data instanceof Uint8Array && isDocumentMessage(data)) {
        const message: SentMessage = { changes: 0 }
        // Sync step 2 carries everything the server lacks, unsent changes included.
        if (data[1] === 1) {
          message.changes = this.unsent
          this.unsent = 0
        } else {
          this.justSent = message
        }
        this.inFlight.push(message)
      }
      send(data)
    }
  }
}
