import * as Y from 'yjs'
import type { HistoryEntry } from '../storage/updateRecords.js'

/** Clock ranges of one client, sorted by start, with who stored each and in which update. */
class RangeIndex {
  private readonly starts: number[] = []
  private readonly ends: number[] = []
  private readonly seqs: number[] = []
  private readonly authors: string[] = []
  /** `maxEnds[i]`: the largest end among ranges 0..i, so a lookup can stop early. */
  private readonly maxEnds: number[] = []

  constructor(ranges: { start: number; end: number; seq: number; author: string }[]) {
    ranges.sort((a, b) => a.start - b.start || a.seq - b.seq)
    let maxEnd = 0
    for (const range of ranges) {
      this.starts.push(range.start)
      this.ends.push(range.end)
      this.seqs.push(range.seq)
      this.authors.push(range.author)
      maxEnd = Math.max(maxEnd, range.end)
      this.maxEnds.push(maxEnd)
    }
  }

  /** The author of the earliest update whose range holds `clock`, or null. */
  authorAt(clock: number): string | null {
    let low = 0
    let high = this.starts.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (this.starts[middle]! <= clock) low = middle + 1
      else high = middle
    }
    // Ranges may overlap (two people deleted the same text at once): the earliest update wins.
    let best = -1
    for (let i = low - 1; i >= 0 && this.maxEnds[i]! > clock; i--) {
      if (this.ends[i]! > clock && (best === -1 || this.seqs[i]! < this.seqs[best]!)) best = i
    }
    return best === -1 ? null : this.authors[best]!
  }

  /** Every range start and end: where items must be split so that each has one author. */
  *boundaries(): Iterable<number> {
    for (let i = 0; i < this.starts.length; i++) {
      yield this.starts[i]!
      yield this.ends[i]!
    }
  }
}

/**
 * Who inserted and who deleted each Yjs item between two points of a
 * section's history, from the server's record of which authenticated user
 * sent which update: an insertion belongs to the user whose update created
 * the item, a deletion to the user whose update's delete set holds it.
 */
export class Authorship {
  private readonly inserted = new Map<number, RangeIndex>()
  private readonly deleted = new Map<number, RangeIndex>()

  /** Indexes the updates numbered after `fromSeq` up to and including `toSeq`. */
  constructor(entries: HistoryEntry[], fromSeq: number, toSeq: number) {
    const inserted = new Map<number, { start: number; end: number; seq: number; author: string }[]>()
    const deleted = new Map<number, { start: number; end: number; seq: number; author: string }[]>()
    const add = (index: typeof inserted, client: number, range: { start: number; end: number; seq: number; author: string }) => {
      const ranges = index.get(client) ?? []
      ranges.push(range)
      index.set(client, ranges)
    }
    for (const entry of entries) {
      if (entry.seq <= fromSeq || entry.seq > toSeq) continue
      const { seq, author } = entry
      for (const [client, [start, end]] of entry.inserted) add(inserted, client, { start, end, seq, author })
      for (const [client, items] of Y.decodeUpdate(entry.deletions).ds.clients) {
        for (const { clock, len } of items) add(deleted, client, { start: clock, end: clock + len, seq, author })
      }
    }
    for (const [client, ranges] of inserted) this.inserted.set(client, new RangeIndex(ranges))
    for (const [client, ranges] of deleted) this.deleted.set(client, new RangeIndex(ranges))
  }

  /** Id of the user who inserted the item at `id`, or null if it was inserted outside the range. */
  insertedBy(id: Y.ID): string | null {
    return this.inserted.get(id.client)?.authorAt(id.clock) ?? null
  }

  /** Id of the user who deleted the item at `id`, or null if it was not deleted within the range. */
  deletedBy(id: Y.ID): string | null {
    return this.deleted.get(id.client)?.authorAt(id.clock) ?? null
  }

  /**
   * Splits the items of `doc` (inside `transaction`) wherever an update's
   * insertions or deletions begin or end, so that every item has a single
   * author for each. Yjs merges neighbouring items of one client, and one
   * client (the server's own document, for restores and suggestions) can
   * carry several users' edits.
   */
  splitItems(transaction: Y.Transaction): void {
    const store = transaction.doc.store
    for (const index of [this.inserted, this.deleted]) {
      for (const [client, ranges] of index) {
        const state = Y.getState(store, client)
        for (const clock of ranges.boundaries()) {
          if (clock > 0 && clock < state) Y.getItemCleanStart(transaction, Y.createID(client, clock))
        }
      }
    }
  }
}
