import { expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import type { RoomMember } from '../../../server/collab/sectionRoom.js'
import type { IncomingUpdate } from '../../../server/storage/documentStore.js'
import { NO_DELETE_SET, outlineOf } from '../../../server/storage/updateRecords.js'
import { MessageType, decodePersisted } from '../../../shared/relayProtocol.js'
import { member, roomWith, syncMessageParts, typed } from '../../helpers/sectionRooms.js'
import { waitFor } from '../../helpers/waitFor.js'

/**
 * The first keystroke of a turn goes out at once; those that follow it in
 * the same turn are applied together and sent as one message at its end.
 * Each is stored as it came, with its author. An update
 * that repeats what the section holds (a reconnecting client's sync) is
 * applied at once and only what it adds is stored. A member is told its
 * changes are on disk in the same write as the next broadcast it gets.
 */

/** The document updates among the messages a member was sent. */
function updatesIn(messages: Uint8Array[]): Uint8Array[] {
  return messages
    .filter((message) => message[0] === MessageType.sync)
    .map((message) => syncMessageParts(message).payload)
}

it('applies keystrokes of one turn together and stores each with its author; the first goes out at once, the rest together', async () => {
  const stored: IncomingUpdate[] = []
  const room = roomWith(stored)
  const toReader: Uint8Array[] = []
  const [ana, ben, reader] = [member('ana', []), member('ben', []), member('reader', toReader)]
  for (const one of [ana, ben, reader]) room.add(one)
  const [anaDoc, benDoc] = [new Y.Doc(), new Y.Doc()]

  const first = typed(anaDoc, 'Dignity ')
  expect(room.accept(first, Y.decodeUpdate(first), ana)).toBeNull()
  // Sent before `accept` returned, as it came.
  expect(updatesIn(toReader)).toEqual([first])
  for (const [doc, who, text] of [[benDoc, ben, 'for '], [anaDoc, ana, 'all']] as const) {
    const update = typed(doc, text)
    expect(room.accept(update, Y.decodeUpdate(update), who)).toBeNull()
  }
  expect(updatesIn(toReader)).toHaveLength(1)
  expect(room.idle).toBe(false)
  await room.whenIdle()

  const sent = updatesIn(toReader)
  expect(sent).toHaveLength(2)
  const copy = new Y.Doc()
  for (const update of sent) Y.applyUpdate(copy, update)
  expect(copy.getText('t').toString()).toBe(room.doc.getText('t').toString())
  expect(copy.getText('t').length).toBe('Dignity for all'.length)
  expect(stored.map((entry) => entry.author)).toEqual(['ana', 'ben', 'ana'])
  room.destroy()
})

it('sends a keystroke that arrives alone as it came, before applying it, and stores it with its author', async () => {
  const stored: IncomingUpdate[] = []
  let changes = 0
  const room = roomWith(stored, { onChange: () => changes++ })
  const toReader: Uint8Array[] = []
  const [ana, reader] = [member('ana', []), member('reader', toReader)]
  room.add(ana)
  room.add(reader)
  const doc = new Y.Doc()
  // A first keystroke is stored at once; the next waits for the store's spacing.
  const first = typed(doc, 'Human')
  expect(room.accept(first, Y.decodeUpdate(first), ana)).toBeNull()
  await room.whenIdle()
  expect(updatesIn(toReader)).toEqual([first])
  const changesBefore = changes

  // On a later turn of the event loop, the first keystroke of that turn.
  await new Promise((resolve) => setImmediate(resolve))
  const update = typed(doc, 'ity')
  expect(room.accept(update, Y.decodeUpdate(update), ana)).toBeNull()
  // Sent before `accept` returned.
  expect(updatesIn(toReader)[1]).toEqual(update)
  // Sent before the room's document took it: applied later, with the store.
  expect(changes).toBe(changesBefore)
  await room.whenIdle()
  expect(changes).toBe(changesBefore + 1)
  expect(stored.map((entry) => [entry.author, entry.update])).toEqual([
    ['ana', first],
    ['ana', update],
  ])
  expect(room.doc.getText('t').toString()).toBe('Humanity')
  room.destroy()
})

it('hands the store what history keeps of each keystroke, as its checks read it', async () => {
  const stored: IncomingUpdate[] = []
  const room = roomWith(stored)
  const ana = member('ana')
  room.add(ana)
  const doc = new Y.Doc()
  const text = doc.getText('t')
  const keystrokes = [typed(doc, 'Migrants'), typed(doc, ' and refugees')]
  const before = Y.encodeStateVector(doc)
  text.delete(0, 1)
  text.insert(0, 'm')
  keystrokes.push(Y.encodeStateAsUpdate(doc, before))
  // Two writers' keystrokes merged into one update, as a client that was offline sends them.
  const [ben, cleo] = [new Y.Doc(), new Y.Doc()]
  Y.applyUpdate(ben, Y.encodeStateAsUpdate(doc))
  Y.applyUpdate(cleo, Y.encodeStateAsUpdate(doc))
  keystrokes.push(Y.mergeUpdates([typed(ben, ' in'), typed(cleo, ' need')]))
  for (const keystroke of keystrokes) expect(room.accept(keystroke, Y.decodeUpdate(keystroke), ana)).toBeNull()
  await room.whenIdle()

  expect(stored.map((entry) => entry.update)).toEqual(keystrokes)
  for (const entry of stored) expect(entry.outline).toEqual(outlineOf(Y.decodeUpdate(entry.update)))
  expect(stored[0]!.outline).toEqual({ inserted: [doc.clientID, 0, 'Migrants'.length], deleteSet: NO_DELETE_SET })
  // Keystrokes that delete nothing share one delete set while they wait for their store.
  expect(stored[1]!.outline!.deleteSet).toBe(NO_DELETE_SET)
  expect(stored[2]!.outline!.deleteSet.clients.size).toBe(1)
  expect(stored[3]!.outline!.inserted).toHaveLength(6)
  room.destroy()
})

it('keeps its own copy of a keystroke, whatever becomes of the buffer it was read into', async () => {
  const stored: IncomingUpdate[] = []
  const room = roomWith(stored)
  const ana = member('ana')
  room.add(ana)
  const doc = new Y.Doc()
  const first = typed(doc, 'Protection ')
  expect(room.accept(first, Y.decodeUpdate(first), ana)).toBeNull()
  await room.whenIdle()
  // Stored a moment ago, the section waits before its next store.
  const keystroke = typed(doc, 'matters')
  const received = Uint8Array.from(keystroke)
  expect(room.accept(received, Y.decodeUpdate(received), ana)).toBeNull()
  // The socket reads its next bytes into the same memory.
  received.fill(0)
  await room.whenIdle()
  expect(stored.map((entry) => entry.update)).toEqual([first, keystroke])
  expect(room.doc.getText('t').toString()).toBe('Protection matters')
  room.destroy()
})

it('broadcasts a keystroke in a room of more than 64 members only after the turn, with what follows it', async () => {
  const room = roomWith([])
  const toReader: Uint8Array[] = []
  const reader = member('reader', toReader)
  const writers = Array.from({ length: 64 }, (_, index) => member(`writer-${index}`, []))
  for (const one of [reader, ...writers]) room.add(one)
  const doc = new Y.Doc()
  for (const text of ['Safe ', 'passage']) {
    const update = typed(doc, text)
    expect(room.accept(update, Y.decodeUpdate(update), writers[0]!)).toBeNull()
    expect(updatesIn(toReader)).toEqual([])
  }
  await waitFor(() => updatesIn(toReader).length > 0, { message: 'the broadcast reaching the reader' })
  expect(updatesIn(toReader)).toHaveLength(1)
  const copy = new Y.Doc()
  Y.applyUpdate(copy, updatesIn(toReader)[0]!)
  expect(copy.getText('t').toString()).toBe('Safe passage')
  await room.whenIdle()
  room.destroy()
})

it('refuses an update that lists one writer twice, which Yjs would read as half of it', () => {
  const room = roomWith([])
  const toReader: Uint8Array[] = []
  const [ana, reader] = [member('ana', []), member('reader', toReader)]
  room.add(ana)
  room.add(reader)
  const doc = new Y.Doc()
  const [head, tail] = [typed(doc, 'Mig'), typed(doc, 'rants')]
  // One client, two runs of structs: [one client, head's run, tail's run, no deletions].
  expect(head[0]).toBe(1)
  expect(tail[0]).toBe(1)
  const twice = new Uint8Array([2, ...head.subarray(1, -1), ...tail.subarray(1, -1), 0])
  expect(Y.decodeUpdate(twice).structs.map((struct) => struct.id.clock)).toEqual([0, 3])

  expect(room.accept(twice, Y.decodeUpdate(twice), ana)).toBe('malformed')
  expect(room.idle).toBe(true)
  expect(toReader).toEqual([])
  room.destroy()
})

it('refuses an update holding an empty struct, which Yjs never writes', () => {
  const room = roomWith([])
  const ana = member('ana', [])
  room.add(ana)
  const doc = new Y.Doc()
  const letter = typed(doc, 'a')
  // The string's [length 1, "a"] and no deletions, made an empty string: [length 0], no deletions.
  expect([...letter.subarray(-3)]).toEqual([1, 'a'.charCodeAt(0), 0])
  const empty = new Uint8Array([...letter.subarray(0, -3), 0, 0])
  expect(Y.decodeUpdate(empty).structs.map((struct) => struct.length)).toEqual([0])

  expect(room.accept(empty, Y.decodeUpdate(empty), ana)).toBe('malformed')
  expect(room.idle).toBe(true)
  room.destroy()
})

it('stores only what a repeated update adds, applied at once', async () => {
  const stored: IncomingUpdate[] = []
  const room = roomWith(stored)
  const writer = member('ana', [])
  room.add(writer)
  const doc = new Y.Doc()
  const first = typed(doc, 'Protection')
  expect(room.accept(first, Y.decodeUpdate(first), writer)).toBeNull()
  await room.whenIdle()

  typed(doc, ' at every stage')
  // After a reconnect the client sends everything the server may lack: its whole state.
  const whole = Y.encodeStateAsUpdate(doc)
  expect(room.accept(whole, Y.decodeUpdate(whole), writer)).toBeNull()
  expect(room.doc.getText('t').toString()).toBe('Protection at every stage')
  await room.whenIdle()

  expect(stored).toHaveLength(2)
  const added = new Y.Doc()
  Y.applyUpdate(added, stored[0]!.update)
  Y.applyUpdate(added, stored[1]!.update)
  expect(added.getText('t').toString()).toBe('Protection at every stage')
  expect(stored[1]!.update.length).toBeLessThan(whole.length)
  room.destroy()
})

it('tells a writer its changes are on disk in the same write as the next broadcast it gets, or alone soon after', async () => {
  const room = roomWith([])
  const writes: Uint8Array[][] = []
  const ana: RoomMember = { ...member('ana', []), send: (...messages) => writes.push(messages) }
  const ben = member('ben', [])
  room.add(ana)
  room.add(ben)
  const [anaDoc, benDoc] = [new Y.Doc(), new Y.Doc()]
  const persistedCount = (message: Uint8Array): number => {
    const decoder = decoding.createDecoder(message)
    expect(decoding.readVarUint(decoder)).toBe(MessageType.persisted)
    return decodePersisted(decoder).messages
  }

  const first = typed(anaDoc, 'Dignity')
  Object.assign(ana, { documentMessages: 1 })
  expect(room.accept(first, Y.decodeUpdate(first), ana)).toBeNull()
  await room.whenIdle()
  expect(writes).toEqual([])

  const reply = typed(benDoc, 'Humanity')
  expect(room.accept(reply, Y.decodeUpdate(reply), ben)).toBeNull()
  await waitFor(() => writes.length > 0, { message: "ben's update reaching ana" })
  expect(writes).toHaveLength(1)
  expect(writes[0]!.map((message) => message[0])).toEqual([MessageType.sync, MessageType.persisted])
  expect(persistedCount(writes[0]![1]!)).toBe(1)

  // No one else types: the news goes alone.
  const second = typed(anaDoc, ' for all')
  Object.assign(ana, { documentMessages: 2 })
  expect(room.accept(second, Y.decodeUpdate(second), ana)).toBeNull()
  await waitFor(() => writes.length > 1, { message: 'the acknowledgement of the second update' })
  expect(writes[1]).toHaveLength(1)
  expect(persistedCount(writes[1]![0]!)).toBe(2)
  room.destroy()
})

it('stores one batch at a time, at most every tenth of a second, however fast keystrokes come', async () => {
  let running = 0
  let overlapped = false
  const batches: number[] = []
  const room = roomWith([], {
    store: async (_sectionId, updates) => {
      running++
      overlapped ||= running > 1
      batches.push(updates.length)
      // A durable write takes a while: keystrokes keep coming meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 20))
      running--
    },
  })
  const writers = [member('ana', []), member('ben', [])]
  for (const writer of writers) room.add(writer)
  const docs = [new Y.Doc(), new Y.Doc()]
  const started = performance.now()
  for (let keystroke = 0; keystroke < 200; keystroke++) {
    const who = keystroke % 2
    const update = typed(docs[who]!, 'x')
    expect(room.accept(update, Y.decodeUpdate(update), writers[who]!)).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  await room.whenIdle()
  const seconds = (performance.now() - started) / 1000

  expect(overlapped).toBe(false)
  expect(batches.reduce((sum, count) => sum + count, 0)).toBe(200)
  expect(batches.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1)
  room.destroy()
})

it('waits at least 10 ms between two broadcasts in a room of 200, a twentieth of a millisecond per member', async () => {
  const room = roomWith([])
  const broadcastsAt: number[] = []
  const reader: RoomMember = { ...member('reader', []), send: () => void broadcastsAt.push(performance.now()) }
  const writers = Array.from({ length: 199 }, (_, index) => member(`writer-${index}`, []))
  for (const one of [reader, ...writers]) room.add(one)
  const doc = new Y.Doc()
  const first = typed(doc, 'Safe ')
  const second = typed(doc, 'passage')
  expect(room.accept(first, Y.decodeUpdate(first), writers[0]!)).toBeNull()
  // The second arrives on the turn right after the first went out.
  await new Promise<void>((resolve) => {
    const poll = (): void => (broadcastsAt.length === 1 ? resolve() : void setImmediate(poll))
    poll()
  })
  expect(room.accept(second, Y.decodeUpdate(second), writers[0]!)).toBeNull()
  await waitFor(() => broadcastsAt.length === 2, { message: 'the second broadcast' })
  // 200 members × 0.05 ms. Node's timers go by a millisecond clock read at
  // the start of each turn, so by this clock one may fire a little over a
  // millisecond early.
  expect(broadcastsAt[1]! - broadcastsAt[0]!).toBeGreaterThanOrEqual(8)
  await room.whenIdle()
  room.destroy()
})
