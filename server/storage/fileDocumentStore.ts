import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { mkdir, readFile, unlink } from 'node:fs/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { SECTION_ID_PATTERN } from '../../shared/limits.js'
import { syncFolder, writeFileAtomic } from './atomicFile.js'
import { CrashPoints } from './crashPoints.js'
import { Journal, frameJournalEntries, readJournal } from './journal.js'
import {
  RecordAppender,
  RecordBuffer,
  frameEach,
  frameRecords,
  readFramedRecords,
  readRecordFile,
  type RecordFileContents,
} from './recordFile.js'
import type { DocumentStore, IncomingUpdate, StoredState } from './documentStore.js'
import { KeyedQueue } from '../util/keyedQueue.js'
import { UpdateMerger } from './updateMerger.js'
import {
  decodeHistoryEntry,
  decodeUpdateRecord,
  historyEntryOf,
  snapshotAfter,
  type HistoryEntry,
  type UpdateRecord,
  writeHistoryEntryOf,
  writeUpdateRecord,
} from './updateRecords.js'

/** When a section's update log is folded into its snapshot, and how the journal writes. */
export interface StorePolicy {
  maxLogRecords: number
  maxLogBytes: number
  /** Past this many bytes the journal moves to a new file, and the sections' logs are written out and synced. */
  maxJournalBytes: number
  /** The least time between two journal writes (see `Journal`). */
  journalSpacingMs: number
}

/**
 * A section with this few log records and bytes stored is merged on the
 * main thread, in about a millisecond (Y.mergeUpdates: 20 keystrokes on a
 * 2 kB text ~0.6 ms, 100 ~3 ms); larger ones go to the merging worker (see
 * UpdateMerger). Every new section has a record in its log, and starting
 * the worker for it cost a thread and ~10 MB of memory.
 */
const MAIN_THREAD_MERGE = { records: 20, bytes: 16 * 1024 }

// A fold re-reads the whole section (deleted text included) on the worker:
// at 2,000 records a room of fifty typists folded every 8 s, over a quarter
// of the server's CPU on this machine; at 10,000, every 40 s. A journal
// write waits at most 25 ms for others to join it.
export const DEFAULT_STORE_POLICY: StorePolicy = {
  maxLogRecords: 10_000,
  maxLogBytes: 4 * 1024 * 1024,
  maxJournalBytes: 4 * 1024 * 1024,
  journalSpacingMs: 25,
}

interface OpenSection {
  /**
   * Written behind the journal, which makes each append durable: at the
   * journal's checkpoints, before the section closes, and before anything
   * reads the file (see `writeLog`), never waiting for the disk. Written at
   * every append, it was a file write per store per section: with twenty
   * busy sections, about a twentieth of the server's CPU per delivery.
   */
  log: RecordAppender
  /** How many bytes of `unfolded` the log holds; the journal alone holds the rest. */
  loggedBytes: number
  /** Whether the log has records not yet synced, which the journal still holds. */
  logDirty: boolean
  /** The section's folder, and whether its entries (the log's name, its own) are known to be on disk. */
  folder: string
  folderSynced: boolean
  nextSeq: number
  /**
   * The log's records not yet folded into the snapshot, framed as in the
   * file, with their history entries beside them, derived as the records
   * came: compaction need neither read the log back nor derive thousands of
   * entries at once.
   */
  unfolded: RecordBuffer
  unfoldedHistory: RecordBuffer
  /** Where the trusted content of `history.bin` ends, known since opening: compaction appends there. */
  historyBytes: number
}

/** The records of a section's log not yet folded, decoded and as stored. */
interface LogContents {
  records: UpdateRecord[]
  payloads: Uint8Array[]
  /** Where the log's whole records end, folded ones included: appends go there. */
  validBytes: number
}

interface Snapshot {
  /** Highest update number folded into `update`. */
  lastSeq: number
  update: Uint8Array | null
  /** The state vector of `update`; null in snapshots written before it was kept. */
  stateVector: Uint8Array | null
  /** The same state without deleted content; null in snapshots written before it was kept. */
  lean: Uint8Array | null
}

