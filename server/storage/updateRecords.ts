import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

/** One Yjs update as the server received it: what, from whom, when. */
export interface UpdateRecord {
  /** Position in the section's history, increasing from 1. */
  seq: number
  /** Id of the authenticated user who sent it (`system` for seeding and restores). */
  author: string
  /** Milliseconds since the epoch. */
  at: number
  update: Uint8Array
}

/**
 * What history keeps of an update once its bytes are folded into the
 * snapshot: who and when, which item ranges it inserted and what it deleted.
 * That is enough to rebuild any earlier state from the snapshot, since a
 * merged update keeps deleted content.
 */
export interface HistoryEntry {
  seq: number
  author: string
  at: number
  /** Inserted item ranges: client id → [first clock, clock after last). */
  inserted: Map<number, [number, number]>
  /** The update's delete set, as an update with no structs. */
  deletions: Uint8Array
}

export function writeUpdateRecord(encoder: encoding.Encoder, record: UpdateRecord): void {
  encoding.writeVarUint(encoder, record.seq)
  encoding.writeVarString(encoder, record.author)
  encoding.writeVarUint(encoder, record.at)
  encoding.writeVarUint8Array(encoder, record.update)
}

export function decodeUpdateRecord(payload: Uint8Array): UpdateRecord {
  const decoder = decoding.createDecoder(payload)
  return {
    seq: decoding.readVarUint(decoder),
    author: decoding.readVarString(decoder),
    at: decoding.readVarUint(decoder),
    update: decoding.readVarUint8Array(decoder),
  }
}

type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds']

/**
 * What reading an update finds that history keeps: per client, the clock
 * range it inserts (see `flatRanges`), and its delete set.
 *
 * A relay holds the outline of every keystroke until its store, a few
 * hundred milliseconds, long enough to be copied by a scavenge; so the
 * ranges are one flat array, not a map of arrays, and an update that
 * deletes nothing shares one empty delete set rather than a map of its own.
 */
export interface UpdateOutline {
  inserted: number[]
  deleteSet: DeleteSet
}

/** A delete set of nothing, shared by the outlines of updates that delete nothing: never to be changed. */
export const NO_DELETE_SET: DeleteSet = Y.createDeleteSet()

/** The outline of an update, given each client's clock range in it and its delete set. */
export function outlineFrom(ranges: Map<number, [number, number]>, deleteSet: DeleteSet): UpdateOutline {
  return { inserted: flatRanges(ranges), deleteSet: deleteSet.clients.size === 0 ? NO_DELETE_SET : deleteSet }
}

/** Per client its clock range `[start, end)`, as `client, start, end` one after the other. */
function flatRanges(ranges: Map<number, [number, number]>): number[] {
  // At its size: grown by pushes, a keystroke's three numbers took room for seventeen.
  const flat = new Array<number>(ranges.size * 3)
  let index = 0
  for (const [client, [start, end]] of ranges) {
    flat[index++] = client
    flat[index++] = start
    flat[index++] = end
  }
  return flat
}

/** The history entry of an update record, given its outline if read already, else reading its update. */
export function historyEntryOf(record: UpdateRecord, outline?: UpdateOutline): HistoryEntry {
  const { inserted, deleteSet } = outline ?? outlineOf(Y.decodeUpdate(record.update))
  const ranges = new Map<number, [number, number]>()
  for (let i = 0; i < inserted.length; i += 3) ranges.set(inserted[i]!, [inserted[i + 1]!, inserted[i + 2]!])
  return { seq: record.seq, author: record.author, at: record.at, inserted: ranges, deletions: deletionsOnly(deleteSet) }
}

/** The outline of a decoded update. */
export function outlineOf({ structs, ds }: ReturnType<typeof Y.decodeUpdate>): UpdateOutline {
  // A v1 update lists each client's structs together, in clock order.
  const inserted = new Map<number, [number, number]>()
  for (const struct of structs) {
    const { client, clock } = struct.id
    const range = inserted.get(client)
    if (range) range[1] = clock + struct.length
    else inserted.set(client, [clock, clock + struct.length])
  }
  for (const [client, [start, end]] of inserted) if (end <= start) inserted.delete(client)
  return outlineFrom(inserted, ds)
}

/** An update that deletes nothing, as `deletionsOnly` gives it: most keystrokes' deletions. */
const NO_DELETIONS = new Uint8Array([0, 0])

/**
 * An update's delete set as an update of its own. In the v1 format an update
 * is its structs followed by its delete set; one with zero structs is
 * therefore just the delete set.
 */
function deletionsOnly(ds: DeleteSet): Uint8Array {
  const clients = [...ds.clients.entries()].filter(([, items]) => items.length > 0)
  if (clients.length === 0) return NO_DELETIONS
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, clients.length)
  for (const [client, items] of clients) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, items.length)
    for (const item of items) {
      encoding.writeVarUint(encoder, item.clock)
      encoding.writeVarUint(encoder, item.len)
    }
  }
  return encoding.toUint8Array(encoder)
}

/**
 * Writes the history entry of an update record, as `decodeHistoryEntry`
 * reads it, given its outline if read already, else reading its update:
 * straight from the outline, as a store does for every keystroke.
 */
export function writeHistoryEntryOf(encoder: encoding.Encoder, record: UpdateRecord, outline?: UpdateOutline): void {
  const { inserted, deleteSet } = outline ?? outlineOf(Y.decodeUpdate(record.update))
  encoding.writeVarUint(encoder, record.seq)
  encoding.writeVarString(encoder, record.author)
  encoding.writeVarUint(encoder, record.at)
  encoding.writeVarUint(encoder, inserted.length / 3)
  for (const number of inserted) encoding.writeVarUint(encoder, number)
  encoding.writeVarUint8Array(encoder, deletionsOnly(deleteSet))
}

export function decodeHistoryEntry(payload: Uint8Array): HistoryEntry {
  const decoder = decoding.createDecoder(payload)
  const seq = decoding.readVarUint(decoder)
  const author = decoding.readVarString(decoder)
  const at = decoding.readVarUint(decoder)
  const inserted = new Map<number, [number, number]>()
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder)
    inserted.set(client, [decoding.readVarUint(decoder), decoding.readVarUint(decoder)])
  }
  return { seq, author, at, inserted, deletions: decoding.readVarUint8Array(decoder) }
}

/**
 * The Yjs snapshot (state vector and delete set) after the given entries,
 * which must be every entry from the first up to the wanted point.
 */
export function snapshotAfter(entries: HistoryEntry[]): Y.Snapshot {
  const stateVector = new Map<number, number>()
  for (const entry of entries) {
    for (const [client, [, end]] of entry.inserted) {
      stateVector.set(client, Math.max(stateVector.get(client) ?? 0, end))
    }
  }
  const deleteSet = Y.mergeDeleteSets(entries.map((entry) => Y.decodeUpdate(entry.deletions).ds))
  return Y.createSnapshot(deleteSet, stateVector)
}
