import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterEach, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { binaryFrame } from '../../../server/collab/websocketFrame.js'

/**
 * The relay writes frames it built itself beneath ws; a real ws client must
 * read them as the messages they hold, whatever the length's encoding.
 */

let server: WebSocketServer | null = null
afterEach(async () => {
  if (!server) return
  for (const client of server.clients) client.terminate()
  await new Promise((resolve) => server!.close(resolve))
  server = null
})

it('frames messages of every length encoding so that a ws client reads them as sent', async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await once(server, 'listening')
  const accepted = once(server, 'connection') as Promise<[WebSocket]>
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`)
  const [serverSide] = await accepted
  await once(client, 'open')

  // 0 and 125 fit the first length byte, 126 and 65,535 take two more, 65,536 eight.
  const lengths = [0, 1, 125, 126, 65_535, 65_536, 300_000]
  const sent = lengths.map((length) => Uint8Array.from({ length }, (_, index) => (index * 7 + length) % 256))
  const received: Array<{ data: Buffer; isBinary: boolean }> = []
  const all = new Promise<void>((resolve) =>
    client.on('message', (data: Buffer, isBinary: boolean) => {
      received.push({ data, isBinary })
      if (received.length === sent.length) resolve()
    }),
  )
  const tcp = (serverSide as unknown as { _socket: Duplex })._socket
  for (const message of sent) for (const buffer of binaryFrame(message)) tcp.write(buffer)
  await all

  expect(received.map(({ isBinary }) => isBinary)).toEqual(lengths.map(() => true))
  expect(received.map(({ data }) => data.length)).toEqual(lengths)
  received.forEach(({ data }, index) => expect(Buffer.compare(data, Buffer.from(sent[index]!))).toBe(0))
  client.close()
})

it('builds a message’s frame once for all its receivers, and keeps it no longer; a large message is not copied', async () => {
  const message = new Uint8Array([0, 1, 2])
  const frame = binaryFrame(message)
  expect(binaryFrame(message)).toBe(frame)
  expect(frame.map((buffer) => [...buffer])).toEqual([[0x82, 3, 0, 1, 2]])
  expect(binaryFrame(new Uint8Array([0, 1, 2]))).not.toBe(frame)
  // Kept until the callback's microtasks run; then built anew, the same bytes.
  await Promise.resolve()
  const later = binaryFrame(message)
  expect(later).not.toBe(frame)
  expect(later.map((buffer) => [...buffer])).toEqual([[0x82, 3, 0, 1, 2]])

  const whole = new Uint8Array(300_000)
  const [header, payload] = binaryFrame(whole)
  expect([...header!]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 0x04, 0x93, 0xe0])
  expect(payload).toBe(whole)
})