/**
 * Section documents in files under `<dataDir>/sections/<id>/`:
 * - `snapshot.bin`: every update up to some number merged into one,
 *   deleted content kept (so history survives), replaced atomically;
 * - `log.bin`: the updates since, each framed with a checksum;
 * - `history.bin`: who sent which update when, for updates already folded;
 * and `<dataDir>/journal/`, where every section's new log records are
 * written first, together, and on disk before `append` resolves (see
 * `Journal`): the sections' logs are written out and synced at the
 * journal's checkpoints, and at start whatever the journal holds that a
 * log lacks is written into it.
 * Work on one section is serialised; different sections proceed in parallel.
 */
export class FileDocumentStore implements DocumentStore {
  private readonly open = new Map<string, Promise<OpenSection>>()
  private readonly queue = new KeyedQueue()
  /** Merges for a client waiting for a section to load. */
  private readonly loadMerger = new UpdateMerger()
  /** Folds logs into snapshots, in the background. */
  private readonly compactionMerger = new UpdateMerger(true)
  /** Ready once what the last run left in the journal is in the sections' logs. */
  private readonly journal: Promise<Journal>
  private checkpointing: Promise<void> | null = null

  constructor(
    private readonly dataDir: string,
    private readonly policy: StorePolicy = DEFAULT_STORE_POLICY,
    private readonly warn: (message: string) => void = console.warn,
    private readonly crashPoints = new CrashPoints(null),
  ) {
    this.journal = this.recover()
    // Reported to every caller, through `serialise`.
    this.journal.catch(() => undefined)
  }

  async load(sectionId: string): Promise<Uint8Array | null> {
    return (await this.loadState(sectionId))?.update ?? null
  }

  loadState(sectionId: string): Promise<StoredState | null> {
    return this.serialise(sectionId, async () => {
      await this.logWritten(sectionId)
      const folder = this.folderOf(sectionId)
      // Read side by side: a client is waiting.
      const [snapshot, logFile] = await Promise.all([this.readSnapshot(folder), readRecordFile(join(folder, 'log.bin'))])
      const log = this.logAfter(sectionId, logFile, snapshot.lastSeq, true)
      // Opening the log for appends (which reads the history) need not hold
      // up the first client: appends wait for it, and its failure is theirs.
      void this.openSection(sectionId, snapshot, log)
      if (log.records.length === 0) {
        if (!snapshot.update) return null
        // Snapshots written before they kept their state vector have it computed.
        return {
          update: snapshot.update,
          stateVector: snapshot.stateVector ?? Y.encodeStateVectorFromUpdate(snapshot.update),
          ...(snapshot.lean ? { lean: snapshot.lean } : {}),
        }
      }
      const updates = [snapshot.update, ...log.records.map((record) => record.update)].filter(
        (update): update is Uint8Array => update !== null,
      )
      const bytes = updates.reduce((sum, update) => sum + update.length, 0)
      if (log.records.length <= MAIN_THREAD_MERGE.records && bytes <= MAIN_THREAD_MERGE.bytes) {
        const update = Y.mergeUpdates(updates)
        return { update, stateVector: Y.encodeStateVectorFromUpdate(update) }
      }
      return this.loadMerger.merge(updates)
    })
  }

