import * as Y from 'yjs'

/** Name of the shared `Y.Text` every client of a typing run inserts into. */
export const TEXT_NAME = 'bench'

/**
 * When each keystroke of a run was typed, by author (Yjs client id) and Yjs
 * clock. Every client of the load generator shares one log, so a receiver can
 * tell the age of each keystroke an update brings: `Y.parseUpdateMeta` names
 * the authors and clock ranges in an update without applying it. Each
 * keystroke inserts one character, so an author's keystrokes are its clocks
 * 0, 1, 2, …
 */
export class KeystrokeLog {
  private readonly typedAt = new Map<number, number[]>()
  /** When the last keystroke of the run was typed (performance.now()). */
  lastAt = 0

  /** Adds an author; client ids must be unique within a run. */
  addAuthor(clientId: number): void {
    if (this.typedAt.has(clientId)) throw new Error(`Client id ${clientId} is used twice in one run`)
    this.typedAt.set(clientId, [])
  }

  /** Records that `clientId` typed the character with `clock` at `at`. */
  typed(clientId: number, clock: number, at: number): void {
    const times = this.typedAt.get(clientId)
    if (!times || times.length !== clock) throw new Error(`Keystroke ${clientId}:${clock} is out of order or from an unknown author`)
    times.push(at)
    this.lastAt = Math.max(this.lastAt, at)
  }

  /** How many keystrokes `clientId` typed. */
  countOf(clientId: number): number {
    return this.typedAt.get(clientId)?.length ?? 0
  }

  /** When `clientId` typed its character with `clock`. */
  timeOf(clientId: number, clock: number): number {
    const at = this.typedAt.get(clientId)?.[clock]
    if (at === undefined) throw new Error(`No keystroke ${clientId}:${clock} was typed`)
    return at
  }

  /**
   * Calls `visit` with the typing time of every keystroke in `update` not
   * written by `except`; returns how many there were. Content that is not a
   * keystroke of this run (a section's initial text) is skipped.
   */
  forEachIn(update: Uint8Array, except: number, visit: (typedAt: number) => void): number {
    const { from, to } = Y.parseUpdateMeta(update)
    let count = 0
    for (const [author, end] of to) {
      const times = this.typedAt.get(author)
      if (author === except || !times) continue
      for (let clock = from.get(author)!; clock < end && clock < times.length; clock++) {
        visit(times[clock]!)
        count++
      }
    }
    return count
  }

  /**
   * How many keystrokes not written by `except` `update` holds. Cheaper than
   * `forEachIn`; it assumes an update holds a gap-free clock range per
   * author, which holds for what relays send (the updates of one turn).
   */
  countIn(update: Uint8Array, except: number): number {
    const { from, to } = Y.parseUpdateMeta(update)
    let count = 0
    for (const [author, end] of to) {
      if (author !== except && this.typedAt.has(author)) count += end - from.get(author)!
    }
    return count
  }
}

/** The samples every applying client of a run adds to, in milliseconds. */
export class Samples {
  /** Keystrokes typed before this time (performance.now()) are warm-up, not sampled. */
  measuredFrom = 0
  /** Keystroke typed → applied by a receiver. */
  readonly latencies: number[] = []
  /** Keystroke typed → its author told it is on disk (Drafting Room only). */
  readonly persistAcks: number[] = []
}
