import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { tempFolderPerTest } from '../../helpers/tempFolder.js'
import { RecordBuffer, frameEach, frameRecords, readRecordFile } from '../../../server/storage/recordFile.js'

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)

describe('record files', () => {
  const folder = tempFolderPerTest('dr-records-')

  it('reads back framed records and stops at a torn tail', async () => {
    const framed = frameRecords([bytes(1, 2, 3), bytes(4)])
    const path = join(folder(), 'log.bin')
    await writeFile(path, Buffer.concat([framed, framed.subarray(0, 10)]))

    const contents = await readRecordFile(path)

    expect(contents.records.map((record) => [...record])).toEqual([[1, 2, 3], [4]])
    expect(contents.validBytes).toBe(framed.length)
    expect(contents.droppedBytes).toBe(10)
  })

  it('frames items encoded one after the other as it frames each one encoded alone', () => {
    const items = ['Dignity', '', 'x'.repeat(300), 'Humanity']
    const framed = frameEach(items, (encoder, item, index) => {
      encoding.writeVarUint(encoder, index)
      encoding.writeVarString(encoder, item)
    })
    const alone = items.map((item, index) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, index)
      encoding.writeVarString(encoder, item)
      return encoding.toUint8Array(encoder)
    })
    expect(framed.equals(frameRecords(alone))).toBe(true)
  })

  it('stops at zeros a crash left after the last record, and frames no empty record', async () => {
    const framed = frameRecords([bytes(1, 2, 3)])
    const path = join(folder(), 'log.bin')
    // A file grown before its data reached the disk reads as zeros: length 0, checksum 0.
    await writeFile(path, Buffer.concat([framed, Buffer.alloc(16)]))

    const contents = await readRecordFile(path)

    expect(contents.records.map((record) => [...record])).toEqual([[1, 2, 3]])
    expect(contents.droppedBytes).toBe(16)
    expect(() => frameRecords([bytes()])).toThrow(/empty/)
  })

  it('stops at a record whose checksum fails', async () => {
    const framed = frameRecords([bytes(1, 2, 3), bytes(4, 5)])
    framed.writeUInt8(framed.readUInt8(framed.length - 1) ^ 0xff, framed.length - 1)
    const path = join(folder(), 'log.bin')
    await writeFile(path, framed)

    const contents = await readRecordFile(path)

    expect(contents.records.map((record) => [...record])).toEqual([[1, 2, 3]])
    expect(contents.droppedBytes).toBe(10)
  })
})

describe('RecordBuffer', () => {
  it('keeps records across chunks, in order, framed as a file holds them', () => {
    const buffer = new RecordBuffer()
    const payloads = Array.from({ length: 3000 }, (_, index) => new Uint8Array(1 + (index % 40)).fill(index % 251))
    // In batches of a few, as stores come, and one batch larger than any chunk.
    for (let start = 0; start < 2000; start += 7) {
      const batch = payloads.slice(start, Math.min(start + 7, 2000))
      buffer.add(frameRecords(batch), batch.length)
    }
    const large = [new Uint8Array(100_000).fill(9), ...payloads.slice(2000)]
    buffer.add(frameRecords(large), large.length)
    const expected = [...payloads.slice(0, 2000), ...large]

    expect(buffer.count).toBe(expected.length)
    const records = buffer.records()
    expect(records.map((record) => record.length)).toEqual(expected.map((payload) => payload.length))
    // Buffer.equals: toEqual compares large buffers byte by byte, slowly.
    expect(Buffer.concat(records).equals(Buffer.concat(expected))).toBe(true)
    expect(buffer.framed().equals(frameRecords(expected))).toBe(true)
    expect(buffer.bytes).toBe(buffer.framed().length)
  })

  it('gives the framed bytes after any offset, chunk boundaries included', () => {
    const buffer = new RecordBuffer()
    for (let index = 0; index < 500; index++) buffer.add(frameRecords([new Uint8Array(1 + (index % 30)).fill(index % 251)]), 1)
    const whole = buffer.framed()
    for (let offset = 0; offset <= whole.length; offset++) {
      if (!buffer.framed(offset).equals(whole.subarray(offset))) expect.fail(`the bytes after ${offset} differ`)
    }
  })

  it('is empty after clear', () => {
    const buffer = new RecordBuffer()
    buffer.add(frameRecords([bytes(1)]), 1)
    buffer.clear()

    expect(buffer.count).toBe(0)
    expect(buffer.bytes).toBe(0)
    expect(buffer.records()).toEqual([])
    expect(buffer.framed().length).toBe(0)
  })
})
