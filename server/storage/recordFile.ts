import { constants } from 'node:fs'
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'

const HEADER_BYTES = 8

/** What reading a record file found. */
export interface RecordFileContents {
  records: Uint8Array[]
  /** Bytes after the last whole record: a torn or corrupt tail, dropped. */
  droppedBytes: number
}

/**
 * Frames `payload` as one record: a 4-byte length, a 4-byte CRC-32 of the
 * payload, then the payload. The checksum lets a reader tell a record torn
 * by a crash from a whole one.
 */
export function frameRecord(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length)
  frame.writeUInt32LE(payload.length, 0)
  frame.writeUInt32LE(crc32(payload), 4)
  frame.set(payload, HEADER_BYTES)
  return frame
}

/** The bytes a record of `payload` takes in a file, header included. */
export function framedLength(payload: Uint8Array): number {
  return HEADER_BYTES + payload.length
}

/**
 * Reads every whole record of an append-only record file. Reading stops at
 * the first record whose length runs past the end or whose checksum fails:
 * that is where a crash tore the file, and nothing after it can be trusted.
 * A missing file reads as empty.
 */
export async function readRecordFile(path: string): Promise<RecordFileContents> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], droppedBytes: 0 }
    throw error
  }
  const records: Uint8Array[] = []
  let offset = 0
  while (offset + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(offset)
    const checksum = bytes.readUInt32LE(offset + 4)
    const end = offset + HEADER_BYTES + length
    if (end > bytes.length) break
    const payload = bytes.subarray(offset + HEADER_BYTES, end)
    if (crc32(payload) !== checksum) break
    records.push(payload)
    offset = end
  }
  return { records, droppedBytes: bytes.length - offset }
}

/**
 * An append-only file of framed records, kept open. `append` resolves once
 * the records are on disk (the file is opened with O_DSYNC), which is what
 * "saved" means.
 */
export class RecordAppender {
  private constructor(private readonly handle: FileHandle) {}

  /**
   * Opens `path` for appending. `validBytes` is where the trusted content
   * ends: a torn tail beyond it is cut off first, so new records are never
   * written after garbage.
   */
  static async open(path: string, validBytes: number): Promise<RecordAppender> {
    // O_DSYNC: each write returns once its bytes are on disk, one request
    // where a write and an fdatasync would take two.
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC, 0o600)
    const { size } = await handle.stat()
    if (size > validBytes) {
      await handle.truncate(validBytes)
      await handle.sync()
    }
    return new RecordAppender(handle)
  }

  async append(payloads: Uint8Array[]): Promise<void> {
    if (payloads.length === 0) return
    await this.handle.write(Buffer.concat(payloads.map(frameRecord)))
  }

  /** Empties the file, after its records were folded into a snapshot. */
  async clear(): Promise<void> {
    await this.handle.truncate(0)
    await this.handle.sync()
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}
