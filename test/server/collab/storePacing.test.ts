import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { StorePacing } from '../../../server/collab/storePacing.js'
import { member, roomWith, typed } from '../../helpers/sectionRooms.js'

/**
 * A store costs the same whatever it holds, so the relay keeps to a budget
 * of stores per second: the more sections are busy, the longer each waits
 * between two stores, within bounds.
 */

it('spaces a section’s stores by how many sections stored lately, within its bounds', () => {
  const pacing = new StorePacing(100, 100, 500)
  expect(pacing.spacing(0)).toBe(100)
  for (let i = 0; i < 20; i++) pacing.stored(`s-${i}`, i)
  expect(pacing.spacing(50)).toBe(200)
  for (let i = 20; i < 80; i++) pacing.stored(`s-${i}`, 60)
  expect(pacing.spacing(70)).toBe(500)
  // A second later, the sections that stopped storing no longer count.
  pacing.stored('s-0', 900)
  expect(pacing.spacing(1_070)).toBe(100)
})

it('tells a section how long it has still to wait, from its own last store', () => {
  const pacing = new StorePacing(100, 100, 500)
  expect(pacing.wait('a', 0)).toBe(0)
  pacing.stored('a', 0)
  expect(pacing.wait('a', 30)).toBe(70)
  expect(pacing.wait('a', 100)).toBe(0)
  expect(pacing.wait('b', 30)).toBe(0)
})

it('counts a section that keeps storing, and only once, however long ago others stopped', () => {
  const pacing = new StorePacing(10, 100, 500)
  pacing.stored('a', 0)
  pacing.stored('b', 500)
  pacing.stored('a', 900)
  expect(pacing.spacing(1_000)).toBe(200)
  // b stopped more than a second ago; a, which stored first, stored again since.
  expect(pacing.spacing(1_600)).toBe(100)
})

it('makes a room wait longer for its next store while many sections are busy', async () => {
  const pacing = new StorePacing()
  const busy = performance.now()
  for (let i = 0; i < 20; i++) pacing.stored(`s-busy-${i}`, busy)
  const storedAt: number[] = []
  const room = roomWith([], { store: async () => void storedAt.push(performance.now()) }, pacing)
  const ana = member('ana')
  room.add(ana)
  const doc = new Y.Doc()
  for (const word of ['Safe ', 'and ', 'dignified']) {
    const update = typed(doc, word)
    expect(room.accept(update, Y.decodeUpdate(update), ana)).toBeNull()
    await room.whenIdle()
  }
  // 21 sections storing: 420 ms between two stores of one (100 for a section alone).
  expect(storedAt).toHaveLength(3)
  expect(storedAt[1]! - storedAt[0]!).toBeGreaterThanOrEqual(400)
  expect(room.doc.getText('t').toString()).toBe('Safe and dignified')
  room.destroy()
})
