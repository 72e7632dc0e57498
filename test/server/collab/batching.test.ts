import { expect, it } from 'vitest'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { SectionRoom, type RoomMember } from '../../../server/collab/sectionRoom.js'
import type { RelayHooks } from '../../../server/collab/hooks.js'
import type { IncomingUpdate } from '../../../server/storage/documentStore.js'
import { MessageType } from '../../../shared/relayProtocol.js'

/**
 * Keystrokes that arrive before the next broadcast are applied together and
 * sent as one message; each is stored as it came, with its author. An update
 * that repeats what the section holds (a reconnecting client's sync) is
 * applied at once and only what it adds is stored.
 */

function member(id: string, received: Uint8Array[]): RoomMember {
  return {
    identity: { id, name: id, organisation: 'IFRC', color: '#0b7a75' },
    clientIds: new Set(),
    documentMessages: 0,
    acknowledged: 0,
    send: (message) => received.push(message),
  }
}

function roomWith(stored: IncomingUpdate[]): SectionRoom {
  const hooks: RelayHooks = {
    authenticate: () => null,
    authorize: () => ({ access: 'write', reason: '' }),
    load: async () => null,
    store: async (_sectionId, updates) => {
      stored.push(...updates)
    },
  }
  const room = new SectionRoom('s-batching', hooks)
  room.loadFrom(null)
  return room
}

/** The document updates among the messages a member was sent. */
function updatesIn(messages: Uint8Array[]): Uint8Array[] {
  return messages
    .filter((message) => message[0] === MessageType.sync)
    .map((message) => {
      const decoder = decoding.createDecoder(message)
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
      return decoding.readVarUint8Array(decoder)
    })
}

function typed(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  const shared = doc.getText('t')
  shared.insert(shared.length, text)
  return Y.encodeStateAsUpdate(doc, before)
}

it('applies keystrokes of one turn together, sends them as one message and stores each with its author', async () => {
  const stored: IncomingUpdate[] = []
  const room = roomWith(stored)
  const toReader: Uint8Array[] = []
  const [ana, ben, reader] = [member('ana', []), member('ben', []), member('reader', toReader)]
  for (const one of [ana, ben, reader]) room.add(one)
  const [anaDoc, benDoc] = [new Y.Doc(), new Y.Doc()]

  for (const [doc, who, text] of [[anaDoc, ana, 'Migrants '], [benDoc, ben, 'matter'], [anaDoc, ana, '!']] as const) {
    const update = typed(doc, text)
    expect(room.accept(update, Y.decodeUpdate(update), who)).toBeNull()
  }
  expect(room.idle).toBe(false)
  await room.whenIdle()

  const sent = updatesIn(toReader)
  expect(sent).toHaveLength(1)
  const copy = new Y.Doc()
  Y.applyUpdate(copy, sent[0]!)
  expect(copy.getText('t').toString()).toBe(room.doc.getText('t').toString())
  expect(copy.getText('t').length).toBe('Migrants matter!'.length)
  expect(stored.map((entry) => entry.author)).toEqual(['ana', 'ben', 'ana'])
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
