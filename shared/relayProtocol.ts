import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

/**
 * Message types on the collaboration socket. 0–3 are the standard y-websocket
 * protocol (sync, awareness, auth, query awareness); the rest are ours, sent
 * by the server only, and the client registers handlers for them on the stock
 * `WebsocketProvider`.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /**
   * Server → client: what is now durably on disk — the section's state
   * vector, and how many of this connection's document messages (sync step 2
   * and updates, counted from the start of the connection) are in it. The
   * count is what tells a client its deletions are saved too, since deleting
   * does not advance a state vector.
   */
  persisted: 100,
  /** Server → client: this connection's access (`write` or `read`) and why. */
  access: 101,
} as const

/** What a connection may do with a section. */
export type Access = 'write' | 'read'

/** Why a connection is read-only, shown to the user. */
export type ReadOnlyReason = 'role' | 'approved' | ''

/** The body of an `access` message. */
export interface AccessNotice {
  access: Access
  reason: ReadOnlyReason
}

/** The body of a `persisted` message. */
export interface PersistedNotice {
  /** The state vector on disk: client id → clock. */
  stateVector: Map<number, number>
  /** How many document messages of this connection are on disk. */
  messages: number
}

export function encodePersisted(stateVector: Uint8Array, messages: number): Uint8Array {
  return persistedEncoder(stateVector)(messages)
}

/**
 * `encodePersisted` for many connections told the same state vector: it is
 * encoded once (in a large section it is the bulk of the message).
 */
export function persistedEncoder(stateVector: Uint8Array): (messages: number) => Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.persisted)
  encoding.writeVarUint8Array(encoder, stateVector)
  const head = encoding.toUint8Array(encoder)
  return (messages) => {
    const tail = encoding.createEncoder()
    encoding.writeVarUint(tail, messages)
    const count = encoding.toUint8Array(tail)
    const message = new Uint8Array(head.length + count.length)
    message.set(head)
    message.set(count, head.length)
    return message
  }
}

/** Reads a `persisted` message body (after its type). */
export function decodePersisted(decoder: decoding.Decoder): PersistedNotice {
  const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder))
  const stateVector = new Map<number, number>()
  const count = decoding.readVarUint(inner)
  for (let i = 0; i < count; i++) stateVector.set(decoding.readVarUint(inner), decoding.readVarUint(inner))
  return { stateVector, messages: decoding.readVarUint(decoder) }
}

/** Whether a message a client sends carries document changes (sync step 2 or update). */
export function isDocumentMessage(message: Uint8Array): boolean {
  return message.length > 1 && message[0] === MessageType.sync && (message[1] === 1 || message[1] === 2)
}

export function encodeAccess(notice: AccessNotice): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.access)
  encoding.writeVarString(encoder, notice.access)
  encoding.writeVarString(encoder, notice.reason)
  return encoding.toUint8Array(encoder)
}

/** Reads an `access` message body (after its type). */
export function decodeAccess(decoder: decoding.Decoder): AccessNotice {
  const access = decoding.readVarString(decoder) === 'write' ? 'write' : 'read'
  const reason = decoding.readVarString(decoder)
  return { access, reason: reason === 'role' || reason === 'approved' ? reason : '' }
}
