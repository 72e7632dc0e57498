import { afterEach, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import * as Y from 'yjs'
import { UpdateMerger } from '../../../server/storage/updateMerger.js'

const mergers: UpdateMerger[] = []
afterEach(async () => {
  await Promise.all(mergers.splice(0).map((merger) => merger.close()))
})

function mergerOf(background: boolean): UpdateMerger {
  const merger = new UpdateMerger(background)
  mergers.push(merger)
  return merger
}

/** Keystrokes of two writers, one of them deleting, as separate updates. */
function keystrokes(): Uint8Array[] {
  const updates: Uint8Array[] = []
  const [a, b] = [new Y.Doc(), new Y.Doc()]
  for (const doc of [a, b]) doc.on('update', (update: Uint8Array) => updates.push(update))
  for (const letter of 'drafting') a.getText('t').insert(a.getText('t').length, letter)
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  updates.length = 0
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  for (const letter of ' room') b.getText('t').insert(b.getText('t').length, letter)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  a.getText('t').delete(0, 1)
  return [Y.encodeStateAsUpdate(a, Y.encodeStateVector(new Y.Doc())), ...updates.splice(0)]
}

/** Nice values of this process's threads, read from /proc (Linux). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((thread) => {
    const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses; nice is field 19.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
  })
}

describe('UpdateMerger', () => {
  it('gives the content and state vector of the updates, deleted content kept', async () => {
    const updates = keystrokes()
    const merged = await mergerOf(false).merge(updates)
    const doc = new Y.Doc({ gc: false })
    Y.applyUpdate(doc, merged.update)
    expect(doc.getText('t').toString()).toBe('rafting room')
    expect(merged.stateVector).toEqual(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(updates)))
    expect(Y.snapshotContainsUpdate(Y.snapshot(doc), Y.mergeUpdates(updates))).toBe(true)
  })

  it('rejects with a message when the updates cannot be read', async () => {
    await expect(mergerOf(false).merge([new Uint8Array([1, 2, 3])])).rejects.toThrow(/Merging updates failed/)
  })

  it('folds in the background on a thread of its own at a low priority (Linux)', async () => {
    const before = threadNiceValues()
    expect(before).not.toContain(10)
    await mergerOf(false).merge(keystrokes())
    expect(threadNiceValues()).not.toContain(10)
    await mergerOf(true).merge(keystrokes())
    expect(threadNiceValues()).toContain(10)
    expect(threadNiceValues().filter((nice) => nice === 0).length).toBeGreaterThan(0)
  })
})
