import { beforeEach, describe, expect, it } from 'vitest'
import { rm, appendFile, readFile, readdir, truncate, writeFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { DEFAULT_STORE_POLICY, FileDocumentStore } from '../../../server/storage/fileDocumentStore.js'
import { readJournal } from '../../../server/storage/journal.js'
import { readRecordFile } from '../../../server/storage/recordFile.js'
import { decodeUpdateRecord } from '../../../server/storage/updateRecords.js'
import { tempFolderPerTest } from '../../helpers/tempFolder.js'
import { waitFor } from '../../helpers/waitFor.js'

const dataDir = tempFolderPerTest('drafting-room-store-')
let warnings: string[]

beforeEach(() => {
  warnings = []
})

function storeWith(maxLogRecords = 1000, maxJournalBytes = DEFAULT_STORE_POLICY.maxJournalBytes): FileDocumentStore {
  return new FileDocumentStore(
    dataDir(),
    { ...DEFAULT_STORE_POLICY, maxLogRecords, maxLogBytes: 64 * 1024 * 1024, maxJournalBytes },
    (message) => warnings.push(message),
  )
}

/** A client doc whose every change is appended to the store as `author`. */
function writer(store: FileDocumentStore, sectionId: string, author: string): { doc: Y.Doc; text: Y.Text; flushed: () => Promise<void> } {
  const doc = new Y.Doc()
  const pending: Promise<void>[] = []
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'load') pending.push(store.append(sectionId, [{ update, author, at: Date.now() }]))
  })
  return { doc, text: doc.getText('t'), flushed: () => Promise.all(pending).then(() => undefined) }
}

async function loadText(store: FileDocumentStore, sectionId: string): Promise<string> {
  const doc = new Y.Doc()
  const stored = await store.load(sectionId)
  if (stored) Y.applyUpdate(doc, stored)
  return doc.getText('t').toString()
}

