import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
import { CloseCode } from '../../../shared/closeCodes.js'
import { MessageType } from '../../../shared/relayProtocol.js'
import { startTestServer, type TestServer } from '../../helpers/testServer.js'
import { connectClient } from '../../helpers/collabClient.js'
import { waitFor } from '../../helpers/waitFor.js'
import {
  appendParagraphUpdate,
  awarenessMessage,
  awarenessUpdate,
  clientTraces,
  docLikeServer,
  liveSnapshot,
  openReadyProbe,
  startWitness,
  storedDoc,
  storedXml,
  syncStep1Message,
  syncUpdateMessage,
  tracesOf,
  type Outcome,
  type Probe,
  type Witness,
} from '../../helpers/collabProbe.js'

/**
 * Well-framed websocket messages whose content is wrong: random bytes, cut
 * and bit-flipped updates, updates whose dependencies are missing. Each must
 * end in a documented close code and leave nothing in the section, while a
 * drafter on the same section keeps editing.
 */

let server: TestServer
let sectionId: string
let attackerCookie: string
let witnessCookie: string
let witness: Witness
const logs: string[] = []

/** Close codes the relay may answer a bad message with; 1006 or 1011 would mean a crash. */
const DOCUMENTED_CLOSES: number[] = [CloseCode.badMessage, CloseCode.tryAgainLater, CloseCode.tooLarge, 1009]

beforeAll(async () => {
  server = await startTestServer({ config: { log: (message) => logs.push(message) } })
  const drafter = await server.login('drafter')
  witnessCookie = drafter.cookie
  attackerCookie = (await server.login('drafter')).cookie
  sectionId = (await server.demoDocument(drafter.cookie)).sections[1]!.id
  witness = await startWitness(server, sectionId, witnessCookie)
  await witness.proveAlive('before the messages')
})

afterAll(async () => {
  witness?.destroy()
  await server?.close()
})

const closingLines = (): string[] => logs.filter((line) => line.startsWith(`collab ${sectionId}: closing`))

/**
 * A random client id the section has never seen. Random, not counted: a
 * bit-flipped update that was taken may hold ids near any it was made with.
 */
async function freshClientId(): Promise<number> {
  const room = (await server.server.relay.room(sectionId))!
  const used = Y.decodeStateVector(Y.encodeStateVector(room.doc))
  for (;;) {
    const id = 1 + Math.floor(Math.random() * (2 ** 32 - 2))
    if (!used.has(id)) return id
  }
}

/** Two fresh client ids, the higher first: Yjs integrates the higher client's structs first. */
async function freshClientPair(): Promise<[number, number]> {
  for (;;) {
    const [a, b] = [await freshClientId(), await freshClientId()]
    if (a !== b) return a > b ? [a, b] : [b, a]
  }
}

