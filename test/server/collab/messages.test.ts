import { expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { awarenessMessage, syncStep1Message, syncStep2Message, updateMessage } from '../../../server/collab/messages.js'
import { MessageType } from '../../../shared/relayProtocol.js'

/** The message as y-protocols and lib0 encode it, which every Yjs client reads. */
function encodedByLib0(types: number[], payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const type of types) encoding.writeVarUint(encoder, type)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

it('encodes each message as lib0 does, for payload lengths of one, two and three length bytes', () => {
  for (const length of [0, 1, 127, 128, 300, 16_383, 16_384, 300_000]) {
    const payload = Uint8Array.from({ length }, (_, index) => (index * 7) % 251)
    expect(updateMessage(payload)).toEqual(encodedByLib0([MessageType.sync, syncProtocol.messageYjsUpdate], payload))
    expect(syncStep1Message(payload)).toEqual(encodedByLib0([MessageType.sync, syncProtocol.messageYjsSyncStep1], payload))
    expect(syncStep2Message(payload)).toEqual(encodedByLib0([MessageType.sync, syncProtocol.messageYjsSyncStep2], payload))
    expect(awarenessMessage(payload)).toEqual(encodedByLib0([MessageType.awareness], payload))
  }
})