describe('FileDocumentStore', () => {
  it('loads nothing for a section never stored', async () => {
    const store = storeWith()
    expect(await store.load('s-never')).toBeNull()
    await store.close()
  })

  it('gives the state vector of what it loads, from the log, from a snapshot, and from a snapshot written before it kept one', async () => {
    const store = storeWith(3)
    const { doc, text, flushed } = writer(store, 's-vector', 'u1')
    const other = writer(store, 's-vector', 'u2')
    text.insert(0, 'Hello')
    other.text.insert(0, 'Hi ')
    await flushed()
    await other.flushed()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other.doc))
    const fromLog = (await store.loadState('s-vector'))!
    expect(Y.decodeStateVector(fromLog.stateVector)).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)))

    text.insert(0, '> ')
    text.delete(2, 'Hi '.length)
    await flushed()
    await store.compact('s-vector')
    await store.close()
    const snapshotFile = join(dataDir(), 'sections', 's-vector', 'snapshot.bin')
    const reopened = storeWith(3)
    const fromSnapshot = (await reopened.loadState('s-vector'))!
    expect(Y.decodeStateVector(fromSnapshot.stateVector)).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)))
    // Beside it, the same state without the deleted text, for clients.
    const lean = new Y.Doc()
    Y.applyUpdate(lean, fromSnapshot.lean!)
    expect(lean.getText('t').toString()).toBe(text.toString())
    expect(Y.decodeStateVector(Y.encodeStateVector(lean))).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)))
    expect(fromSnapshot.lean!.length).toBeLessThan(fromSnapshot.update.length)
    await reopened.close()

    // The earlier snapshot format: the number and the update, nothing after.
    const decoder = decoding.createDecoder(await readFile(snapshotFile))
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder))
    encoding.writeVarUint8Array(encoder, decoding.readVarUint8Array(decoder))
    await writeFile(snapshotFile, encoding.toUint8Array(encoder))
    const older = storeWith(3)
    const fromOlder = (await older.loadState('s-vector'))!
    expect(fromOlder.update).toEqual(fromSnapshot.update)
    expect(Y.decodeStateVector(fromOlder.stateVector)).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)))
    await older.close()
  })

  it('folds the log into the snapshot when a section is released, keeping text and history', async () => {
    const store = storeWith()
    const { text, flushed } = writer(store, 's-rest', 'u1')
    text.insert(0, 'At rest')
    text.insert(7, '.')
    await flushed()
    const history = await store.history('s-rest')
    await store.release('s-rest')
    expect((await stat(join(dataDir(), 'sections', 's-rest', 'log.bin'))).size).toBe(0)
    expect((await stat(join(dataDir(), 'sections', 's-rest', 'snapshot.bin'))).size).toBeGreaterThan(0)
    expect(await loadText(store, 's-rest')).toBe('At rest.')
    expect((await store.history('s-rest')).map((entry) => entry.seq)).toEqual(history.map((entry) => entry.seq))
    await store.close()
  })

  it('loads a short log and a long one alike: merged at once, or on the merging worker', async () => {
    const store = storeWith()
    for (const [sectionId, keystrokes] of [['s-short', 3], ['s-long', 40]] as const) {
      const { doc, text, flushed } = writer(store, sectionId, 'u1')
      for (let i = 0; i < keystrokes; i++) text.insert(text.length, String.fromCharCode(97 + (i % 26)))
      text.delete(0, 1)
      await flushed()
      const loaded = (await store.loadState(sectionId))!
      const copy = new Y.Doc()
      Y.applyUpdate(copy, loaded.update)
      expect(copy.getText('t').toString(), sectionId).toBe(text.toString())
      expect(Y.decodeStateVector(loaded.stateVector), sectionId).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)))
    }
    await store.close()
  })

  it('keeps every update across a reopen', async () => {
    const first = storeWith()
    const { text, flushed } = writer(first, 's-one', 'u1')
    text.insert(0, 'Hello')
    text.insert(5, ', world')
    text.delete(0, 1)
    await flushed()
    await first.close()
    const second = storeWith()
    expect(await loadText(second, 's-one')).toBe('ello, world')
    await second.close()
  })

  it('folds the log into the snapshot past the threshold and can still rebuild every earlier state', async () => {
    const store = storeWith(10)
    const { text, flushed } = writer(store, 's-two', 'alice')
    const states: string[] = []
    for (let i = 0; i < 25; i++) {
      if (i % 4 === 3) text.delete(0, 1)
      else text.insert(text.length, String.fromCharCode(97 + (i % 26)))
      states.push(text.toString())
    }
    await flushed()
    const logPath = join(dataDir(), 'sections', 's-two', 'log.bin')
    // 25 updates with a threshold of 10: two compactions, five records left,
    // in the journal until the log is written out, when the store closes.
    expect((await stat(logPath)).size).toBe(0)
    expect((await stat(join(dataDir(), 'sections', 's-two', 'snapshot.bin'))).size).toBeGreaterThan(0)
    await store.close()
    expect((await readRecordFile(logPath)).records).toHaveLength(5)

    const reopened = storeWith(10)
    expect(await loadText(reopened, 's-two')).toBe(states.at(-1))
    const history = await reopened.history('s-two')
    expect(history.map((entry) => entry.seq)).toEqual(states.map((_, i) => i + 1))
    expect(history.every((entry) => entry.author === 'alice')).toBe(true)
    for (const seq of [1, 3, 4, 9, 10, 11, 17, 20, 25]) {
      const old = await reopened.stateAt('s-two', seq)
      expect(old.getText('t').toString(), `state after update ${seq}`).toBe(states[seq - 1])
    }
    await reopened.close()
  })

  it('folds the records of a log read back at a reopen together with new ones', async () => {
    const states: string[] = []
    const first = storeWith(10)
    const before = writer(first, 's-reopened', 'alice')
    for (let i = 0; i < 7; i++) {
      before.text.insert(before.text.length, String.fromCharCode(97 + i))
      states.push(before.text.toString())
    }
    await before.flushed()
    await first.close()

    // Seven records come back from the log; the third new one makes ten and folds them all.
    const second = storeWith(10)
    const after = writer(second, 's-reopened', 'bob')
    Y.applyUpdate(after.doc, (await second.load('s-reopened'))!, 'load')
    for (let i = 0; i < 5; i++) {
      if (i === 2) after.text.delete(0, 1)
      else after.text.insert(after.text.length, String(i))
      states.push(after.text.toString())
    }
    await after.flushed()
    expect((await stat(join(dataDir(), 'sections', 's-reopened', 'snapshot.bin'))).size).toBeGreaterThan(0)

    // Read from the files: the log is written out first.
    const history = await second.history('s-reopened')
    expect((await readRecordFile(join(dataDir(), 'sections', 's-reopened', 'log.bin'))).records).toHaveLength(2)
    expect(history.map((entry) => entry.seq)).toEqual(states.map((_, i) => i + 1))
    expect(history.map((entry) => entry.author)).toEqual([...Array(7).fill('alice'), ...Array(5).fill('bob')])
    for (const seq of [3, 7, 9, 10, 12]) {
      const old = await second.stateAt('s-reopened', seq)
      expect(old.getText('t').toString(), `state after update ${seq}`).toBe(states[seq - 1])
    }
    await second.close()
  })

  it('records who sent each update', async () => {
    const store = storeWith(3)
    const a = writer(store, 's-three', 'alice')
    a.text.insert(0, 'From Alice. ')
    await a.flushed()
    const b = writer(store, 's-three', 'bob')
    Y.applyUpdate(b.doc, (await store.load('s-three'))!, 'load')
    b.text.insert(b.text.length, 'From Bob.')
    await b.flushed()
    await store.compact('s-three')
    const history = await store.history('s-three')
    expect(history.map((entry) => entry.author)).toEqual(['alice', 'bob'])
    expect((await store.stateAt('s-three', 1)).getText('t').toString()).toBe('From Alice. ')
    await store.close()
  })

  it('drops a torn trailing record with one warning and keeps the whole ones', async () => {
    const first = storeWith()
    const { text, flushed } = writer(first, 's-four', 'u1')
    text.insert(0, 'kept')
    await flushed()
    await first.close()
    const logPath = join(dataDir(), 'sections', 's-four', 'log.bin')
    const whole = await readFile(logPath)
    // A crash in the middle of the next append: a header and half a payload.
    await appendFile(logPath, whole.subarray(0, Math.floor(whole.length / 2)))

    const second = storeWith()
    expect(await loadText(second, 's-four')).toBe('kept')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/dropped a torn or corrupt tail/)
    // New records go after the whole ones, not after the garbage.
    const next = writer(second, 's-four', 'u1')
    Y.applyUpdate(next.doc, (await second.load('s-four'))!, 'load')
    next.text.insert(4, ' and more')
    await next.flushed()
    await second.close()
    const third = storeWith()
    expect(await loadText(third, 's-four')).toBe('kept and more')
    await third.close()
  })

  it('drops a record whose checksum fails', async () => {
    const first = storeWith()
    const { text, flushed } = writer(first, 's-five', 'u1')
    text.insert(0, 'one')
    await flushed()
    text.insert(3, ' two')
    await flushed()
    await first.close()
    const logPath = join(dataDir(), 'sections', 's-five', 'log.bin')
    const bytes = await readFile(logPath)
    bytes[bytes.length - 2]! ^= 0xff
    await writeFile(logPath, bytes)
    const second = storeWith()
    expect(await loadText(second, 's-five')).toBe('one')
    expect(warnings).toHaveLength(1)
    await second.close()
  })

  it('refuses section ids that could escape the data folder', async () => {
    const store = storeWith()
    for (const id of ['../../etc/passwd', '%2e%2e', '..', '__proto__', 'x'.repeat(15 * 1024), 'A/b']) {
      await expect(store.load(id)).rejects.toThrow(/Invalid section id/)
    }
    await store.close()
  })
})

