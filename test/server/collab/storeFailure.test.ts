import { expect, it } from 'vitest'
import * as Y from 'yjs'
import type { IncomingUpdate } from '../../../server/storage/documentStore.js'
import { MessageType } from '../../../shared/relayProtocol.js'
import { member, roomWith } from '../../helpers/sectionRooms.js'
import { waitFor } from '../../helpers/waitFor.js'

/**
 * A store that refuses writes (a full disk, a lost volume): the room keeps
 * every update in memory, says so, retries, and acknowledges only once the
 * store has taken them.
 */
it('keeps updates in memory while the store fails, retries, and acknowledges only after it succeeds', async () => {
  let failuresLeft = 2
  const stored: IncomingUpdate[] = []
  const events: string[] = []
  const room = roomWith(stored, {
    store: async (_sectionId, updates) => {
      if (failuresLeft-- > 0) throw new Error('ENOSPC: no space left on device')
      stored.push(...updates)
    },
    onStoreError: () => events.push('error'),
    onStoreRecovered: () => events.push('recovered'),
  })
  const received: Uint8Array[] = []
  const writer = member('u1', received)
  room.add(writer)

  const lena = new Y.Doc()
  lena.getText('t').insert(0, 'kept through a full disk')
  Object.assign(writer, { documentMessages: 1 })
  expect(room.apply(Y.encodeStateAsUpdate(lena), writer)).toBe('applied')

  await waitFor(() => events.length >= 1, { message: 'the first failure' })
  expect(room.idle).toBe(false)
  expect(received.some((message) => message[0] === MessageType.persisted)).toBe(false)
  await room.whenIdle()
  expect(events).toEqual(['error', 'error', 'recovered'])
  expect(stored).toHaveLength(1)
  const copy = new Y.Doc()
  Y.applyUpdate(copy, stored[0]!.update)
  expect(copy.getText('t').toString()).toBe('kept through a full disk')
  expect(stored[0]!.author).toBe('u1')
  await waitFor(() => received.some((message) => message[0] === MessageType.persisted), { message: 'the acknowledgement' })
  expect(received.filter((message) => message[0] === MessageType.persisted)).toHaveLength(1)
  room.destroy()
})
