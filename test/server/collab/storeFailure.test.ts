import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { SectionRoom, type RoomMember } from '../../../server/collab/sectionRoom.js'
import type { RelayHooks } from '../../../server/collab/hooks.js'
import type { IncomingUpdate } from '../../../server/storage/documentStore.js'
import { MessageType } from '../../../shared/relayProtocol.js'
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
  const hooks: RelayHooks = {
    authenticate: () => null,
    authorize: () => ({ access: 'write', reason: '' }),
    load: async () => null,
    store: async (_sectionId, updates) => {
      if (failuresLeft-- > 0) throw new Error('ENOSPC: no space left on device')
      stored.push(...updates)
    },
    onStoreError: () => events.push('error'),
    onStoreRecovered: () => events.push('recovered'),
  }
  const room = new SectionRoom('s-failing', hooks)
  room.loadFrom(null)
  const received: Uint8Array[] = []
  const member: RoomMember = {
    identity: { id: 'u1', name: 'Lena', organisation: 'Swedish Red Cross', color: '#0b7a75' },
    clientIds: new Set(),
    documentMessages: 0,
    acknowledged: 0,
    send: (...messages) => received.push(...messages),
  }
  room.add(member)

  const writer = new Y.Doc()
  writer.getText('t').insert(0, 'kept through a full disk')
  Object.assign(member, { documentMessages: 1 })
  expect(room.apply(Y.encodeStateAsUpdate(writer), member)).toBe('applied')

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
