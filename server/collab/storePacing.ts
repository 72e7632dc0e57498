/**
 * How long a room waits between two stores. A store costs a few hundred
 * microseconds of CPU however few keystrokes it carries (encoding, the
 * log's write, the journal's entry and their promises), so what the server
 * spends on stores grows with the number of sections being typed in, not
 * with the typing. The relay keeps to a budget of stores per second: a busy
 * section alone or among a few stores every `minSpacingMs`, and as more
 * sections get busy each waits longer, up to `maxSpacingMs`, its keystrokes
 * going to disk together ("Saved" showing that much later). With twenty
 * busy sections, a budget of 100 cost nearly a quarter more CPU per
 * delivery than storing nothing at all; 50 costs under a tenth.
 */
export class StorePacing {
  /** Each section's last store, oldest first: a store moves its section to the end. */
  private readonly lastStores = new Map<string, number>()

  constructor(
    private readonly storesPerSecond = 50,
    private readonly minSpacingMs = 100,
    private readonly maxSpacingMs = 500,
  ) {}

  /** Notes that `sectionId` started a store at `now` (`performance.now()`). */
  stored(sectionId: string, now: number): void {
    this.lastStores.delete(sectionId)
    this.lastStores.set(sectionId, now)
  }

  /** How long `sectionId` has still to wait for its next store, in milliseconds; 0 if it may store now. */
  wait(sectionId: string, now: number): number {
    const spacing = this.spacing(now)
    const last = this.lastStores.get(sectionId)
    return last === undefined ? 0 : Math.max(0, last + spacing - now)
  }

  /** The least time between two stores of one section, given the sections storing lately. */
  spacing(now: number): number {
    // A section counts as busy while it stored within twice the longest
    // spacing (a second), so that one waiting its turn is still counted; one
    // that stopped counts until then, and each counted is taken to store at
    // the paced rate: the budget errs on the side of fewer stores.
    for (const [sectionId, at] of this.lastStores) {
      if (now - at <= 2 * this.maxSpacingMs) break
      this.lastStores.delete(sectionId)
    }
    const fair = (this.lastStores.size * 1000) / this.storesPerSecond
    return Math.min(this.maxSpacingMs, Math.max(this.minSpacingMs, fair))
  }
}
