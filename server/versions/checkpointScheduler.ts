/** When automatic checkpoints are taken. */
export interface CheckpointTiming {
  /** Quiet time after the last edit before a checkpoint is taken. */
  pauseMs: number
  /** Longest a stretch of continuous editing goes without a checkpoint. */
  maxWaitMs: number
  /** Shortest time between two automatic checkpoints of one section. */
  minIntervalMs: number
}

/** One minute of quiet, or five minutes of continuous editing; never two within five minutes. */
export const DEFAULT_CHECKPOINT_TIMING: CheckpointTiming = {
  pauseMs: 60_000,
  maxWaitMs: 5 * 60_000,
  minIntervalMs: 5 * 60_000,
}

interface Pending {
  /** When the first edit not yet in a checkpoint was made. */
  since: number
  /** When the latest edit was made. */
  last: number
  timer: NodeJS.Timeout
}

/**
 * Decides when a section gets an automatic checkpoint: after a pause in
 * editing, or during long continuous editing at most once per few minutes.
 * It only keeps timers; `take` does the work and must not throw.
 */
export class CheckpointScheduler {
  private readonly pending = new Map<string, Pending>()
  private readonly lastTaken = new Map<string, number>()
  private readonly running = new Set<Promise<void>>()
  private closed = false

  constructor(
    private readonly take: (sectionId: string) => Promise<void>,
    private readonly timing: CheckpointTiming = DEFAULT_CHECKPOINT_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A section's text changed. Called on every update, so it only notes the
   * time; the one timer per section finds out when it fires whether the
   * checkpoint is due yet, and waits on if it is not.
   */
  activity(sectionId: string): void {
    if (this.closed) return
    const now = this.now()
    const existing = this.pending.get(sectionId)
    if (existing) {
      existing.last = now
      return
    }
    const pending: Pending = { since: now, last: now, timer: this.wake(sectionId, this.due(sectionId, now, now) - now) }
    this.pending.set(sectionId, pending)
  }

  /**
   * Cancels every pending checkpoint (edits since the last one are covered
   * by the next) and waits for those being taken.
   */
  async close(): Promise<void> {
    this.closed = true
    for (const { timer } of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
    await Promise.all(this.running)
  }

  private due(sectionId: string, since: number, last: number): number {
    return Math.max(
      Math.min(last + this.timing.pauseMs, since + this.timing.maxWaitMs),
      (this.lastTaken.get(sectionId) ?? -Infinity) + this.timing.minIntervalMs,
    )
  }

  private wake(sectionId: string, afterMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.fire(sectionId), Math.max(0, afterMs))
    // A pending checkpoint must not keep the process alive on its own.
    timer.unref()
    return timer
  }

  private fire(sectionId: string): void {
    const pending = this.pending.get(sectionId)
    if (!pending) return
    const now = this.now()
    const due = this.due(sectionId, pending.since, pending.last)
    if (now < due) {
      pending.timer = this.wake(sectionId, due - now)
      return
    }
    this.pending.delete(sectionId)
    this.lastTaken.set(sectionId, this.now())
    const taking = this.take(sectionId).finally(() => this.running.delete(taking))
    this.running.add(taking)
  }
}
