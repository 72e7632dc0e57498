/**
 * Server → client websocket frames (RFC 6455 §5.2: final, binary, unmasked),
 * built once per message and written as they are to every receiver's socket.
 * ws frames each `send` anew, which in a room of two hundred was a fifth of
 * the cost of a broadcast.
 */

const FIN_BINARY = 0x82
const LENGTH_16 = 126
const LENGTH_64 = 127

/** The frames built so far, by message; a message is the same object for every receiver. */
const frames = new WeakMap<Uint8Array, Buffer>()

/** `message` as one binary websocket frame, header and payload in one buffer. */
export function binaryFrame(message: Uint8Array): Buffer {
  const cached = frames.get(message)
  if (cached) return cached
  const length = message.length
  const headerLength = length < LENGTH_16 ? 2 : length < 0x10000 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerLength + length)
  frame[0] = FIN_BINARY
  if (length < LENGTH_16) {
    frame[1] = length
  } else if (length < 0x10000) {
    frame[1] = LENGTH_16
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = LENGTH_64
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  frame.set(message, headerLength)
  frames.set(message, frame)
  return frame
}
