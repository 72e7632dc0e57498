/** Places in the write path where the crash test kills the server. */
export const CRASH_POINTS = ['before-journal-write', 'after-journal-write', 'during-compaction'] as const
export type CrashPointName = (typeof CRASH_POINTS)[number]

/**
 * Fault injection for the crash test: `CRASH_AT=<point>:<n>` makes the
 * process kill itself with SIGKILL the n-th time it reaches that point, as a
 * power cut would. Without it, `reach` does nothing.
 */
export class CrashPoints {
  private count = 0

  constructor(private readonly target: { point: CrashPointName; after: number } | null) {}

  /** Parses `point:n` (e.g. `after-journal-write:40`); null for an empty value. */
  static parse(value: string | undefined): { point: CrashPointName; after: number } | null {
    if (!value) return null
    const [point, after] = value.split(':')
    if (!CRASH_POINTS.includes(point as CrashPointName) || !/^\d+$/.test(after ?? '')) {
      throw new Error(`CRASH_AT must be one of ${CRASH_POINTS.join(', ')} followed by :<count>`)
    }
    return { point: point as CrashPointName, after: Number(after) }
  }

  reach(point: CrashPointName): void {
    if (this.target?.point !== point) return
    if (++this.count >= this.target.after) process.kill(process.pid, 'SIGKILL')
  }
}
