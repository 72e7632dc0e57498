const WINDOW_MS = 15 * 60 * 1000
const MAX_FAILURES_PER_ACCOUNT = 10
const MAX_FAILURES_PER_ADDRESS = 50

/**
 * Counts failed sign-ins per account and per address over a sliding window,
 * so that passwords cannot be guessed at speed. Kept in memory: a restart
 * forgets, which costs an attacker a restart per ten guesses.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  /** Milliseconds to wait before another attempt, or 0 if one is allowed now. */
  retryAfter(email: string, address: string): number {
    const now = Date.now()
    return Math.max(
      this.wait(`account:${email}`, MAX_FAILURES_PER_ACCOUNT, now),
      this.wait(`address:${address}`, MAX_FAILURES_PER_ADDRESS, now),
    )
  }

  failed(email: string, address: string): void {
    const now = Date.now()
    for (const key of [`account:${email}`, `address:${address}`]) {
      const recent = this.recent(key, now)
      recent.push(now)
      this.failures.set(key, recent)
    }
  }

  succeeded(email: string): void {
    this.failures.delete(`account:${email}`)
  }

  private wait(key: string, max: number, now: number): number {
    const recent = this.recent(key, now)
    return recent.length < max ? 0 : recent[recent.length - max]! + WINDOW_MS - now
  }

  private recent(key: string, now: number): number[] {
    const recent = (this.failures.get(key) ?? []).filter((at) => at > now - WINDOW_MS)
    if (recent.length === 0) this.failures.delete(key)
    else this.failures.set(key, recent)
    return recent
  }
}
