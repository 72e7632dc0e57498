import { expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import {
  decodeHistoryEntry,
  historyEntryOf,
  outlineOf,
  writeHistoryEntryOf,
  type UpdateOutline,
  type UpdateRecord,
} from '../../../server/storage/updateRecords.js'
import { typed } from '../../helpers/sectionRooms.js'

/** The history entry as written, then read back. */
function written(record: UpdateRecord, outline?: UpdateOutline): ReturnType<typeof decodeHistoryEntry> {
  const encoder = encoding.createEncoder()
  writeHistoryEntryOf(encoder, record, outline)
  return decodeHistoryEntry(encoding.toUint8Array(encoder))
}

it('writes the history entry an update record has, from its outline or from reading it', () => {
  const doc = new Y.Doc()
  const updates = [typed(doc, 'Migrants')]
  const before = Y.encodeStateVector(doc)
  doc.getText('t').delete(0, 1)
  updates.push(Y.encodeStateAsUpdate(doc, before))
  const [ben, cleo] = [new Y.Doc(), new Y.Doc()]
  for (const other of [ben, cleo]) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
  updates.push(Y.mergeUpdates([typed(ben, ' and'), typed(cleo, ' refugees')]))

  updates.forEach((update, index) => {
    const record = { seq: index + 1, author: 'ana', at: 1_700_000_000_000 + index, update }
    const entry = historyEntryOf(record)
    expect(written(record)).toEqual(entry)
    expect(written(record, outlineOf(Y.decodeUpdate(update)))).toEqual(entry)
  })
  const entries = updates.map((update, index) => historyEntryOf({ seq: index + 1, author: 'ana', at: 0, update }))
  const [inserting, deleting, twoWriters] = entries
  expect(inserting!.inserted).toEqual(new Map([[doc.clientID, [0, 'Migrants'.length]]]))
  expect(Y.decodeUpdate(deleting!.deletions).ds.clients.size).toBe(1)
  expect(twoWriters!.inserted.size).toBe(2)
})
