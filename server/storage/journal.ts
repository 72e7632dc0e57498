import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { mkdir, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { syncFolder } from './atomicFile.js'
import { RecordAppender, frameRecords, readRecordFile } from './recordFile.js'

/** A batch of a section's log records, as the journal holds it. */
export interface JournalEntry {
  sectionId: string
  /** The batch framed as the section's log holds it (`frameRecords`). */
  records: Uint8Array
}

/** What the journal files left by the last run hold. */
export interface JournalContents {
  /** Every whole entry, oldest first. */
  entries: JournalEntry[]
  /** Bytes after the last whole entry of each file: torn by a crash, dropped. */
  droppedBytes: number
  /** The files read, to remove once their entries are safe elsewhere. */
  files: string[]
  /** The highest file number found, 0 if none. */
  lastGeneration: number
}

const FILE_PATTERN = /^journal-(\d+)\.bin$/

const fileName = (generation: number): string => `journal-${generation}.bin`

/** Entries framed as journal records, ready for `Journal.write`. */
export function frameJournalEntries(entries: JournalEntry[]): Buffer {
  return frameRecords(
    entries.map(({ sectionId, records }) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarString(encoder, sectionId)
      encoding.writeVarUint8Array(encoder, records)
      return encoding.toUint8Array(encoder)
    }),
  )
}

/** Reads the journal files in `folder`, oldest first. */
export async function readJournal(folder: string): Promise<JournalContents> {
  await mkdir(folder, { recursive: true, mode: 0o700 })
  const generations = (await readdir(folder))
    .map((name) => FILE_PATTERN.exec(name)?.[1])
    .filter((generation): generation is string => generation !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
  const contents: JournalContents = { entries: [], droppedBytes: 0, files: [], lastGeneration: generations.at(-1) ?? 0 }
  for (const generation of generations) {
    const path = join(folder, fileName(generation))
    const { records, droppedBytes } = await readRecordFile(path)
    for (const payload of records) {
      const decoder = decoding.createDecoder(payload)
      contents.entries.push({ sectionId: decoding.readVarString(decoder), records: decoding.readVarUint8Array(decoder) })
    }
    contents.droppedBytes += droppedBytes
    contents.files.push(path)
  }
  return contents
}

/**
 * One file that makes every section's new records durable: a group commit.
 * Each section's own log is written later (see `FileDocumentStore`); what
 * it stores is written here, together with what other sections stored
 * meanwhile, in one write that returns once on disk (O_DSYNC). Twenty busy
 * sections storing ten times a second each flushed the disk two hundred
 * times a second, which cost the server a fifth more CPU per keystroke
 * delivered; through the journal, at most 1000 / `spacingMs` times.
 *
 * At a checkpoint the journal moves on to a new file; once the sections'
 * logs are written out and synced, the old file is removed. Whatever a
 * crash left in the journal is written into the sections' logs at the next
 * start.
 */
export class Journal {
  private queued: Uint8Array[] = []
  private waiting: Array<{ resolve(): void; reject(error: Error): void }> = []
  private writing: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private lastWriteAt = Number.NEGATIVE_INFINITY
  /** While a rotation waits for the last write to the old file, no new one starts. */
  private paused = false
  private bytesWritten = 0
  private writeCount = 0
  private closed = false

  private constructor(
    private readonly folder: string,
    private generation: number,
    private file: RecordAppender,
    private readonly spacingMs: number,
  ) {}

  /**
   * Starts the journal file after `lastGeneration` in `folder`.
   * @param spacingMs the least time between two writes: what arrives
   *   meanwhile goes in the next one. A write after a quiet spell goes at once.
   */
  static async start(folder: string, lastGeneration: number, spacingMs: number): Promise<Journal> {
    const generation = lastGeneration + 1
    return new Journal(folder, generation, await openFile(folder, generation), spacingMs)
  }

  /** Bytes written to the current file. */
  get bytes(): number {
    return this.bytesWritten
  }

  /** Writes to the disk so far, each holding everything queued by then. */
  get writes(): number {
    return this.writeCount
  }

  /** Appends `framed` (`frameJournalEntries`); resolves once it is on disk. */
  write(framed: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The journal is closed'))
    return new Promise<void>((resolve, reject) => {
      this.queued.push(framed)
      this.waiting.push({ resolve, reject })
      this.schedule()
    })
  }

  /**
   * Moves on to a new file: what is written from now on goes there.
   * Resolves, once nothing is being written to the old file any more, with
   * the old file's path: remove it once what it held is safe elsewhere.
   */
  async rotate(): Promise<string> {
    const generation = this.generation + 1
    const next = await openFile(this.folder, generation)
    this.paused = true
    while (this.writing) await this.writing
    const retired = this.file
    const retiredPath = join(this.folder, fileName(this.generation))
    this.file = next
    this.generation = generation
    this.bytesWritten = 0
    this.paused = false
    this.schedule()
    await retired.close()
    return retiredPath
  }

  /**
   * Writes what is queued and closes the file; removes it too unless
   * `keep`: call without once every entry is safe elsewhere.
   */
  async close(keep = false): Promise<void> {
    this.closed = true
    while (this.writing || this.queued.length > 0) {
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      if (!this.writing) this.flush()
      await this.writing
    }
    await this.file.close()
    if (keep) return
    await unlink(join(this.folder, fileName(this.generation))).catch((error: NodeJS.ErrnoException) => {
      // Gone already: the next start of a store on this folder recovered it.
      if (error.code !== 'ENOENT') throw error
    })
  }

  private schedule(): void {
    if (this.writing || this.timer || this.paused || this.queued.length === 0) return
    const wait = this.lastWriteAt + this.spacingMs - performance.now()
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = null
        this.flush()
      }, wait)
      return
    }
    this.flush()
  }

  private flush(): void {
    const batch = Buffer.concat(this.queued)
    const waiting = this.waiting
    this.queued = []
    this.waiting = []
    this.lastWriteAt = performance.now()
    this.writeCount++
    this.writing = this.file
      .append(batch)
      .then(
        () => {
          this.bytesWritten += batch.length
          for (const waiter of waiting) waiter.resolve()
        },
        (error: Error) => {
          for (const waiter of waiting) waiter.reject(error)
        },
      )
      .finally(() => {
        this.writing = null
        this.schedule()
      })
  }
}

/** A new journal file, each write on disk before it returns, and its name on disk too. */
async function openFile(folder: string, generation: number): Promise<RecordAppender> {
  const file = await RecordAppender.open(join(folder, fileName(generation)), 0)
  await syncFolder(folder)
  return file
}
