import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { SectionRoom, type RoomMember } from '../../server/collab/sectionRoom.js'
import type { RelayHooks } from '../../server/collab/hooks.js'
import { StorePacing } from '../../server/collab/storePacing.js'
import type { IncomingUpdate } from '../../server/storage/documentStore.js'

/** A room member whose messages land in `received`. */
export function member(id: string, received: Uint8Array[] = []): RoomMember {
  return {
    identity: { id, name: id, organisation: 'IFRC', color: '#0b7a75' },
    clientIds: new Set(),
    documentMessages: 0,
    acknowledged: 0,
    send: (...messages) => received.push(...messages),
  }
}

/**
 * A loaded, empty room whose store keeps what it is given in `stored`, with
 * `hooks` replacing the defaults.
 */
export function roomWith(stored: IncomingUpdate[], hooks: Partial<RelayHooks> = {}, pacing = new StorePacing()): SectionRoom {
  const room = new SectionRoom(
    's-room',
    {
      authenticate: () => null,
      authorize: () => ({ access: 'write', reason: '' }),
      load: async () => null,
      store: async (_sectionId, updates) => {
        stored.push(...updates)
      },
      ...hooks,
    },
    () => undefined,
    pacing,
  )
  room.loadFrom(null)
  return room
}

/** Appends `text` to `doc`'s text `t`; returns the update, as a client would send it. */
export function typed(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  const shared = doc.getText('t')
  shared.insert(shared.length, text)
  return Y.encodeStateAsUpdate(doc, before)
}

/** A sync message's kind (step 1, step 2 or update) and the bytes it carries. */
export function syncMessageParts(message: Uint8Array): { syncType: number; payload: Uint8Array } {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  return { syncType: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) }
}
