import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import { MessageType } from '../../../shared/relayProtocol.js'
import { member, roomWith, syncMessageParts, typed } from '../../helpers/sectionRooms.js'

/**
 * A room answers a client's sync step 1 with what the client lacks. Fresh
 * clients all lack everything: a crowd joining a large section gets one
 * message built once, until the section changes.
 */

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/** The update inside a sync step 2 message. */
function updateIn(message: Uint8Array): Uint8Array {
  expect(message[0]).toBe(MessageType.sync)
  const { syncType, payload } = syncMessageParts(message)
  expect(syncType).toBe(syncProtocol.messageYjsSyncStep2)
  return payload
}

function textOf(...updates: Uint8Array[]): string {
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, update)
  return doc.getText('t').toString()
}

it('gives fresh clients one whole-state message, built anew once the section changed', async () => {
  const room = roomWith([])
  const writer = new Y.Doc()
  const stored = typed(writer, 'Protection of migrants')
  room.loadFrom({ update: stored, stateVector: Y.encodeStateVectorFromUpdate(stored) })

  const first = room.syncStep2For(EMPTY_STATE_VECTOR)
  expect(textOf(updateIn(first))).toBe('Protection of migrants')
  expect(room.syncStep2For(EMPTY_STATE_VECTOR)).toBe(first)

  const keystroke = typed(writer, '!')
  expect(room.accept(keystroke, Y.decodeUpdate(keystroke), member('ana'))).toBeNull()
  const after = room.syncStep2For(EMPTY_STATE_VECTOR)
  expect(after).not.toBe(first)
  expect(textOf(updateIn(after))).toBe('Protection of migrants!')

  // A reconnecting client's whole state repeats what the section holds; it is applied at once.
  writer.getText('t').insert(0, 'The ')
  const whole = Y.encodeStateAsUpdate(writer)
  expect(room.accept(whole, Y.decodeUpdate(whole), member('ana'))).toBeNull()
  const afterRepeat = room.syncStep2For(EMPTY_STATE_VECTOR)
  expect(afterRepeat).not.toBe(after)
  expect(textOf(updateIn(afterRepeat))).toBe('The Protection of migrants!')
  await room.whenIdle()
  room.destroy()
})

it('gives a client that has part of the section only what it lacks', async () => {
  const room = roomWith([])
  const writer = new Y.Doc()
  const stored = typed(writer, 'Dignity')
  room.loadFrom({ update: stored, stateVector: Y.encodeStateVectorFromUpdate(stored) })
  const reader = new Y.Doc()
  Y.applyUpdate(reader, stored)

  // Before the stored state is read into the room's document, and after.
  expect(Y.decodeUpdate(updateIn(room.syncStep2For(Y.encodeStateVector(reader)))).structs).toEqual([])
  const keystroke = typed(writer, ' for all')
  expect(room.accept(keystroke, Y.decodeUpdate(keystroke), member('ana'))).toBeNull()
  const missing = updateIn(room.syncStep2For(Y.encodeStateVector(reader)))
  const readerClock = Y.getState(reader.store, writer.clientID)
  expect(Y.decodeUpdate(missing).structs.map((struct) => struct.id.clock >= readerClock)).toEqual([true])
  Y.applyUpdate(reader, missing)
  expect(reader.getText('t').toString()).toBe('Dignity for all')
  await room.whenIdle()
  room.destroy()
})

it('keeps one copy of a stored state it sent whole, not the bytes the store read it from', async () => {
  setFlagsFromString('--expose-gc')
  const collectGarbage = runInNewContext('gc') as () => void
  const writer = new Y.Doc()
  const state = typed(writer, 'Restoring family links')
  const stateVector = Y.encodeStateVectorFromUpdate(state)
  // As a snapshot file is read: one buffer, the state with its deleted content first.
  let file: Buffer | null = Buffer.alloc(1_000_000 + state.length + stateVector.length)
  file.set(state, 1_000_000)
  file.set(stateVector, 1_000_000 + state.length)
  const read = new WeakRef(file.buffer)
  const room = roomWith([])
  room.loadFrom({
    update: file.subarray(0, 1_000_000),
    lean: file.subarray(1_000_000, 1_000_000 + state.length),
    stateVector: file.subarray(1_000_000 + state.length),
  })
  file = null
  const whole = room.syncStep2For(EMPTY_STATE_VECTOR)

  // A weakly held object lives at least until the end of the task that last read it.
  await new Promise((resolve) => setImmediate(resolve))
  collectGarbage()
  expect(read.deref()).toBeUndefined()
  expect(textOf(updateIn(whole))).toBe('Restoring family links')
  expect(room.doc.getText('t').toString()).toBe('Restoring family links')
  room.destroy()
})
