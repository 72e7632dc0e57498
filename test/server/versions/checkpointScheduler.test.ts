import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CheckpointScheduler } from '../../../server/versions/checkpointScheduler.js'

const MINUTE = 60_000
const timing = { pauseMs: MINUTE, maxWaitMs: 5 * MINUTE, minIntervalMs: 5 * MINUTE }

/** The scheduler on a fake clock: when checkpoints are taken, for which section. */
describe('CheckpointScheduler', () => {
  let taken: { sectionId: string; at: number }[]
  let scheduler: CheckpointScheduler

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 })
    taken = []
    scheduler = new CheckpointScheduler(async (sectionId) => void taken.push({ sectionId, at: Date.now() }), timing)
  })

  afterEach(async () => {
    await scheduler.close()
    vi.useRealTimers()
  })

  it('takes one checkpoint a minute after the last edit of a burst', () => {
    scheduler.activity('a')
    vi.advanceTimersByTime(20_000)
    scheduler.activity('a')
    vi.advanceTimersByTime(MINUTE - 1)
    expect(taken).toEqual([])
    vi.advanceTimersByTime(1)
    expect(taken).toEqual([{ sectionId: 'a', at: 20_000 + MINUTE }])
    vi.advanceTimersByTime(30 * MINUTE)
    expect(taken).toHaveLength(1)
  })

  it('takes one every five minutes during continuous editing, and never two within five minutes', () => {
    for (let at = 0; at < 12 * MINUTE; at += 30_000) {
      scheduler.activity('a')
      vi.advanceTimersByTime(30_000)
    }
    expect(taken.map((checkpoint) => checkpoint.at)).toEqual([5 * MINUTE, 10 * MINUTE])
  })

  it('lets a burst right after a checkpoint wait until five minutes have passed', () => {
    scheduler.activity('a')
    vi.advanceTimersByTime(MINUTE)
    expect(taken.map((checkpoint) => checkpoint.at)).toEqual([MINUTE])
    vi.advanceTimersByTime(MINUTE)
    scheduler.activity('a')
    vi.advanceTimersByTime(3 * MINUTE)
    expect(taken).toHaveLength(1)
    vi.advanceTimersByTime(MINUTE)
    expect(taken.map((checkpoint) => checkpoint.at)).toEqual([MINUTE, 6 * MINUTE])
  })

  it('keeps sections apart and takes nothing once closed', async () => {
    scheduler.activity('a')
    scheduler.activity('b')
    vi.advanceTimersByTime(MINUTE)
    expect(taken.map((checkpoint) => checkpoint.sectionId)).toEqual(['a', 'b'])
    scheduler.activity('c')
    await scheduler.close()
    scheduler.activity('c')
    vi.advanceTimersByTime(10 * MINUTE)
    expect(taken.map((checkpoint) => checkpoint.sectionId)).toEqual(['a', 'b'])
  })
})