function uniqueMarker(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`
}

/** Sends `message` on a new socket and waits for the socket to end; returns how, and the log lines it caused. */
async function sendExpectingClose(message: Uint8Array): Promise<{ outcome: Outcome; logLines: string[] }> {
  const before = closingLines().length
  const probe = await openReadyProbe(server, sectionId, attackerCookie)
  probe.send(message)
  const outcome = await probe.ended
  // The close is logged before it is sent.
  return { outcome, logLines: closingLines().slice(before) }
}

/** Runs `work` over `items` with `concurrency` workers, in order within each worker. */
async function inPool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++
        await work(items[index]!, index)
      }
    }),
  )
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

describe('malformed protocol messages', () => {
  const badMessages: [string, () => Uint8Array][] = [
    ['an empty message', () => new Uint8Array()],
    ['an unknown message type', () => Uint8Array.from([7])],
    ['a message type beyond 2^53', () => Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])],
    ['the auth message type, which only servers send', () => Uint8Array.from([MessageType.auth, 0])],
    ['a server-only message type (persisted)', () => Uint8Array.from([MessageType.persisted, 1, 0])],
    ['an unknown sync message type', () => Uint8Array.from([MessageType.sync, 3, 2, 0, 0])],
    ['a sync message without its payload', () => Uint8Array.from([MessageType.sync, 2])],
    ['a sync payload longer than the message', () => Uint8Array.from([MessageType.sync, 2, 10, 0, 0])],
    ['trailing bytes after a sync step 1', () => Uint8Array.from([...syncStep1Message(Uint8Array.from([0])), 0])],
    ['trailing bytes after an update', () => Uint8Array.from([...syncUpdateMessage(Uint8Array.from([0, 0])), 1])],
    ['a state vector with trailing bytes', () => syncStep1Message(Uint8Array.from([0, 0]))],
    ['a state vector cut short', () => syncStep1Message(Uint8Array.from([2, 5, 1]))],
    ['an update that is not an update', () => syncUpdateMessage(Uint8Array.from([9, 9, 9]))],
    ['a sync step 2 that is not an update', () => syncUpdateMessage(Uint8Array.from([1]), 1)],
    ['a query-awareness with trailing bytes', () => Uint8Array.from([MessageType.queryAwareness, 0])],
    ['awareness with trailing bytes', () => Uint8Array.from([...awarenessMessage(awarenessUpdate([])), 0])],
    ['awareness that is not JSON', () => awarenessMessage(Uint8Array.from([1, 200, 1, 1, 3, 0x7b, 0x7b, 0x7b]))],
    ['awareness whose state is an array', () => awarenessMessage(awarenessUpdate([{ clientId: 4242, clock: 1, state: [1, 2] }]))],
    ['awareness whose state is a string', () => awarenessMessage(awarenessUpdate([{ clientId: 4243, clock: 1, state: 'hi' }]))],
    ['an awareness update cut short', () => awarenessMessage(awarenessUpdate([{ clientId: 4244, clock: 1, state: {} }]).subarray(0, 4))],
  ]

  for (const [name, build] of badMessages) {
    it(`closes ${name} with the bad-message code and one log line`, async () => {
      const { outcome, logLines } = await sendExpectingClose(build())
      expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.badMessage })
      expect(logLines).toHaveLength(1)
    })
  }

  it('keeps the witness editing after the table of bad messages', async () => {
    await witness.proveAlive('after the table')
    expect(witness.client.closes).toEqual([])
  })

  it('handles nothing a socket sends after the message it was closed for, and logs the close once', async () => {
    const marker = uniqueMarker('after-close')
    const doc = await docLikeServer(server, sectionId, await freshClientId())
    const valid = syncUpdateMessage(appendParagraphUpdate(doc, marker))
    const before = closingLines().length
    const probe = await openReadyProbe(server, sectionId, attackerCookie)
    // All written at once, before the close can reach the client.
    probe.send(Uint8Array.from([7]))
    for (let i = 0; i < 50; i++) probe.send(Uint8Array.from([8 + (i % 90)]))
    probe.send(valid)
    expect(await probe.ended).toMatchObject({ kind: 'closed', code: CloseCode.badMessage })
    await witness.proveAlive('after the burst behind a bad message')
    expect.soft(await tracesOf(server, sectionId, marker), 'an update sent after the bad message was applied').toEqual([])
    expect(closingLines().slice(before), 'log lines for one closed socket').toHaveLength(1)
  })

  it('survives 2,000 random messages, answering each bad one with a documented close code', async () => {
    // A failure names its seed; FUZZ_SEED=<seed> replays it.
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const gen = prng.create(seed)
    const base = await docLikeServer(server, sectionId, await freshClientId())
    const realUpdate = appendParagraphUpdate(base, uniqueMarker('fuzz-base'))
    const realMessages = [
      syncUpdateMessage(realUpdate),
      syncStep1Message(Y.encodeStateVector(base)),
      awarenessMessage(awarenessUpdate([{ clientId: base.clientID, clock: 1, state: { cursor: null } }])),
    ]
    const messages: Uint8Array[] = []
    for (let i = 0; i < 2000; i++) messages.push(randomMessage(gen, realMessages))

    const closes = new Map<string, number>()
    const undocumented: string[] = []
    await inPool(
      Array.from({ length: 4 }, (_, worker) => messages.filter((_message, index) => index % 4 === worker)),
      4,
      async (slice) => {
        let probe: Probe | null = null
        for (const message of slice) {
          if (!probe || probe.outcome) probe = await openReadyProbe(server, sectionId, attackerCookie)
          probe.send(message)
          if (await probe.roundTrip()) continue
          const outcome = probe.outcome!
          const key = outcome.kind === 'closed' ? String(outcome.code) : outcome.kind
          closes.set(key, (closes.get(key) ?? 0) + 1)
          if (outcome.kind !== 'closed' || !DOCUMENTED_CLOSES.includes(outcome.code)) {
            undocumented.push(`${JSON.stringify(outcome)} after ${hex(message)}`)
          }
        }
        probe?.close()
      },
    )
    expect(undocumented, `seed ${seed}; closes ${JSON.stringify([...closes])}`).toEqual([])
    expect(closes.get(String(CloseCode.badMessage)), `seed ${seed}`).toBeGreaterThan(0)
    expect(logs.filter((line) => line.startsWith('error:')), `seed ${seed}`).toEqual([])
    await witness.proveAlive(`after 2000 random messages, seed ${seed}`)
    expect(witness.client.closes, `seed ${seed}`).toEqual([])
  })

  it('refuses every proper prefix of a real update with the bad-message code and stores none of it', async () => {
    const clientId = await freshClientId()
    const marker = uniqueMarker('prefix')
    const doc = await docLikeServer(server, sectionId, clientId)
    const before = Y.encodeStateVector(doc)
    // Several structs, a formatted run and a deletion, so the cuts fall in every part of the format.
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText(`${marker} and more`)
    paragraph.insert(0, [text])
    doc.getXmlFragment('prosemirror').push([paragraph])
    text.format(0, 4, { strong: true })
    text.delete(marker.length, 4)
    const update = Y.encodeStateAsUpdate(doc, before)
    expect(update.length).toBeGreaterThan(60)

    // Why every cut must be refused: the update starts with its number of
    // clients and of structs and ends with its delete set, so a proper prefix
    // always announces a struct, a string or a delete set it does not hold.
    for (let length = 0; length < update.length; length++) {
      expect(() => Y.decodeUpdate(update.subarray(0, length)), `a prefix of ${length} bytes decodes`).toThrow()
    }

    const wrong: string[] = []
    const linesBefore = closingLines().length
    await inPool(
      Array.from({ length: update.length }, (_, length) => length),
      4,
      async (length) => {
        const { outcome } = await sendExpectingClose(syncUpdateMessage(update.subarray(0, length)))
        if (outcome.kind !== 'closed' || outcome.code !== CloseCode.badMessage) {
          wrong.push(`prefix of ${length} bytes: ${JSON.stringify(outcome)}`)
        }
      },
    )
    expect(wrong).toEqual([])
    expect(closingLines().length - linesBefore).toBe(update.length)
    await witness.proveAlive('after the prefixes')
    expect(await tracesOf(server, sectionId, marker)).toEqual([])
    expect(await clientTraces(server, sectionId, clientId)).toEqual([])
    // The whole update is fine, and goes through.
    const probe = await openReadyProbe(server, sectionId, attackerCookie)
    probe.send(syncUpdateMessage(update))
    expect(await probe.roundTrip()).toBe(true)
    probe.close()
    await witness.proveAlive('after the whole update')
    expect(await storedXml(server, sectionId)).toContain(`<strong>${marker.slice(0, 4)}</strong>${marker.slice(4)} more`)
  })

  it('leaves no trace of any bit-flipped update it refuses, and stays consistent with those it takes', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const gen = prng.create(seed)
    const refusedWithTrace: string[] = []
    const undocumented: string[] = []
    const counts = { accepted: 0, refused: 0 }
    let probe: Probe | null = null
    for (let i = 0; i < 300; i++) {
      const doc = await docLikeServer(server, sectionId, await freshClientId())
      const update = appendParagraphUpdate(doc, `flip-${i}-${seed}`)
      doc.destroy()
      const flipped = update.slice()
      const flips = prng.int32(gen, 1, 3)
      for (let k = 0; k < flips; k++) {
        const bit = prng.int32(gen, 0, flipped.length * 8 - 1)
        flipped[bit >> 3]! ^= 1 << (bit & 7)
      }
      if (!probe || probe.outcome) probe = await openReadyProbe(server, sectionId, attackerCookie)
      const before = await liveSnapshot(server, sectionId)
      probe.send(syncUpdateMessage(flipped))
      if (await probe.roundTrip()) {
        counts.accepted++
        continue
      }
      counts.refused++
      const outcome = probe.outcome!
      if (outcome.kind !== 'closed' || !DOCUMENTED_CLOSES.includes(outcome.code)) {
        undocumented.push(`${JSON.stringify(outcome)} after ${hex(flipped)}`)
      }
      // Let what the room applied reach its broadcast and store.
      await new Promise((resolve) => setImmediate(resolve))
      const after = await liveSnapshot(server, sectionId)
      if (!Buffer.from(before).equals(Buffer.from(after))) {
        refusedWithTrace.push(`closed ${outcome.kind === 'closed' ? outcome.code : outcome.kind} yet changed the section: ${hex(flipped)}`)
      }
    }
    probe?.close()
    expect(undocumented, `seed ${seed}`).toEqual([])
    expect(counts.refused, `seed ${seed}`).toBeGreaterThan(0)
    await witness.proveAlive(`after bit flips, seed ${seed}`)
    expect(witness.client.closes, `seed ${seed}`).toEqual([])
    // A new client, the witness, the loaded room and the disk agree.
    const fresh = connectClient(server.wsUrl, sectionId, witnessCookie)
    try {
      await fresh.synced()
      const room = (await server.server.relay.room(sectionId))!
      const stored = await storedDoc(server, sectionId)
      const xml = room.doc.getXmlFragment('prosemirror').toString()
      await waitFor(() => fresh.fragment.toString() === xml && witness.client.fragment.toString() === xml, {
        message: `the fresh client and the witness to converge with the server (seed ${seed})`,
      })
      expect(stored.getXmlFragment('prosemirror').toString(), `seed ${seed}`).toBe(xml)
      stored.destroy()
    } finally {
      fresh.destroy()
    }
    // Refused as malformed (4400) and refused for missing dependencies (1013) fail for different reasons.
    const context = `seed ${seed}; ${JSON.stringify(counts)}`
    expect.soft(refusedWithTrace.filter((line) => line.startsWith('closed 4400')), context).toEqual([])
    expect(refusedWithTrace.filter((line) => !line.startsWith('closed 4400')), context).toEqual([])
  })

  it('refuses an update whose structs decode but cannot be applied, and stores no part of it', async () => {
    // Client A's structs are valid; client B's XmlText names as its parent a
    // later clock of B's own update. `Y.decodeUpdate` accepts the whole;
    // applying throws at B, after A was integrated (Yjs goes from the highest
    // client id down).
    const markerA = uniqueMarker('smuggled')
    const [clientA, clientB] = await freshClientPair()
    // A paragraph inserted at the start of an empty document depends on nothing.
    const docA = new Y.Doc()
    docA.clientID = clientA
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText(markerA)])
    docA.getXmlFragment('prosemirror').insert(0, [paragraph])
    const updateA = Y.encodeStateAsUpdate(docA)
    docA.destroy()
    expect([updateA[0], updateA[updateA.length - 1]]).toEqual([1, 0]) // one client, no deletions
    const crafted = Uint8Array.from([2, ...updateA.subarray(1, updateA.length - 1), ...selfParentedBlock(clientB, 'never-b'), 0])
    expect(() => Y.decodeUpdate(crafted)).not.toThrow()

    const { outcome } = await sendExpectingClose(syncUpdateMessage(crafted))
    expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.badMessage })
    await witness.proveAlive('after the half-applicable update')
    expect(await tracesOf(server, sectionId, markerA), 'part of an update refused as malformed was kept').toEqual([])
    expect(await clientTraces(server, sectionId, clientA)).toEqual([])
    expect(await clientTraces(server, sectionId, clientB)).toEqual([])
  })

  it('closes an update whose dependencies are missing with 1013, keeps none of it, and takes it once they come first', async () => {
    const clientId = await freshClientId()
    const doc = await docLikeServer(server, sectionId, clientId)
    const first = uniqueMarker('dependency')
    const second = uniqueMarker('dependent')
    const firstUpdate = appendParagraphUpdate(doc, first)
    const paragraph = doc.getXmlFragment('prosemirror').get(doc.getXmlFragment('prosemirror').length - 1) as Y.XmlElement
    const before = Y.encodeStateVector(doc)
    ;(paragraph.get(0) as Y.XmlText).insert(first.length, ` ${second}`)
    const secondUpdate = Y.encodeStateAsUpdate(doc, before)
    doc.destroy()

    const { outcome, logLines } = await sendExpectingClose(syncUpdateMessage(secondUpdate))
    expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.tryAgainLater })
    expect(logLines).toHaveLength(1)
    await witness.proveAlive('after the update without its dependency')
    expect(await tracesOf(server, sectionId, second)).toEqual([])
    expect(await clientTraces(server, sectionId, clientId)).toEqual([])

    const probe = await openReadyProbe(server, sectionId, attackerCookie)
    probe.send(syncUpdateMessage(firstUpdate))
    probe.send(syncUpdateMessage(secondUpdate))
    expect(await probe.roundTrip()).toBe(true)
    probe.close()
    await witness.proveAlive('after the update with its dependency')
    expect(await storedXml(server, sectionId)).toContain(`${first} ${second}`)
  })

  it('drops the whole of an update part of which lacks its dependencies', async () => {
    // One update carrying a complete paragraph (client A) and a change that
    // builds on something the server never saw (client C).
    const markerA = uniqueMarker('beside-missing')
    const [clientA, clientC] = await freshClientPair()
    const docA = await docLikeServer(server, sectionId, clientA)
    const updateA = appendParagraphUpdate(docA, markerA)
    docA.destroy()
    const docC = await docLikeServer(server, sectionId, clientC)
    appendParagraphUpdate(docC, uniqueMarker('never-sent'))
    const updateC = appendParagraphUpdate(docC, uniqueMarker('orphan'))
    docC.destroy()
    const combined = Y.mergeUpdates([updateA, updateC])

    const { outcome } = await sendExpectingClose(syncUpdateMessage(combined))
    expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.tryAgainLater })
    await witness.proveAlive('after the partly dependent update')
    expect(await tracesOf(server, sectionId, markerA), 'part of an update closed with 1013 was kept').toEqual([])
    expect(await clientTraces(server, sectionId, clientA)).toEqual([])
  })

  it('never lost the witness, and logged no server error', () => {
    expect(witness.client.closes).toEqual([])
    expect(logs.filter((line) => line.startsWith('error:'))).toEqual([])
  })
})

/**
 * One client's block of an update (no client count, no delete set): a
 * paragraph at the start of the section, an XmlText whose parent is clock 4
 * of the same client — a struct later in this very block — and a string in
 * that XmlText.
 */
function selfParentedBlock(client: number, text: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 3) // structs
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 0) // first clock
  // Item, no origins, ContentType (7); parent is the root type `prosemirror`; a YXmlElement (3) `paragraph`.
  encoding.writeUint8(encoder, 7)
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarString(encoder, 'prosemirror')
  encoding.writeVarUint(encoder, 3)
  encoding.writeVarString(encoder, 'paragraph')
  // Item, ContentType; parent is the item (client, 4); a YXmlText (6).
  encoding.writeUint8(encoder, 7)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 4)
  encoding.writeVarUint(encoder, 6)
  // Item, ContentString (4); parent is the item (client, 1).
  encoding.writeUint8(encoder, 4)
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarString(encoder, text)
  return encoding.toUint8Array(encoder)
}

/** A random message: raw bytes, a known type with a random body, or a real message mutated. */
function randomMessage(gen: prng.PRNG, realMessages: Uint8Array[]): Uint8Array {
  const randomBytes = (max: number): Uint8Array => prng.uint8Array(gen, prng.int32(gen, 0, max))
  const encoder = encoding.createEncoder()
  switch (prng.int32(gen, 0, 5)) {
    case 0:
      return randomBytes(64)
    case 1:
      encoding.writeVarUint(encoder, prng.oneOf(gen, [0, 1, 2, 3, prng.uint32(gen, 0, 2 ** 32 - 1)]))
      encoding.writeUint8Array(encoder, randomBytes(48))
      return encoding.toUint8Array(encoder)
    case 2:
      encoding.writeVarUint(encoder, MessageType.sync)
      encoding.writeVarUint(encoder, prng.int32(gen, 0, 3))
      encoding.writeVarUint8Array(encoder, randomBytes(48))
      if (prng.int32(gen, 0, 4) === 0) encoding.writeUint8Array(encoder, randomBytes(3))
      return encoding.toUint8Array(encoder)
    case 3: {
      const entries = Array.from({ length: prng.int32(gen, 0, 6) }, () => ({
        clientId: prng.uint32(gen, 0, 2 ** 32 - 1),
        clock: prng.uint32(gen, 0, 2 ** 32 - 1),
        state: prng.oneOf(gen, [null, {}, { user: { name: prng.word(gen) } }, { cursor: prng.utf16String(gen, 30) }, 1, 'x']),
      }))
      return awarenessMessage(awarenessUpdate(entries))
    }
    default: {
      const message = Array.from(prng.oneOf(gen, realMessages))
      const mutations = prng.int32(gen, 1, 4)
      for (let i = 0; i < mutations; i++) {
        const at = prng.int32(gen, 0, Math.max(0, message.length - 1))
        switch (prng.int32(gen, 0, 3)) {
          case 0:
            message[at] = prng.int32(gen, 0, 255)
            break
          case 1:
            message.splice(at, 0, prng.int32(gen, 0, 255))
            break
          case 2:
            message.splice(at, 1)
            break
          default:
            message.length = at
        }
      }
      return Uint8Array.from(message)
    }
  }
}
