import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { WebSocket } from 'ws'
import { MessageType } from '../../shared/relayProtocol.js'
import { connectClient, type CollabClient } from './collabClient.js'
import type { TestServer } from './testServer.js'
import { waitFor } from './waitFor.js'

/**
 * Tools for attacking the relay and checking that it held: a bare `ws`
 * socket that sends whatever it is given, a well-behaved "witness" client
 * that keeps editing the attacked section, and a search of the stored state
 * and files for what must not be there.
 */

/** How a connection attempt ended. */
export type Outcome =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'http'; status: number }
  | { kind: 'failed'; message: string }

/** A bare websocket on `/collab/<path>` that sends raw protocol messages. */
export interface Probe {
  socket: WebSocket
  /** Every message the server sent, in order. */
  received: Uint8Array[]
  /** The section as the server described it to this socket (sync messages only). */
  doc: Y.Doc
  /** Resolves true once open, false if the connection never opened. */
  opened: Promise<boolean>
  /** Resolves once the connection ended, with how. */
  ended: Promise<Outcome>
  /** How the connection ended, or null while it is open. */
  outcome: Outcome | null
  send(message: Uint8Array): void
  /**
   * Sends a sync step 1 and waits until the server answers it or closes:
   * true if answered. The server handles a socket's messages in order, so an
   * answer means everything sent before was handled without closing.
   */
  roundTrip(): Promise<boolean>
  /** Resolves true once the server sent (or had sent) a message `predicate` accepts, false if the socket ended first. */
  waitForMessage(predicate: (message: Uint8Array) => boolean): Promise<boolean>
  close(): void
}

/** Opens a `ws` socket to `${wsUrl}/${path}` (path used as given) with `headers`. */
export function openProbe(wsUrl: string, path: string, headers: Record<string, string> = {}): Probe {
  const socket = new WebSocket(`${wsUrl}/${path}`, { headers })
  socket.binaryType = 'nodebuffer'
  const received: Uint8Array[] = []
  const doc = new Y.Doc()
  let answers = 0
  /** Called after every event; each returns true once it is done. */
  let waiters: (() => boolean)[] = []
  const notify = (): void => {
    waiters = waiters.filter((waiter) => !waiter())
  }
  let resolveOpened!: (opened: boolean) => void
  let resolveEnded!: (outcome: Outcome) => void
  const probe: Probe = {
    socket,
    received,
    doc,
    opened: new Promise((resolve) => (resolveOpened = resolve)),
    ended: new Promise((resolve) => (resolveEnded = resolve)),
    outcome: null,
    send: (message) => {
      if (socket.readyState === socket.OPEN) socket.send(message)
    },
    roundTrip: () => {
      if (probe.outcome) return Promise.resolve(false)
      const before = answers
      probe.send(syncStep1Message(Y.encodeStateVector(doc)))
      return new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('Timed out waiting for an answer or a close')), 15_000)
        waiters.push(() => {
          if (answers === before && !probe.outcome) return false
          clearTimeout(timer)
          resolve(answers > before)
          return true
        })
      })
    },
    close: () => socket.close(),
    waitForMessage: () => Promise.resolve(false),
  }
  const end = (outcome: Outcome): void => {
    if (probe.outcome) return
    probe.outcome = outcome
    resolveOpened(false)
    resolveEnded(outcome)
    notify()
  }
  socket.on('open', () => resolveOpened(true))
  socket.on('unexpected-response', (_request, response) => {
    end({ kind: 'http', status: response.statusCode ?? 0 })
    socket.terminate()
  })
  socket.on('error', (error) => {
    if (socket.readyState !== socket.OPEN) end({ kind: 'failed', message: error.message })
  })
  socket.on('close', (code, reason) => end({ kind: 'closed', code, reason: reason.toString() }))
  socket.on('message', (data: Buffer) => {
    const message = new Uint8Array(data)
    received.push(message)
    try {
      const decoder = decoding.createDecoder(message)
      if (decoding.readVarUint(decoder) !== MessageType.sync) return
      const syncType = decoding.readVarUint(decoder)
      if (syncType === 1 || syncType === 2) Y.applyUpdate(doc, decoding.readVarUint8Array(decoder))
      if (syncType === 1) answers++
    } catch {
      // The probe only follows the section to keep its questions short.
    }
    notify()
  })
  probe.waitForMessage = (predicate) => {
    if (probe.outcome) return Promise.resolve(false)
    return new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Timed out waiting for a message or a close')), 15_000)
      let seen = 0
      waiters.push(() => {
        for (; seen < received.length; seen++) {
          if (predicate(received[seen]!)) {
            clearTimeout(timer)
            resolve(true)
            return true
          }
        }
        if (!probe.outcome) return false
        clearTimeout(timer)
        resolve(false)
        return true
      })
      notify()
    })
  }
  return probe
}

/** `[sync, step 1, state vector]` */
export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}

/** `[sync, update, update]`, as a client sends each local change. */
export function syncUpdateMessage(update: Uint8Array, syncType = 2): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** `[awareness, update]` */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.awareness)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** An awareness update with the given entries, encoded as y-protocols does. */
export function awarenessUpdate(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}

