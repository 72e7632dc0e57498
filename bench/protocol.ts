import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import { HocuspocusProvider, HocuspocusProviderWebsocket, type onCloseParameters } from '@hocuspocus/provider'
import { MessageType, decodePersisted } from '../shared/relayProtocol.js'

/**
 * How the load generator speaks to each server: the stock y-websocket
 * protocol (Drafting Room, with its session cookie and extra messages, and
 * the reference server) or Hocuspocus's, which prefixes every message with
 * the document name and authenticates first. Raw clients use the framing
 * here; applying clients use each protocol's real provider.
 */

/** The servers under test. */
export type ServerKind = 'drafting-room' | 'reference' | 'hocuspocus'

/** Where the load generator reaches a server, and as whom. */
export interface Target {
  kind: ServerKind
  /** Websocket base URL; a room's socket is `${url}/${room}` except for Hocuspocus. */
  url: string
  /** Session cookie header for Drafting Room; null elsewhere. */
  cookie: string | null
  /** The server's process id, for its CPU time. */
  pid: number
}

/** A server message as a raw client reads it. */
export type Incoming =
  | { kind: 'sync-step-1' | 'sync-step-2' | 'update'; payload: Uint8Array }
  | { kind: 'other' }

/** A real provider (y-websocket's or Hocuspocus's) on a doc. */
export interface RealProvider {
  /** Resolves at the first complete sync with the server. */
  readonly synced: Promise<void>
  /** Times the connection closed other than by `destroy`, with the last reason. */
  readonly drops: { count: number; last: string }
  destroy(): void
}

/** What a real provider reports besides syncing. */
export interface ProviderListener {
  /** A Drafting Room `persisted` message: the state vector now on disk. */
  onPersisted?(stateVector: Map<number, number>): void
}

/** The protocol of one server kind. */
export interface Dialect {
  /** Opens a raw websocket for `room`. */
  connect(room: string): WebSocket
  /** What a raw client sends as its socket opens: its sync step 1 (after authenticating, where that is a message). */
  opening(room: string, doc: Y.Doc): Uint8Array[]
  /** A sync step 2 of `doc` answering the server's sync step 1 with `stateVector`. */
  syncStep2(room: string, doc: Y.Doc, stateVector: Uint8Array): Uint8Array
  /** A document update message. */
  update(room: string, update: Uint8Array): Uint8Array
  /** Reads a message from the server. */
  read(message: Uint8Array): Incoming
  /** A real provider syncing `doc` with `room`, connecting at once. */
  provider(room: string, doc: Y.Doc, listener?: ProviderListener): RealProvider
}

/** The dialect of `target`'s server. */
export function dialectOf(target: Target): Dialect {
  return target.kind === 'hocuspocus' ? hocuspocusDialect(target) : yWebsocketDialect(target)
}

function yWebsocketDialect(target: Target): Dialect {
  const headers: Record<string, string> = target.cookie ? { cookie: target.cookie } : {}
  // The stock provider takes a browser-style WebSocket class; this one sends the cookie on the upgrade.
  const WebSocketWithHeaders = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers, perMessageDeflate: false })
    }
  }
  return {
    connect: (room) => new WebSocket(`${target.url}/${room}`, { headers, perMessageDeflate: false }),
    opening: (_room, doc) => [syncMessage((encoder) => syncProtocol.writeSyncStep1(encoder, doc))],
    syncStep2: (_room, doc, stateVector) => syncMessage((encoder) => syncProtocol.writeSyncStep2(encoder, doc, stateVector)),
    update: (_room, update) => syncMessage((encoder) => syncProtocol.writeUpdate(encoder, update)),
    read: (message) => readSync(decoding.createDecoder(message)),
    provider: (room, doc, listener = {}) => {
      const provider = new WebsocketProvider(target.url, room, doc, {
        WebSocketPolyfill: WebSocketWithHeaders as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        maxBackoffTime: 1000,
      })
      if (target.kind === 'drafting-room') {
        // The stock provider logs an error for message types it has no handler for.
        provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
          listener.onPersisted?.(decodePersisted(decoder).stateVector)
        }
        provider.messageHandlers[MessageType.access] = () => undefined
      }
      const drops = { count: 0, last: '' }
      let destroyed = false
      provider.on('connection-close', (event) => {
        if (destroyed) return
        drops.count++
        drops.last = event ? `${event.code} ${event.reason}` : 'closed'
      })
      return {
        synced: new Promise<void>((resolve) => provider.on('sync', (synced) => synced && resolve())),
        drops,
        destroy: () => {
          destroyed = true
          provider.destroy()
        },
      }
    },
  }
}

