import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

/** One client's entry in an awareness update. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  /** The parsed state; null means the client left. */
  state: Record<string, unknown> | null
}

/** Decodes a y-protocols awareness update; throws on malformed input. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = JSON.parse(decoding.readVarString(decoder)) as unknown
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new Error('An awareness state must be an object or null')
    }
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null })
  }
  if (decoding.hasContent(decoder)) throw new Error('Trailing bytes after the awareness update')
  return entries
}

/** Encodes entries back into a y-protocols awareness update. */
export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarString(encoder, JSON.stringify(entry.state))
  }
  return encoding.toUint8Array(encoder)
}
