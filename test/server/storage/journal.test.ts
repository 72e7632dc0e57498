import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolderPerTest } from '../../helpers/tempFolder.js'
import { Journal, frameJournalEntries, readJournal } from '../../../server/storage/journal.js'

const entry = (sectionId: string, value: number) => ({ sectionId, records: Uint8Array.from([value]) })
const read = async (folder: string): Promise<string[]> =>
  (await readJournal(folder)).entries.map(({ sectionId, records }) => `${sectionId}:${records[0]}`)

describe('journal', () => {
  const folder = tempFolderPerTest('dr-journal-')

  it('writes at once after a quiet spell, and what comes meanwhile together in the next write', async () => {
    const journal = await Journal.start(folder(), 0, 50)
    await journal.write(frameJournalEntries([entry('s-a', 1)]))
    expect(journal.writes).toBe(1)
    // Three sections store within the spacing: one write holds them all.
    await Promise.all([entry('s-a', 2), entry('s-b', 1), entry('s-c', 1)].map((one) => journal.write(frameJournalEntries([one]))))
    expect(journal.writes).toBe(2)
    expect(await read(folder())).toEqual(['s-a:1', 's-a:2', 's-b:1', 's-c:1'])
    expect(journal.bytes).toBeGreaterThan(0)
    await journal.close()
  })

  it('moves on to a new file at a rotation; the files read back oldest first', async () => {
    const journal = await Journal.start(folder(), 4, 0)
    await journal.write(frameJournalEntries([entry('s-a', 1)]))
    const retired = await journal.rotate()
    expect(retired).toBe(join(folder(), 'journal-5.bin'))
    expect(journal.bytes).toBe(0)
    await journal.write(frameJournalEntries([entry('s-a', 2)]))
    const found = await readJournal(folder())
    expect(found.lastGeneration).toBe(6)
    expect(found.files).toEqual([join(folder(), 'journal-5.bin'), join(folder(), 'journal-6.bin')])
    expect(await read(folder())).toEqual(['s-a:1', 's-a:2'])
    // Closing writes what is queued, then removes the current file only.
    const last = journal.write(frameJournalEntries([entry('s-b', 1)]))
    await journal.close()
    await last
    expect(await readdir(folder())).toEqual(['journal-5.bin'])
    await expect(journal.write(frameJournalEntries([entry('s-b', 2)]))).rejects.toThrow(/closed/)
  })
})