describe('FileDocumentStore journal', () => {
  const journalFolder = (): string => join(dataDir(), 'journal')
  const logOf = (sectionId: string): string => join(dataDir(), 'sections', sectionId, 'log.bin')

  /**
   * Appends `words` to a section one update each, and leaves the store as a
   * crash would: not closed, its last log records perhaps never written out.
   * Returns it, to close once the test is done with the files.
   */
  async function typedThenStopped(sectionId: string, words: string[]): Promise<FileDocumentStore> {
    const store = storeWith()
    const { text, flushed } = writer(store, sectionId, 'u1')
    for (const word of words) text.insert(text.length, word)
    await flushed()
    return store
  }

  it('writes into a section log the records it lost in a crash, from the journal', async () => {
    const stopped = await typedThenStopped('s-lost', ['one ', 'two ', 'three'])
    // The log is written behind the journal: at this point, not at all.
    expect((await readFile(logOf('s-lost'))).length).toBe(0)
    // Reading the history writes it out; the system had put only its first record on disk.
    await stopped.history('s-lost')
    await truncate(logOf('s-lost'), 8 + (await readFile(logOf('s-lost'))).readUInt32LE(0))

    const store = storeWith()
    expect(await loadText(store, 's-lost')).toBe('one two three')
    expect((await store.history('s-lost')).map((entry) => entry.seq)).toEqual([1, 2, 3])
    // The journal's old file is gone once the log holds its records.
    expect(await readdir(journalFolder())).toEqual(['journal-2.bin'])
    await store.close()
    expect(await readdir(journalFolder())).toEqual([])
    await stopped.close()
  })

  it('drops a torn journal tail with a warning and replays the whole entries', async () => {
    const stopped = await typedThenStopped('s-torn', ['kept ', 'also kept'])
    await truncate(logOf('s-torn'), 0)
    const journalFile = join(journalFolder(), 'journal-1.bin')
    const journal = await readFile(journalFile)
    await appendFile(journalFile, journal.subarray(0, journal.length - 3))

    const store = storeWith()
    expect(await loadText(store, 's-torn')).toBe('kept also kept')
    expect(warnings).toEqual([expect.stringMatching(/dropped a torn or corrupt tail of \d+ bytes from the journal/)])
    await store.close()
    await stopped.close()
  })

  it('replays records a fold wrote the history of but had not put in its snapshot yet', async () => {
    const stopped = await typedThenStopped('s-fold', ['one ', 'two ', 'three'])
    const journalFile = join(journalFolder(), 'journal-1.bin')
    const journal = await readFile(journalFile)
    await stopped.compact('s-fold')
    // Power cut during that fold: its history written, its snapshot not, the log's unsynced records gone.
    await rm(join(dataDir(), 'sections', 's-fold', 'snapshot.bin'))
    await truncate(logOf('s-fold'), 0)
    await writeFile(journalFile, journal)

    const store = storeWith()
    expect(await loadText(store, 's-fold')).toBe('one two three')
    expect((await store.history('s-fold')).map((entry) => entry.seq)).toEqual([1, 2, 3])
    await store.close()
    await stopped.close()
  })

  it('replays nothing twice from a journal whose records the logs hold already', async () => {
    const first = storeWith()
    const { text, flushed } = writer(first, 's-twice', 'u1')
    text.insert(0, 'once')
    await flushed()
    // A checkpoint synced the logs and stopped before removing the old file.
    const leftover = await readFile(join(journalFolder(), 'journal-1.bin'))
    await first.close()
    await writeFile(join(journalFolder(), 'journal-1.bin'), leftover)

    const second = storeWith()
    expect(await loadText(second, 's-twice')).toBe('once')
    const next = writer(second, 's-twice', 'u1')
    Y.applyUpdate(next.doc, (await second.load('s-twice'))!, 'load')
    next.text.insert(4, ', then more')
    await next.flushed()
    expect((await second.history('s-twice')).map((entry) => entry.seq)).toEqual([1, 2])
    await second.close()
  })

  it('checkpoints past its size: a new file, the section logs written out and synced, the old file removed', async () => {
    const store = storeWith(1000, 256)
    const sections = ['s-a', 's-b'].map((sectionId) => ({ sectionId, ...writer(store, sectionId, 'u1') }))
    for (let round = 0; round < 20; round++) {
      for (const { text } of sections) text.insert(text.length, `word ${round} `)
      await Promise.all(sections.map(({ flushed }) => flushed()))
    }
    // Checkpoints run beside the appends; the last one leaves one file, not the first.
    const files = await waitFor(
      async () => {
        const names = await readdir(journalFolder())
        return names.length === 1 && names[0] !== 'journal-1.bin' ? names : null
      },
      { message: 'the last checkpoint' },
    )
    // The journal holds what came since its last checkpoint, not all forty updates.
    const { entries } = await readJournal(journalFolder())
    expect(entries.length).toBeLessThan(40)
    expect(files[0]).toMatch(/^journal-\d+\.bin$/)
    await store.close()
    expect(await readdir(journalFolder())).toEqual([])
    // Each log was written out in pieces, at checkpoints and at close: every record once, in order.
    for (const { sectionId } of sections) {
      const seqs = (await readRecordFile(logOf(sectionId))).records.map((payload) => decodeUpdateRecord(payload).seq)
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, index) => index + 1))
    }
    const reader = storeWith()
    for (const { sectionId, text } of sections) expect(await loadText(reader, sectionId)).toBe(text.toString())
    await reader.close()
  })
})