  append(sectionId: string, updates: IncomingUpdate[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve()
    return this.serialise(sectionId, async () => {
      const section = await this.sectionFor(sectionId)
      const records = updates.map(({ update, author, at }) => ({ seq: section.nextSeq++, update, author, at }))
      const framed = frameEach(records, writeUpdateRecord)
      // Derived a few at a time, as they come: at compaction, thousands at
      // once would hold up every keystroke for tens of milliseconds.
      const history = frameEach(records, (encoder, record, index) =>
        writeHistoryEntryOf(encoder, record, updates[index]!.outline),
      )
      const journal = await this.journal
      this.crashPoints.reach('before-journal-write')
      // The batch as the log will get it, framed once more as one journal entry.
      await journal.write(frameJournalEntries([{ sectionId, records: framed }]))
      this.crashPoints.reach('after-journal-write')
      section.unfolded.add(framed, records.length)
      section.unfoldedHistory.add(history, records.length)
      const { unfolded } = section
      if (unfolded.count >= this.policy.maxLogRecords || unfolded.bytes >= this.policy.maxLogBytes) {
        // The updates are durable already; a failed compaction is retried at the next append.
        await this.compactNow(sectionId, section).catch((error: unknown) =>
          this.warn(`section ${sectionId}: compaction failed, will retry: ${(error as Error).message}`),
        )
      }
      if (journal.bytes >= this.policy.maxJournalBytes && !this.checkpointing) {
        this.checkpointing = this.checkpoint(journal)
          .catch((error: unknown) => this.warn(`journal checkpoint failed, will retry: ${(error as Error).message}`))
          .finally(() => (this.checkpointing = null))
      }
    })
  }

  compact(sectionId: string): Promise<void> {
    return this.serialise(sectionId, async () => this.compactNow(sectionId, await this.sectionFor(sectionId)))
  }

  history(sectionId: string): Promise<HistoryEntry[]> {
    return this.serialise(sectionId, async () => {
      await this.logWritten(sectionId)
      const folder = this.folderOf(sectionId)
      const snapshot = await this.readSnapshot(folder)
      const folded = await this.readHistory(folder)
      const log = await this.readLog(sectionId, folder, snapshot.lastSeq)
      // A fold that stopped after writing history left its records in the log too.
      const lastFolded = folded.at(-1)?.seq ?? 0
      return [...folded, ...log.records.filter((record) => record.seq > lastFolded).map((record) => historyEntryOf(record))]
    })
  }

  lastSeq(sectionId: string): Promise<number> {
    return this.serialise(sectionId, async () => {
      const open = this.open.get(sectionId)
      if (open) return (await open).nextSeq - 1
      const folder = this.folderOf(sectionId)
      const snapshot = await this.readSnapshot(folder)
      return lastSeqOf(snapshot, await this.readLog(sectionId, folder, snapshot.lastSeq), await this.readHistory(folder))
    })
  }

  async stateAt(sectionId: string, seq: number): Promise<Y.Doc> {
    const entries = (await this.history(sectionId)).filter((entry) => entry.seq <= seq)
    const everything = await this.load(sectionId)
    const full = new Y.Doc({ gc: false })
    if (everything) Y.applyUpdate(full, everything)
    return Y.createDocFromSnapshot(full, snapshotAfter(entries))
  }

  keepState(sectionId: string, label: string, state: Uint8Array): Promise<void> {
    return this.serialise(sectionId, async () => {
      const folder = join(this.folderOf(sectionId), 'kept')
      await mkdir(folder, { recursive: true, mode: 0o700 })
      await writeFileAtomic(join(folder, `${checkedLabel(label)}.bin`), state)
    })
  }

  async keptState(sectionId: string, label: string): Promise<Uint8Array | null> {
    try {
      return await readFile(join(this.folderOf(sectionId), 'kept', `${checkedLabel(label)}.bin`))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async close(): Promise<void> {
    await this.queue.drain()
    // The last appends may have started a checkpoint, which queues work of its own.
    while (this.checkpointing) {
      await this.checkpointing
      await this.queue.drain()
    }
    // Written out in turn with other work on each section, before the
    // sections are let go: a section opened again reads its log, and must
    // find every record there, or it would number new ones again.
    await Promise.allSettled(
      [...this.open.keys()].map((sectionId) => this.serialise(sectionId, () => this.logWritten(sectionId))),
    )
    const sections = await Promise.allSettled([...this.open.values()])
    this.open.clear()
    const synced = await Promise.allSettled(
      sections.map(async (result) => {
        if (result.status !== 'fulfilled') return
        try {
          await syncLog(result.value)
        } finally {
          await result.value.log.close()
        }
      }),
    )
    const failure = synced.find((result): result is PromiseRejectedResult => result.status === 'rejected')
    // With every log on disk the journal's file is no longer needed; else the next start replays it.
    const journal = await this.journal.catch(() => null)
    await journal?.close(failure !== undefined)
    await Promise.all([this.loadMerger.close(), this.compactionMerger.close()])
    if (failure) throw failure.reason
  }

  /**
   * Releases the open log of a section no one is editing, folding the log
   * into the snapshot first: compacting costs least when no one is typing,
   * and a section at rest then loads as one snapshot.
   */
  release(sectionId: string): Promise<void> {
    return this.serialise(sectionId, async () => {
      const opening = this.open.get(sectionId)
      if (!opening) return
      const section = await opening
      if (section.unfolded.count > 0) {
        await this.compactNow(sectionId, section).catch((error: unknown) =>
          this.warn(`section ${sectionId}: compaction failed, will retry: ${(error as Error).message}`),
        )
      }
      // Open until synced (a failed sync leaves it open, for the next
      // checkpoint to retry): a checkpoint syncs the sections it finds open
      // before it removes the journal's old file.
      await syncLog(section)
      this.open.delete(sectionId)
      await section.log.close()
    })
  }

  /**
   * Writes what the journal files hold into the sections' logs where they
   * lack it (their last records were not on disk yet when the server
   * stopped), syncs them and removes the files; then starts a new file.
   */
  private async recover(): Promise<Journal> {
    const folder = join(this.dataDir, 'journal')
    const found = await readJournal(folder)
    if (found.droppedBytes > 0) {
      this.warn(`dropped a torn or corrupt tail of ${found.droppedBytes} bytes from the journal`)
    }
    const bySection = new Map<string, Uint8Array[]>()
    for (const { sectionId, records: framed } of found.entries) {
      const records = bySection.get(sectionId) ?? []
      records.push(...readFramedRecords(framed))
      bySection.set(sectionId, records)
    }
    for (const [sectionId, records] of bySection) await this.restoreLog(sectionId, records)
    await Promise.all(found.files.map((file) => unlink(file)))
    // The journal's folder, made by the first start, must be found after a power cut.
    await syncFolder(this.dataDir)
    return Journal.start(folder, found.lastGeneration, this.policy.journalSpacingMs)
  }

  /**
   * Appends to a section's log the journal's records after its last one,
   * and syncs the log: what it holds already may not be on disk yet (the
   * server was killed, the machine kept running).
   */
  private async restoreLog(sectionId: string, journalled: Uint8Array[]): Promise<void> {
    const folder = this.folderOf(sectionId)
    const snapshot = await this.readSnapshot(folder)
    const log = await this.readLog(sectionId, folder, snapshot.lastSeq)
    // Not the history's last number: a fold writes history before its
    // snapshot, and records it had not yet folded may be in the journal only.
    const lastSeq = Math.max(snapshot.lastSeq, log.records.at(-1)?.seq ?? 0)
    const missing = journalled.filter((record) => decodeUpdateRecord(record).seq > lastSeq)
    await mkdir(folder, { recursive: true, mode: 0o700 })
    const appender = await RecordAppender.open(join(folder, 'log.bin'), log.validBytes)
    try {
      await appender.append(frameRecords(missing))
      await appender.sync()
    } finally {
      await appender.close()
    }
    await syncFolder(folder)
    await syncFolder(dirname(folder))
  }

  /**
   * Moves the journal to a new file, writes out and syncs every section's
   * log, and removes the old file: everything it held is on disk in the logs.
   */
  private async checkpoint(journal: Journal): Promise<void> {
    const retired = await journal.rotate()
    await Promise.all(
      [...this.open.keys()].map((sectionId) =>
        this.serialise(sectionId, async () => {
          const section = await this.open.get(sectionId)?.catch(() => null)
          if (section) await syncLog(section)
        }),
      ),
    )
    await unlink(retired)
  }

  private async compactNow(sectionId: string, section: OpenSection): Promise<void> {
    if (section.unfolded.count === 0) return
    const records = await decodedInTurns(section.unfolded.records())
    // Emptying the log below must not lose a record the copy in memory lacks.
    if (records.length !== section.unfolded.count) {
      throw new Error(`the log in memory holds ${records.length} whole records of ${section.unfolded.count}`)
    }
    const folder = this.folderOf(sectionId)
    const snapshot = await this.readSnapshot(folder)
    // History first, then the snapshot, then the log is emptied: a crash at
    // any point leaves every update in the snapshot or the log, and its
    // history entry in the history file or derivable from the log.
    const entries = section.unfoldedHistory.framed()
    const history = await RecordAppender.open(join(folder, 'history.bin'), section.historyBytes)
    try {
      await history.append(entries)
    } finally {
      await history.close()
    }
    section.historyBytes += entries.length
    const updates = [snapshot.update, ...records.map((record) => record.update)].filter(
      (update): update is Uint8Array => update !== null,
    )
    const lastSeq = records.at(-1)!.seq
    const merged = await this.compactionMerger.merge(updates, true)
    await writeFileAtomic(
      join(folder, 'snapshot.bin'),
      encodeSnapshot({ lastSeq, update: merged.update, stateVector: merged.stateVector, lean: merged.lean ?? null }),
    )
    this.crashPoints.reach('during-compaction')
    await section.log.clear()
    section.logDirty = false
    section.loggedBytes = 0
    section.unfolded.clear()
    section.unfoldedHistory.clear()
  }

  /** Writes out the log of `sectionId` if it is open, for reading the file. */
  private async logWritten(sectionId: string): Promise<void> {
    const section = await this.open.get(sectionId)?.catch(() => null)
    if (section) await writeLog(section)
  }

  private async sectionFor(sectionId: string): Promise<OpenSection> {
    const existing = this.open.get(sectionId)
    if (existing) return existing
    const folder = this.folderOf(sectionId)
    const snapshot = await this.readSnapshot(folder)
    const log = await this.readLog(sectionId, folder, snapshot.lastSeq)
    return this.openSection(sectionId, snapshot, log)
  }

  private async openSection(
    sectionId: string,
    snapshot: Snapshot,
    log: LogContents,
  ): Promise<OpenSection> {
    const existing = this.open.get(sectionId)
    if (existing) return existing
    const folder = this.folderOf(sectionId)
    const opening = (async () => {
      await mkdir(folder, { recursive: true, mode: 0o700 })
      const history = await this.readHistoryFile(folder)
      const lastSeq = lastSeqOf(snapshot, log, history.entries)
      const unfolded = new RecordBuffer()
      unfolded.add(frameRecords(log.payloads), log.payloads.length)
      return {
        log: await RecordAppender.open(join(folder, 'log.bin'), log.validBytes, false),
        loggedBytes: unfolded.bytes,
        logDirty: false,
        folder,
        folderSynced: false,
        nextSeq: lastSeq + 1,
        unfolded,
        unfoldedHistory: await historyOf(log.records),
        historyBytes: history.validBytes,
      }
    })()
    this.open.set(sectionId, opening)
    opening.catch(() => this.open.delete(sectionId))
    return opening
  }

  private async readSnapshot(folder: string): Promise<Snapshot> {
    let bytes: Buffer
    try {
      bytes = await readFile(join(folder, 'snapshot.bin'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lastSeq: 0, update: null, stateVector: null, lean: null }
      throw error
    }
    const decoder = decoding.createDecoder(bytes)
    const lastSeq = decoding.readVarUint(decoder)
    const update = decoding.readVarUint8Array(decoder)
    const stateVector = decoding.hasContent(decoder) ? decoding.readVarUint8Array(decoder) : null
    const lean = decoding.hasContent(decoder) ? decoding.readVarUint8Array(decoder) : null
    return { lastSeq, update: update.length > 0 ? update : null, stateVector, lean }
  }

  private async readLog(sectionId: string, folder: string, afterSeq: number): Promise<LogContents> {
    return this.logAfter(sectionId, await readRecordFile(join(folder, 'log.bin')), afterSeq)
  }

  /** The records of a section's log file after the update numbered `afterSeq`. */
  private logAfter(
    sectionId: string,
    contents: RecordFileContents,
    afterSeq: number,
    warnOfDroppedTail = false,
  ): LogContents {
    if (warnOfDroppedTail && contents.droppedBytes > 0) {
      this.warn(`section ${sectionId}: dropped a torn or corrupt tail of ${contents.droppedBytes} bytes from its update log`)
    }
    // Records at or below the snapshot's number were folded into it by a
    // compaction that crashed before it could empty the log.
    const records: UpdateRecord[] = []
    const payloads: Uint8Array[] = []
    for (const payload of contents.records) {
      const record = decodeUpdateRecord(payload)
      if (record.seq <= afterSeq) continue
      records.push(record)
      payloads.push(payload)
    }
    return { records, payloads, validBytes: contents.validBytes }
  }

  private async readHistory(folder: string): Promise<HistoryEntry[]> {
    return (await this.readHistoryFile(folder)).entries
  }

  private async readHistoryFile(folder: string): Promise<{ entries: HistoryEntry[]; validBytes: number }> {
    const { records, validBytes } = await readRecordFile(join(folder, 'history.bin'))
    const entries: HistoryEntry[] = []
    for (const entry of records.map(decodeHistoryEntry)) {
      // A compaction interrupted after writing history writes it again next time.
      if (entry.seq > (entries.at(-1)?.seq ?? 0)) entries.push(entry)
    }
    return { entries, validBytes }
  }

  private folderOf(sectionId: string): string {
    if (!SECTION_ID_PATTERN.test(sectionId)) throw new Error(`Invalid section id ${JSON.stringify(sectionId.slice(0, 80))}`)
    const root = resolve(this.dataDir, 'sections')
    const folder = resolve(root, sectionId)
    if (!folder.startsWith(root + sep)) throw new Error(`Section path escapes the data folder: ${sectionId}`)
    return folder
  }

  private serialise<T>(sectionId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.run(sectionId, async () => {
      await this.journal
      return work()
    })
  }
}

// Deriving a history entry decodes its update, and a fold decodes every
// record: the thousands of a log at once would hold the event loop (and
// every section's keystrokes) for tens of milliseconds (10,000 records
// decoded: 16-38 ms).
const HISTORY_ENTRIES_PER_TURN = 100
const RECORDS_DECODED_PER_TURN = 250

/** Hands `items` to `handle` `perTurn` at a time, one turn of the event loop each. */
async function inTurns<T>(items: T[], perTurn: number, handle: (some: T[]) => void): Promise<void> {
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await nextTurn()
    handle(items.slice(start, start + perTurn))
  }
}

async function decodedInTurns(payloads: Uint8Array[]): Promise<UpdateRecord[]> {
  const records: UpdateRecord[] = []
  await inTurns(payloads, RECORDS_DECODED_PER_TURN, (some) => records.push(...some.map(decodeUpdateRecord)))
  return records
}

async function historyOf(records: UpdateRecord[]): Promise<RecordBuffer> {
  const history = new RecordBuffer()
  await inTurns(records, HISTORY_ENTRIES_PER_TURN, (some) =>
    history.add(frameEach(some, (encoder, record) => writeHistoryEntryOf(encoder, record)), some.length),
  )
  return history
}

/** Appends to a section's log the records only the journal holds yet. */
async function writeLog(section: OpenSection): Promise<void> {
  const bytes = section.unfolded.bytes
  if (section.loggedBytes === bytes) return
  section.logDirty = true
  await section.log.append(section.unfolded.framed(section.loggedBytes))
  section.loggedBytes = bytes
}

/** Writes out a section's log and puts it on disk. */
async function syncLog(section: OpenSection): Promise<void> {
  await writeLog(section)
  if (!section.logDirty) return
  await section.log.sync()
  // A log made since the server started is on disk by name only once its folder is.
  if (!section.folderSynced) {
    await syncFolder(section.folder)
    await syncFolder(dirname(section.folder))
    section.folderSynced = true
  }
  section.logDirty = false
}

// The highest update number stored anywhere: snapshot, log or folded history.
function lastSeqOf(snapshot: Snapshot, log: { records: UpdateRecord[] }, folded: HistoryEntry[]): number {
  return Math.max(snapshot.lastSeq, log.records.at(-1)?.seq ?? 0, folded.at(-1)?.seq ?? 0)
}

function checkedLabel(label: string): string {
  if (!/^[a-z0-9-]{1,64}$/.test(label)) throw new Error(`Invalid state label ${JSON.stringify(label.slice(0, 80))}`)
  return label
}

function encodeSnapshot(snapshot: Snapshot): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, snapshot.lastSeq)
  encoding.writeVarUint8Array(encoder, snapshot.update ?? new Uint8Array())
  if (snapshot.stateVector) {
    encoding.writeVarUint8Array(encoder, snapshot.stateVector)
    if (snapshot.lean) encoding.writeVarUint8Array(encoder, snapshot.lean)
  }
  return encoding.toUint8Array(encoder)
}
