import * as encoding from 'lib0/encoding'
import { constants } from 'node:fs'
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'

const HEADER_BYTES = 8

/** What reading a record file found. */
export interface RecordFileContents {
  records: Uint8Array[]
  /** Bytes the whole records take, from the start: where new records may go. */
  validBytes: number
  /** Bytes after the last whole record: a torn or corrupt tail, dropped. */
  droppedBytes: number
}

/**
 * Frames each payload as one record and joins the frames, as a record file
 * holds them: a 4-byte length, a 4-byte CRC-32 of the payload, then the
 * payload. The checksum lets a reader tell a record torn by a crash from a
 * whole one.
 */
export function frameRecords(payloads: Uint8Array[]): Buffer {
  // A zero length reads as a torn tail (see `readRecords`).
  if (payloads.some((payload) => payload.length === 0)) throw new Error('A record cannot be empty')
  const framed = Buffer.allocUnsafe(payloads.reduce((sum, payload) => sum + HEADER_BYTES + payload.length, 0))
  let offset = 0
  for (const payload of payloads) {
    framed.writeUInt32LE(payload.length, offset)
    framed.writeUInt32LE(crc32(payload), offset + 4)
    framed.set(payload, offset + HEADER_BYTES)
    offset += HEADER_BYTES + payload.length
  }
  return framed
}

/**
 * Frames each item's encoding as one record, as `frameRecords` does; `write`
 * encodes the items one after the other into one encoder, so that a batch
 * costs one encoding buffer rather than one per record.
 */
export function frameEach<T>(items: readonly T[], write: (encoder: encoding.Encoder, item: T, index: number) => void): Buffer {
  const encoder = encoding.createEncoder()
  const ends: number[] = []
  items.forEach((item, index) => {
    write(encoder, item, index)
    ends.push(encoding.length(encoder))
  })
  const encoded = encoding.toUint8Array(encoder)
  return frameRecords(ends.map((end, index) => encoded.subarray(index === 0 ? 0 : ends[index - 1]!, end)))
}

/**
 * Reads every whole record of an append-only record file. Reading stops at
 * the first record whose length runs past the end or whose checksum fails:
 * that is where a crash tore the file, and nothing after it can be trusted.
 * A missing file reads as empty.
 */
