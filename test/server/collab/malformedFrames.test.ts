import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { CloseCode } from '../../../shared/closeCodes.js'
import { Limits } from '../../../shared/limits.js'
import { MessageType } from '../../../shared/relayProtocol.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { closePayload, encodeFrame, Opcode, rawConnect, type RawClose } from '../../helpers/rawWebsocket.js'
import {
  appendParagraphUpdate,
  docLikeServer,
  openProbe,
  startWitness,
  syncUpdateMessage,
  tracesOf,
  type Witness,
} from '../../helpers/collabProbe.js'

/**
 * Websocket frames that break RFC 6455, written by hand on a TCP socket.
 * `ws` must refuse each with its protocol close code, and nothing the frame
 * carried may reach the section, while a drafter on the same section keeps
 * editing.
 */

let server: TestServer
let sectionId: string
let attackerCookie: string
let witness: Witness
const logs: string[] = []
/** Connections `ws` refused for a protocol violation, each of which must log one line. */
let refusals = 0

beforeAll(async () => {
  server = await startTestServer({ config: { log: (message) => logs.push(message) } })
  const drafter = await server.login('drafter')
  attackerCookie = (await server.login('drafter')).cookie
  sectionId = (await server.demoDocument(drafter.cookie)).sections[0]!.id
  witness = await startWitness(server, sectionId, drafter.cookie)
  await witness.proveAlive('before the frames')
})

afterAll(async () => {
  witness?.destroy()
  await server?.close()
})

let markerCounter = 0

/** A complete, valid update message that appends a paragraph holding a new marker. */
async function markedUpdateMessage(): Promise<{ marker: string; message: Uint8Array }> {
  const marker = `frame-marker-${++markerCounter}-${Math.random().toString(36).slice(2)}`
  const doc = await docLikeServer(server, sectionId, 900_000 + markerCounter)
  const message = syncUpdateMessage(appendParagraphUpdate(doc, marker))
  doc.destroy()
  return { marker, message }
}

/** Connects by hand, waits until the section is served, writes `bytes` and waits for the end. */
async function sendRaw(bytes: Buffer): Promise<RawClose> {
  const raw = await rawConnect(server.url, `/collab/${sectionId}`, { Cookie: attackerCookie })
  expect(raw.status).toBe(101)
  await raw.waitForFrame((frame) => frame.opcode === Opcode.binary && frame.payload[0] === MessageType.access, 'the access notice')
  raw.write(bytes)
  const close = await raw.closed
  if (close.code === 1002 || close.code === 1007 || close.code === 1009) refusals++
  return close
}

async function expectNoTraceAndAlive(marker: string, label: string): Promise<void> {
  await witness.proveAlive(label)
  expect(await tracesOf(server, sectionId, marker)).toEqual([])
  expect(witness.client.closes).toEqual([])
}

