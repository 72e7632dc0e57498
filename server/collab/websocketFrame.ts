/**
 * Server → client websocket frames (RFC 6455 §5.2: final, binary, unmasked),
 * built once per message and written as they are to every receiver's socket.
 * ws frames each `send` anew, which in a room of two hundred was a fifth of
 * the cost of a broadcast.
 */

const FIN_BINARY = 0x82
const LENGTH_16 = 126
const LENGTH_64 = 127
/**
 * A message up to this size is copied behind its header into one buffer, one
 * write; a larger one (a whole section for a client that joins) is written
 * after its header as it is, not copied.
 */
const COPY_LIMIT = 16 * 1024

/**
 * The frames built by the callback running now, by message, cleared when
 * its microtasks run: a broadcast frames a message for all its receivers
 * in one synchronous loop. Kept until their messages were collected,
 * frames survived scavenges and were promoted.
 */
const framedNow = new Map<Uint8Array, Uint8Array[]>()
const forgetFrames = (): void => framedNow.clear()

/** `message` as one binary websocket frame: the buffers to write, in order. */
export function binaryFrame(message: Uint8Array): Uint8Array[] {
  const cached = framedNow.get(message)
  if (cached) return cached
  const length = message.length
  const headerLength = length < LENGTH_16 ? 2 : length < 0x10000 ? 4 : 10
  const copied = length <= COPY_LIMIT
  const header = Buffer.allocUnsafe(headerLength + (copied ? length : 0))
  header[0] = FIN_BINARY
  if (length < LENGTH_16) {
    header[1] = length
  } else if (length < 0x10000) {
    header[1] = LENGTH_16
    header.writeUInt16BE(length, 2)
  } else {
    header[1] = LENGTH_64
    header.writeBigUInt64BE(BigInt(length), 2)
  }
  if (copied) header.set(message, headerLength)
  const frame = copied ? [header] : [header, message]
  if (framedNow.size === 0) queueMicrotask(forgetFrames)
  framedNow.set(message, frame)
  return frame
}
