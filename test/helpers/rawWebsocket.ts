import { connect, type Socket } from 'node:net'
import { randomBytes } from 'node:crypto'
import { waitFor } from './waitFor.js'

/**
 * A websocket spoken by hand over a TCP socket, for inputs a real websocket
 * library refuses to produce: reserved bits and opcodes, unmasked or
 * fragmented control frames, lying lengths, literal request paths.
 */

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const

export interface FrameOptions {
  opcode: number
  payload?: Uint8Array
  /** FIN bit; true unless said otherwise. */
  fin?: boolean
  /** RSV1–RSV3 as a 3-bit number (4 = RSV1, 2 = RSV2, 1 = RSV3). */
  rsv?: number
  /** Client frames must be masked; true unless said otherwise. */
  masked?: boolean
  /** Payload length to announce instead of the real one (the payload is still written as given). */
  announcedLength?: bigint
}

/** Encodes one websocket frame as a client would send it (or, with options, as it must not). */
export function encodeFrame(options: FrameOptions): Buffer {
  const payload = Buffer.from(options.payload ?? new Uint8Array())
  const length = options.announcedLength ?? BigInt(payload.length)
  const masked = options.masked ?? true
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | options.opcode
  const maskBit = masked ? 0x80 : 0
  let head: Buffer
  if (length < 126n) {
    head = Buffer.from([first, maskBit | Number(length)])
  } else if (length < 65536n) {
    head = Buffer.alloc(4)
    head[0] = first
    head[1] = maskBit | 126
    head.writeUInt16BE(Number(length), 2)
  } else {
    head = Buffer.alloc(10)
    head[0] = first
    head[1] = maskBit | 127
    head.writeBigUInt64BE(length, 2)
  }
  if (!masked) return Buffer.concat([head, payload])
  const key = randomBytes(4)
  const body = Buffer.alloc(payload.length)
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ key[i % 4]!
  return Buffer.concat([head, key, body])
}

/** A close frame's payload: the code, then the reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason))
  payload.writeUInt16BE(code, 0)
  payload.write(reason, 2)
  return payload
}

/** A frame the server sent. */
export interface ServerFrame {
  fin: boolean
  opcode: number
  payload: Buffer
}

/** Splits what the server sent into frames; returns the incomplete rest. */
function decodeServerFrames(bytes: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = []
  let offset = 0
  for (;;) {
    if (bytes.length - offset < 2) break
    const first = bytes[offset]!
    const second = bytes[offset + 1]!
    let length = second & 0x7f
    let headLength = 2
    if (length === 126) {
      if (bytes.length - offset < 4) break
      length = bytes.readUInt16BE(offset + 2)
      headLength = 4
    } else if (length === 127) {
      if (bytes.length - offset < 10) break
      length = Number(bytes.readBigUInt64BE(offset + 2))
      headLength = 10
    }
    if (second & 0x80) headLength += 4 // servers do not mask, but be lenient
    if (bytes.length - offset < headLength + length) break
    frames.push({
      fin: (first & 0x80) !== 0,
      opcode: first & 0x0f,
      payload: bytes.subarray(offset + headLength, offset + headLength + length),
    })
    offset += headLength + length
  }
  return { frames, rest: bytes.subarray(offset) }
}

/** How a raw connection ended. */
export interface RawClose {
  /** Status code of the server's close frame, or null if it sent none. */
  code: number | null
  reason: string
}

export interface RawConnection {
  socket: Socket
  /** Status of the HTTP response to the upgrade; 0 if the server closed without answering. */
  status: number
  /** The response head as text. */
  responseHead: string
  /** Frames the server sent so far (after a 101). */
  frames: ServerFrame[]
  /** Resolves once the TCP connection is closed. */
  closed: Promise<RawClose>
  /** Whether the TCP connection is closed. */
  isClosed(): boolean
  write(bytes: Uint8Array): void
  /** Waits for a frame the server sent that `predicate` accepts. */
  waitForFrame(predicate: (frame: ServerFrame) => boolean, message?: string): Promise<ServerFrame>
  destroy(): void
}

/**
 * Opens a TCP connection to the server at `httpUrl` and asks to upgrade
 * `path` (sent literally, as is) to a websocket, with `headers` added.
 * Resolves once the server answered the upgrade (or hung up).
 */
export function rawConnect(httpUrl: string, path: string, headers: Record<string, string> = {}): Promise<RawConnection> {
  const url = new URL(httpUrl)
  const socket = connect({ host: url.hostname, port: Number(url.port) })
  const frames: ServerFrame[] = []
  let pending = Buffer.alloc(0)
  let headDone = false
  let closed = false
  let closeCode: number | null = null
  let closeReason = ''
  let sentClose = false
  let resolveHead!: (connection: RawConnection) => void
  let resolveClosed!: (close: RawClose) => void
  const head = new Promise<RawConnection>((resolve) => (resolveHead = resolve))
  const closedPromise = new Promise<RawClose>((resolve) => (resolveClosed = resolve))

  const connection: RawConnection = {
    socket,
    status: 0,
    responseHead: '',
    frames,
    closed: closedPromise,
    isClosed: () => closed,
    write: (bytes) => {
      if (!socket.destroyed && socket.writable) socket.write(bytes)
    },
    waitForFrame: (predicate, message = 'a frame from the server') =>
      waitFor(
        () => {
          const found = frames.find(predicate)
          if (found) return found
          if (closed) throw new Error(`the connection closed (code ${closeCode}) before ${message}`)
          return undefined
        },
        { message, timeout: 15_000 },
      ),
    destroy: () => socket.destroy(),
  }

  const readFrames = (): void => {
    const { frames: decoded, rest } = decodeServerFrames(pending)
    pending = Buffer.from(rest)
    for (const frame of decoded) {
      frames.push(frame)
      if (frame.opcode === Opcode.close) {
        if (frame.payload.length >= 2) {
          closeCode = frame.payload.readUInt16BE(0)
          closeReason = frame.payload.subarray(2).toString('utf8')
        }
        // Answer like a well-behaved client, so the server need not wait for a timeout.
        if (!sentClose) {
          sentClose = true
          connection.write(encodeFrame({ opcode: Opcode.close, payload: frame.payload.subarray(0, 2) }))
          socket.end()
        }
      }
    }
  }

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk])
    if (!headDone) {
      const end = pending.indexOf('\r\n\r\n')
      if (end < 0) return
      headDone = true
      connection.responseHead = pending.subarray(0, end).toString('latin1')
      connection.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(connection.responseHead)?.[1] ?? 0)
      pending = Buffer.from(pending.subarray(end + 4))
      resolveHead(connection)
    }
    if (connection.status === 101) readFrames()
  })
  socket.on('error', () => undefined) // a reset shows as the close below
  socket.on('close', () => {
    closed = true
    if (!headDone) {
      headDone = true
      resolveHead(connection)
    }
    resolveClosed({ code: closeCode, reason: closeReason })
  })
  socket.on('connect', () => {
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ]
    socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  })
  return head
}
