/**
 * Runs work one at a time per key (e.g. per section), in the order it was
 * queued; different keys run in parallel. A failure rejects only its own
 * caller and does not stop the queue.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const next = previous.then(work, work)
    const settled = next.then(
      () => undefined,
      () => undefined,
    )
    this.tails.set(key, settled)
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key)
    })
    return next
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.tails.values()])
  }
}