/** Opens a probe on `sectionId` and waits until the server has let it in (its first message). */
export async function openReadyProbe(server: TestServer, sectionId: string, cookie: string): Promise<Probe> {
  const probe = openProbe(server.wsUrl, sectionId, { cookie })
  if (!(await probe.opened)) throw new Error(`the probe could not connect: ${JSON.stringify(probe.outcome)}`)
  // The server's step 1 comes once the section is loaded and the socket authorised.
  if (!(await probe.waitForMessage((message) => message[0] === MessageType.sync))) {
    throw new Error(`the probe was closed at once: ${JSON.stringify(probe.outcome)}`)
  }
  return probe
}

/** Appends a paragraph holding `text` to a client's section. */
export function appendParagraph(client: CollabClient, text: string): void {
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  client.fragment.push([paragraph])
}

/**
 * A well-behaved drafter who stays on the attacked section: before and after
 * each attack it types a marker, waits until the server has stored it, and
 * checks that a newly connected client receives it.
 */
export interface Witness {
  client: CollabClient
  /** Every marker typed so far. */
  markers: string[]
  proveAlive(label: string): Promise<void>
  destroy(): void
}

let witnessCounter = 0

export async function startWitness(server: TestServer, sectionId: string, cookie: string): Promise<Witness> {
  const client = connectClient(server.wsUrl, sectionId, cookie)
  await client.synced()
  const witness: Witness = {
    client,
    markers: [],
    async proveAlive(label) {
      const marker = `witness-${++witnessCounter}-${label.replace(/[^a-z0-9]+/gi, '-')}`
      appendParagraph(client, marker)
      witness.markers.push(marker)
      await client.saved()
      const fresh = connectClient(server.wsUrl, sectionId, cookie)
      try {
        await fresh.synced()
        await waitFor(() => witness.markers.every((typed) => fresh.text().includes(typed)), {
          message: `a new client to receive every witness marker up to ${marker}`,
        })
      } finally {
        fresh.destroy()
      }
    },
    destroy: () => client.destroy(),
  }
  return witness
}

/** The section as stored on disk, as a Y.Doc. */
export async function storedDoc(server: TestServer, sectionId: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  const stored = await server.server.store.load(sectionId)
  if (stored) Y.applyUpdate(doc, stored)
  return doc
}

/** The stored section's XML (`Y.XmlFragment#toString`), every attribute and mark included. */
export async function storedXml(server: TestServer, sectionId: string): Promise<string> {
  const doc = await storedDoc(server, sectionId)
  const xml = doc.getXmlFragment('prosemirror').toString()
  doc.destroy()
  return xml
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const files: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await filesUnder(path)))
    else files.push(path)
  }
  return files
}

/**
 * Where `needle` can be found: in the stored section, in the section loaded
 * in the relay, in the stored state's items of `clientId`, or as bytes in any
 * file of the data folder. An empty list means no trace.
 */
export async function tracesOf(server: TestServer, sectionId: string, needle: string): Promise<string[]> {
  const found: string[] = []
  if ((await storedXml(server, sectionId)).includes(needle)) found.push('the stored section')
  const room = await server.server.relay.room(sectionId)
  if (room && !room.destroyed && room.doc.getXmlFragment('prosemirror').toString().includes(needle)) {
    found.push('the section loaded in the relay')
  }
  const bytes = Buffer.from(needle, 'utf8')
  for (const file of await filesUnder(server.dataDir)) {
    const contents = await readFile(file).catch(() => null)
    if (contents?.includes(bytes)) found.push(`the file ${relative(server.dataDir, file)}`)
  }
  return found
}

/** Whether the stored section or the loaded room holds any item created by `clientId`. */
export async function clientTraces(server: TestServer, sectionId: string, clientId: number): Promise<string[]> {
  const found: string[] = []
  const stored = await storedDoc(server, sectionId)
  if (Y.decodeStateVector(Y.encodeStateVector(stored)).has(clientId)) {
    found.push(`the stored section has items of client ${clientId}`)
  }
  stored.destroy()
  const room = await server.server.relay.room(sectionId)
  if (room && !room.destroyed && Y.decodeStateVector(Y.encodeStateVector(room.doc)).has(clientId)) {
    found.push(`the loaded section has items of client ${clientId}`)
  }
  return found
}

/** The loaded section's state (state vector and delete set), to compare before and after an input. */
export async function liveSnapshot(server: TestServer, sectionId: string): Promise<Uint8Array> {
  const room = await server.server.relay.room(sectionId)
  if (!room) throw new Error(`section ${sectionId} is not loaded`)
  return Y.encodeSnapshot(Y.snapshot(room.doc))
}

/** A Y.Doc that holds the section as the server has it now, with `clientId`. */
export async function docLikeServer(server: TestServer, sectionId: string, clientId: number): Promise<Y.Doc> {
  const room = await server.server.relay.room(sectionId)
  if (!room) throw new Error(`section ${sectionId} is not loaded`)
  const doc = new Y.Doc()
  doc.clientID = clientId
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  return doc
}

/** The update that appends a paragraph with `text` to `doc`'s section. */
export function appendParagraphUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText(text)])
  doc.getXmlFragment('prosemirror').push([paragraph])
  return Y.encodeStateAsUpdate(doc, before)
}