describe('malformed websocket frames', () => {
  it('closes a frame with a reserved bit set with 1002 (protocol error)', async () => {
    const { marker, message } = await markedUpdateMessage()
    const close = await sendRaw(encodeFrame({ opcode: Opcode.binary, rsv: 0b100, payload: message }))
    expect(close.code).toBe(1002)
    await expectNoTraceAndAlive(marker, 'after RSV1')
  })

  it('closes a frame with RSV2 or RSV3 set with 1002', async () => {
    for (const rsv of [0b010, 0b001]) {
      const { marker, message } = await markedUpdateMessage()
      const close = await sendRaw(encodeFrame({ opcode: Opcode.binary, rsv, payload: message }))
      expect(close.code).toBe(1002)
      await expectNoTraceAndAlive(marker, `after rsv ${rsv}`)
    }
  })

  it('closes a frame with a reserved opcode with 1002', async () => {
    // 0x3–0x7 are reserved data opcodes, 0xB–0xF reserved control opcodes.
    for (const opcode of [0x3, 0x7, 0xb, 0xf]) {
      const { marker, message } = await markedUpdateMessage()
      const close = await sendRaw(encodeFrame({ opcode, payload: message }))
      expect(close.code).toBe(1002)
      await expectNoTraceAndAlive(marker, `after opcode ${opcode}`)
    }
  })

  it('closes an unmasked client frame with 1002', async () => {
    const { marker, message } = await markedUpdateMessage()
    const close = await sendRaw(encodeFrame({ opcode: Opcode.binary, masked: false, payload: message }))
    expect(close.code).toBe(1002)
    await expectNoTraceAndAlive(marker, 'after an unmasked frame')
  })

  it('closes a text frame with invalid UTF-8 with 1007', async () => {
    const marker = `utf8-marker-${Math.random().toString(36).slice(2)}`
    // An overlong encoding, a lone continuation byte and a surrogate half.
    for (const bad of [[0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80]]) {
      const payload = Buffer.concat([Buffer.from(marker), Buffer.from(bad)])
      const close = await sendRaw(encodeFrame({ opcode: Opcode.text, payload }))
      expect(close.code).toBe(1007)
    }
    await expectNoTraceAndAlive(marker, 'after invalid UTF-8')
  })

  it('closes a close frame whose reason is invalid UTF-8 with 1007', async () => {
    const close = await sendRaw(encodeFrame({ opcode: Opcode.close, payload: Buffer.concat([closePayload(1000), Buffer.from([0xff])]) }))
    expect(close.code).toBe(1007)
    await witness.proveAlive('after a close frame with invalid UTF-8')
  })

  it('closes a fragmented control frame with 1002', async () => {
    const { marker, message } = await markedUpdateMessage()
    const ping = encodeFrame({ opcode: Opcode.ping, fin: false, payload: Buffer.from('ping') })
    const rest = encodeFrame({ opcode: Opcode.continuation, payload: message })
    const close = await sendRaw(Buffer.concat([ping, rest]))
    expect(close.code).toBe(1002)
    await expectNoTraceAndAlive(marker, 'after a fragmented ping')
  })

  it('closes a control frame longer than 125 bytes with 1002', async () => {
    const close = await sendRaw(encodeFrame({ opcode: Opcode.ping, payload: Buffer.alloc(126, 1) }))
    expect(close.code).toBe(1002)
    await witness.proveAlive('after a long ping')
  })

  it('closes a continuation frame that continues nothing with 1002', async () => {
    const { marker, message } = await markedUpdateMessage()
    const close = await sendRaw(encodeFrame({ opcode: Opcode.continuation, payload: message }))
    expect(close.code).toBe(1002)
    await expectNoTraceAndAlive(marker, 'after a stray continuation')
  })

  it('closes a frame announcing more than the payload limit with 1009, without waiting for the bytes', async () => {
    const { marker, message } = await markedUpdateMessage()
    // The announced length is over the limit; only the first bytes follow.
    const close = await sendRaw(
      encodeFrame({ opcode: Opcode.binary, payload: message, announcedLength: BigInt(Limits.websocketPayloadBytes + 1) }),
    )
    expect(close.code).toBe(1009)
    await expectNoTraceAndAlive(marker, 'after an oversized length')
  })

  it('closes a frame announcing a length beyond 2^63 with 1009', async () => {
    const { marker, message } = await markedUpdateMessage()
    const close = await sendRaw(encodeFrame({ opcode: Opcode.binary, payload: message, announcedLength: 2n ** 64n - 1n }))
    expect(close.code).toBe(1009)
    await expectNoTraceAndAlive(marker, 'after a 64-bit length')
  })

  it('closes a fragmented message whose fragments add up to more than the payload limit with 1009', async () => {
    const { marker, message } = await markedUpdateMessage()
    const half = Buffer.alloc(Limits.websocketPayloadBytes / 2 + 1)
    const frames = Buffer.concat([
      encodeFrame({ opcode: Opcode.binary, fin: false, payload: message }),
      encodeFrame({ opcode: Opcode.continuation, fin: false, payload: half }),
      encodeFrame({ opcode: Opcode.continuation, fin: true, payload: half }),
    ])
    const close = await sendRaw(frames)
    expect(close.code).toBe(1009)
    await expectNoTraceAndAlive(marker, 'after oversized fragments')
  })

  it('closes a real message over the payload limit with 1009', async () => {
    const socket = new WebSocket(`${server.wsUrl}/${sectionId}`, { headers: { cookie: attackerCookie } })
    const code = await new Promise<number>((resolve) => {
      socket.on('open', () => socket.send(Buffer.alloc(Limits.websocketPayloadBytes + 1, 7)))
      socket.on('error', () => undefined)
      socket.on('close', (closeCode) => resolve(closeCode))
    })
    expect(code).toBe(1009)
    refusals++
    await witness.proveAlive('after a message over the limit')
  })

  it('closes a well-formed text frame with the bad-message code: the protocol is binary', async () => {
    const probe = openProbe(server.wsUrl, sectionId, { cookie: attackerCookie })
    expect(await probe.opened).toBe(true)
    probe.socket.send('hello')
    expect(await probe.ended).toMatchObject({ kind: 'closed', code: CloseCode.badMessage })
    await witness.proveAlive('after a text frame')
  })

  it('logs each refused frame once, and the witness never lost its connection', () => {
    const socketErrors = logs.filter((line) => line.startsWith('collab: socket error'))
    expect(socketErrors).toHaveLength(refusals)
    expect(logs.filter((line) => line.startsWith('error:'))).toEqual([])
    expect(witness.client.closes).toEqual([])
  })
})
