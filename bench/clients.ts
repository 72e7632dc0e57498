import * as Y from 'yjs'
import type { WebSocket } from 'ws'
import type { Dialect, RealProvider } from './protocol.js'
import { TEXT_NAME, type KeystrokeLog, type Samples } from './keystrokes.js'

/** Transaction origin of a client's own keystrokes. */
const TYPING = Symbol('typing')
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz'

/** A client of a typing run. */
export interface TypingClient {
  /** Its Yjs client id, unique in the run. */
  readonly id: number
  /** Resolves once connected and synced; rejects if the connection failed first. */
  readonly ready: Promise<void>
  /** Keystrokes of others received so far. */
  readonly deliveries: number
  /** When the last of them arrived (performance.now()); 0 if none did. */
  readonly lastDeliveryAt: number
  /** Connections lost other than by `close`, and the last close code and reason. */
  readonly drops: { count: number; last: string }
  /** Types one character at the end of the text as this client knows it. */
  type(): void
  close(): void
}

/**
 * A real provider (y-websocket's or Hocuspocus's) on a real Y.Doc: applies
 * every update, times each keystroke of others as it is applied, times its
 * own keystrokes until the server says they are on disk, and is compared
 * with the others at the end.
 */
export class ApplyingClient implements TypingClient {
  readonly doc = new Y.Doc()
  readonly ready: Promise<void>
  deliveries = 0
  lastDeliveryAt = 0
  /** Own keystrokes the server reported on disk. */
  acknowledged = 0
  private typed = 0
  private readonly text: Y.Text
  private readonly provider: RealProvider

  constructor(
    dialect: Dialect,
    room: string,
    readonly id: number,
    private readonly log: KeystrokeLog,
    private readonly samples: Samples,
  ) {
    this.doc.clientID = id
    this.text = this.doc.getText(TEXT_NAME)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== TYPING) this.receive(update)
    })
    this.provider = dialect.provider(room, this.doc, { onPersisted: (stateVector) => this.persisted(stateVector) })
    this.ready = this.provider.synced
  }

  get drops(): { count: number; last: string } {
    return this.provider.drops
  }

  type(): void {
    const clock = this.typed++
    this.log.typed(this.id, clock, performance.now())
    this.doc.transact(() => this.text.insert(this.text.length, ALPHABET[clock % ALPHABET.length]!), TYPING)
  }

  /** The shared text as this client has it. */
  content(): string {
    return this.text.toString()
  }

  /** How many keystrokes of `author` this client has. */
  has(author: number): number {
    return Y.getState(this.doc.store, author)
  }

  /** Whether the server reported every own keystroke on disk. */
  get allAcknowledged(): boolean {
    return this.acknowledged >= this.typed
  }

  close(): void {
    this.provider.destroy()
    this.doc.destroy()
  }

  private receive(update: Uint8Array): void {
    const now = performance.now()
    const count = this.log.forEachIn(update, this.id, (typedAt) => {
      if (typedAt >= this.samples.measuredFrom) this.samples.latencies.push(now - typedAt)
    })
    if (count === 0) return
    this.deliveries += count
    this.lastDeliveryAt = now
  }

  private persisted(stateVector: Map<number, number>): void {
    const now = performance.now()
    const onDisk = Math.min(stateVector.get(this.id) ?? 0, this.typed)
    for (; this.acknowledged < onDisk; this.acknowledged++) {
      const typedAt = this.log.timeOf(this.id, this.acknowledged)
      if (typedAt >= this.samples.measuredFrom) this.samples.persistAcks.push(now - typedAt)
    }
  }
}

/**
 * A client doing the protocol's minimum on a real socket: it asks for the
 * server's state once, answers the server's sync step 1, and types from a
 * tiny private Y.Doc into the same shared text, so its updates are valid;
 * what it receives it only counts, never applies. Most clients of a run are
 * raw, so that the load generator saturates after the server does.
 */
export class RawClient implements TypingClient {
  readonly ready: Promise<void>
  deliveries = 0
  lastDeliveryAt = 0
  readonly drops = { count: 0, last: '' }
  /** When the socket was opened (performance.now()). */
  readonly startedAt = performance.now()
  /** When the server's sync step 2 arrived; 0 until then. */
  syncedAt = 0
  /** The server's sync step 2, when asked to keep it. */
  state: Uint8Array | null = null
  private typed = 0
  private closing = false
  private readonly doc = new Y.Doc()
  private readonly text: Y.Text
  private readonly socket: WebSocket

  constructor(
    dialect: Dialect,
    room: string,
    readonly id: number,
    private readonly log: KeystrokeLog,
    options: { keepState?: boolean } = {},
  ) {
    this.doc.clientID = id
    this.text = this.doc.getText(TEXT_NAME)
    // The private doc only ever changes by this client's own typing.
    this.doc.on('update', (update: Uint8Array) => this.send(dialect.update(room, update)))
    this.socket = dialect.connect(room)
    this.ready = new Promise((resolve, reject) => {
      this.socket.on('open', () => {
        for (const message of dialect.opening(room, this.doc)) this.send(message)
      })
      this.socket.on('message', (data: Buffer) => {
        const incoming = dialect.read(data)
        if (incoming.kind === 'sync-step-1') {
          this.send(dialect.syncStep2(room, this.doc, incoming.payload))
        } else if (incoming.kind === 'sync-step-2' && this.syncedAt === 0) {
          this.syncedAt = performance.now()
          if (options.keepState) this.state = incoming.payload
          resolve()
        } else if (incoming.kind === 'update') {
          this.receive(incoming.payload)
        }
      })
      this.socket.on('close', (code: number, reason: Buffer) => {
        if (this.closing) return
        this.drops.count++
        this.drops.last = `${code} ${reason.toString()}`
        reject(new Error(`The server closed the connection to ${room}: ${this.drops.last}`))
      })
      this.socket.on('error', reject)
    })
  }

  type(): void {
    const clock = this.typed++
    this.log.typed(this.id, clock, performance.now())
    this.text.insert(this.text.length, ALPHABET[clock % ALPHABET.length]!)
  }

  close(): void {
    this.closing = true
    this.socket.close()
    this.doc.destroy()
  }

  private send(message: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(message)
  }

  private receive(update: Uint8Array): void {
    const count = this.log.countIn(update, this.id)
    if (count === 0) return
    this.deliveries += count
    this.lastDeliveryAt = performance.now()
  }
}
