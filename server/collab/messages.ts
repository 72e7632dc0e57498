import * as syncProtocol from 'y-protocols/sync'
import { MessageType } from '../../shared/relayProtocol.js'

/**
 * Server → client messages, each encoded once and sent as is to every
 * receiver: one or two type numbers, then the payload with its length.
 * Built at their exact size, in one buffer, rather than with a lib0
 * encoder: a keystroke's message then fits in the heap (Uint8Arrays up to
 * 64 bytes do), where the encoder's 100-byte start and its copy made two
 * buffers outside it for every keystroke, for the young generation's
 * collections to sweep.
 */

export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  return message([MessageType.sync, syncProtocol.messageYjsSyncStep1], stateVector)
}

export function syncStep2Message(missing: Uint8Array): Uint8Array {
  return message([MessageType.sync, syncProtocol.messageYjsSyncStep2], missing)
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return message([MessageType.sync, syncProtocol.messageYjsUpdate], update)
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  return message([MessageType.awareness], update)
}

/**
 * `types` (each below 128: one byte as a varuint), then `payload` with its
 * varuint length, as lib0's `writeVarUint8Array` writes it.
 */
function message(types: readonly number[], payload: Uint8Array): Uint8Array {
  let lengthBytes = 1
  for (let rest = payload.length >>> 7; rest > 0; rest >>>= 7) lengthBytes++
  const bytes = new Uint8Array(types.length + lengthBytes + payload.length)
  bytes.set(types)
  let offset = types.length
  let length = payload.length
  for (; length > 0x7f; length >>>= 7) bytes[offset++] = 0x80 | (length & 0x7f)
  bytes[offset++] = length
  bytes.set(payload, offset)
  return bytes
}