export async function readRecordFile(path: string): Promise<RecordFileContents> {
  try {
    return readRecords(await readFile(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0, droppedBytes: 0 }
    throw error
  }
}

/** The payloads of records framed by `frameRecords`, whole ones only. */
export function readFramedRecords(framed: Uint8Array): Uint8Array[] {
  return readRecords(framed).records
}

/** Reads every whole record of framed bytes, as `readRecordFile` does. */
function readRecords(bytes: Uint8Array): RecordFileContents {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const records: Uint8Array[] = []
  let offset = 0
  while (offset + HEADER_BYTES <= view.length) {
    const length = view.readUInt32LE(offset)
    const checksum = view.readUInt32LE(offset + 4)
    const end = offset + HEADER_BYTES + length
    // Zeros where a crash left the file longer than what reached the disk
    // would pass as an empty record: the checksum of nothing is 0.
    if (length === 0 || end > view.length) break
    const payload = view.subarray(offset + HEADER_BYTES, end)
    if (crc32(payload) !== checksum) break
    records.push(payload)
    offset = end
  }
  return { records, validBytes: offset, droppedBytes: view.length - offset }
}

// Small at first: most open sections hold a record or two.
const FIRST_CHUNK_BYTES = 512
const LARGEST_CHUNK_BYTES = 64 * 1024

/**
 * Framed records kept in memory, copied into a few chunks (doubling up to
 * 64 kB, or as large as one batch added at once). A section
 * keeps its log's records until they are folded into its snapshot (up to
 * thousands, for minutes); kept as thousands of small buffers and objects,
 * they were copied and swept by every young-generation collection, which
 * in twenty busy sections made pauses of 4-6 ms every half second and a
 * full collection every 8 s.
 */
export class RecordBuffer {
  /** Filled chunks, each cut to its used length. */
  private readonly filled: Buffer[] = []
  private chunk: Buffer | null = null
  private used = 0
  private recordCount = 0
  private byteCount = 0

  /** How many records it holds. */
  get count(): number {
    return this.recordCount
  }

  /** How many bytes its records take framed. */
  get bytes(): number {
    return this.byteCount
  }

  /** Adds `count` records already framed (see `frameRecords`). */
  add(framed: Uint8Array, count: number): void {
    // A section opened with an empty log holds no chunk until it stores.
    if (framed.length === 0) return
    if (!this.chunk || this.chunk.length - this.used < framed.length) {
      const grown = Math.min(LARGEST_CHUNK_BYTES, this.chunk ? this.chunk.length * 2 : FIRST_CHUNK_BYTES)
      if (this.chunk) this.filled.push(this.chunk.subarray(0, this.used))
      // Not from Node's shared pool: a kept chunk would pin the pool's slab.
      this.chunk = Buffer.allocUnsafeSlow(Math.max(grown, framed.length))
      this.used = 0
    }
    this.chunk.set(framed, this.used)
    this.used += framed.length
    this.recordCount += count
    this.byteCount += framed.length
  }

  /** The records' payloads, oldest first. */
  records(): Uint8Array[] {
    return this.chunks().flatMap(readFramedRecords)
  }

  /** Every record framed, as a record file holds them; or those after the first `offset` bytes. */
  framed(offset = 0): Buffer {
    const parts: Buffer[] = []
    let skip = offset
    for (const chunk of this.chunks()) {
      if (skip >= chunk.length) {
        skip -= chunk.length
        continue
      }
      parts.push(chunk.subarray(skip))
      skip = 0
    }
    return Buffer.concat(parts)
  }

  clear(): void {
    this.filled.length = 0
    this.chunk = null
    this.used = 0
    this.recordCount = 0
    this.byteCount = 0
  }

  private chunks(): Buffer[] {
    return this.chunk ? [...this.filled, this.chunk.subarray(0, this.used)] : []
  }
}

/**
 * An append-only file of framed records, kept open. Durable, `append`
 * resolves once the records are on disk (the file is opened with O_DSYNC);
 * otherwise once the system has them, and `sync` puts them on disk.
 */
export class RecordAppender {
  private constructor(
    private readonly handle: FileHandle,
    /** Where the whole records end. */
    private size: number,
  ) {}

  /** Set when a failed write could not be undone: nothing may follow it. */
  private broken: Error | null = null

  /**
   * Opens `path` for appending. `validBytes` is where the trusted content
   * ends: a torn tail beyond it is cut off first, so new records are never
   * written after garbage.
   */
  static async open(path: string, validBytes: number, durable = true): Promise<RecordAppender> {
    // O_DSYNC: each write returns once its bytes are on disk, one request
    // where a write and an fdatasync would take two.
    const flags = constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | (durable ? constants.O_DSYNC : 0)
    const handle = await open(path, flags, 0o600)
    const { size } = await handle.stat()
    if (size > validBytes) {
      await handle.truncate(validBytes)
      await handle.sync()
    }
    return new RecordAppender(handle, validBytes)
  }

  /** Appends records framed by `frameRecords`. */
  async append(framed: Uint8Array): Promise<void> {
    if (this.broken) throw this.broken
    if (framed.length === 0) return
    try {
      const { bytesWritten } = await this.handle.write(framed)
      if (bytesWritten !== framed.length) throw new Error(`Wrote ${bytesWritten} of ${framed.length} bytes`)
    } catch (error) {
      // A write cut short must not leave garbage before the next one: a
      // reader stops at the first record it cannot trust.
      await this.handle.truncate(this.size).catch((truncating: Error) => {
        this.broken = new Error(`A failed write could not be undone: ${truncating.message}`)
      })
      throw error
    }
    this.size += framed.length
  }

  /** Puts every record appended so far on disk. */
  async sync(): Promise<void> {
    await this.handle.datasync()
  }

  /** Empties the file, after its records were folded into a snapshot. */
  async clear(): Promise<void> {
    await this.handle.truncate(0)
    // Before the sync, which may fail: a failed append truncates back to `size`.
    this.size = 0
    await this.handle.sync()
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}
