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
  /** Server → client: the state vector that is now durably on disk. */
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

export function encodePersisted(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.persisted)
  encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}

/** Reads a `persisted` message body (after its type) as a state vector map. */
export function decodePersisted(decoder: decoding.Decoder): Map<number, number> {
  const stateVector = decoding.readVarUint8Array(decoder)
  const inner = decoding.createDecoder(stateVector)
  const result = new Map<number, number>()
  const count = decoding.readVarUint(inner)
  for (let i = 0; i < count; i++) result.set(decoding.readVarUint(inner), decoding.readVarUint(inner))
  return result
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
