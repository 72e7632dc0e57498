/**
 * A token bucket: up to `capacity` events at once, refilled at `perSecond`.
 * Used to bound how fast one connection may send updates and awareness.
 */
export class TokenBucket {
  private tokens: number
  private last = performance.now()

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {
    this.tokens = capacity
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = performance.now()
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