function hocuspocusDialect(target: Target): Dialect {
  // Hocuspocus's own numbering after the document name (its MessageType enum).
  const AUTH = 2
  const AUTH_TOKEN = 0
  const SYNC_REPLY = 4
  const addressed = (room: string, write: (encoder: encoding.Encoder) => void): Uint8Array => {
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, room)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }
  const sync = (room: string, write: (encoder: encoding.Encoder) => void): Uint8Array =>
    addressed(room, (encoder) => {
      encoding.writeVarUint(encoder, MessageType.sync)
      write(encoder)
    })
  return {
    connect: () => new WebSocket(target.url, { perMessageDeflate: false }),
    opening: (room, doc) => [
      // The provider authenticates with an empty token when it has none; the server has no auth hook.
      addressed(room, (encoder) => {
        encoding.writeVarUint(encoder, AUTH)
        encoding.writeVarUint(encoder, AUTH_TOKEN)
        encoding.writeVarString(encoder, '')
      }),
      sync(room, (encoder) => syncProtocol.writeSyncStep1(encoder, doc)),
    ],
    syncStep2: (room, doc, stateVector) => sync(room, (encoder) => syncProtocol.writeSyncStep2(encoder, doc, stateVector)),
    update: (room, update) => sync(room, (encoder) => syncProtocol.writeUpdate(encoder, update)),
    read: (message) => {
      const decoder = decoding.createDecoder(message)
      decoding.readVarString(decoder)
      const type = decoding.peekVarUint(decoder)
      if (type === SYNC_REPLY) {
        decoding.readVarUint(decoder)
        return readSyncBody(decoder)
      }
      return readSync(decoder)
    },
    provider: (room, doc) => {
      // In Node the socket needs a WebSocket class; one socket per provider, as a browser tab has.
      const socket = new HocuspocusProviderWebsocket({ url: target.url, WebSocketPolyfill: WebSocket })
      const provider = new HocuspocusProvider({ websocketProvider: socket, name: room, document: doc })
      provider.attach()
      const drops = { count: 0, last: '' }
      let destroyed = false
      socket.on('close', ({ event }: onCloseParameters) => {
        if (destroyed) return
        drops.count++
        drops.last = `${event.code} ${event.reason}`
      })
      return {
        synced: new Promise<void>((resolve) => provider.on('synced', () => resolve())),
        drops,
        destroy: () => {
          destroyed = true
          provider.destroy()
          socket.destroy()
        },
      }
    },
  }
}

function syncMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function readSync(decoder: decoding.Decoder): Incoming {
  if (decoding.readVarUint(decoder) !== MessageType.sync) return { kind: 'other' }
  return readSyncBody(decoder)
}

function readSyncBody(decoder: decoding.Decoder): Incoming {
  const syncType = decoding.readVarUint(decoder)
  const payload = decoding.readVarUint8Array(decoder)
  switch (syncType) {
    case syncProtocol.messageYjsSyncStep1:
      return { kind: 'sync-step-1', payload }
    case syncProtocol.messageYjsSyncStep2:
      return { kind: 'sync-step-2', payload }
    case syncProtocol.messageYjsUpdate:
      return { kind: 'update', payload }
    default:
      throw new Error(`Unknown sync message type ${syncType}`)
  }
}
