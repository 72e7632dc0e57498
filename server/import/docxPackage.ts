import { IMPORT_MAX_UNPACKED_BYTES } from '../../shared/exports.js'
import { ApiError } from '../http/errors.js'

const LOCAL_FILE_HEADER = 0x04034b50
const CENTRAL_DIRECTORY_HEADER = 0x02014b50
const END_OF_CENTRAL_DIRECTORY = 0x06054b50
// The end record is 22 bytes, followed by a comment of at most 65535.
const END_RECORD_SEARCH = 22 + 0xffff
// The Compound File header of the older binary .doc format.
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])

/**
 * Checks that `bytes` is a Word `.docx` before anything unpacks it: a zip
 * package whose directory lists `word/document.xml` and whose parts, once
 * unpacked, stay within `IMPORT_MAX_UNPACKED_BYTES` (a small file must not
 * unpack into gigabytes). Reads only the zip's central directory. Throws a
 * 400 that says what the file is instead, or a 413.
 */
export function checkDocxPackage(bytes: Buffer): void {
  if (bytes.length === 0) throw notDocx('The request has no file in its body; send the .docx file itself')
  if (bytes.subarray(0, OLE_SIGNATURE.length).equals(OLE_SIGNATURE)) {
    throw notDocx('This is an older Word .doc file (or another Office binary file); open it in Word and save it as .docx first')
  }
  if (bytes.length < 30 || bytes.readUInt32LE(0) !== LOCAL_FILE_HEADER) {
    throw notDocx('This file is not a Word document (.docx); only .docx files can be imported')
  }
  const entries = centralDirectory(bytes)
  if (!entries.some((entry) => entry.name === 'word/document.xml')) {
    throw notDocx('This zip file is not a Word document (.docx): it has no word/document.xml')
  }
  const unpacked = entries.reduce((sum, entry) => sum + entry.size, 0)
  if (unpacked > IMPORT_MAX_UNPACKED_BYTES) {
    throw new ApiError(
      413,
      'too_large',
      `This .docx unpacks to ${Math.ceil(unpacked / 1024 / 1024)} MB, more than the ${IMPORT_MAX_UNPACKED_BYTES / 1024 / 1024} MB an import may hold`,
    )
  }
}

function centralDirectory(bytes: Buffer): { name: string; size: number }[] {
  const end = findEndRecord(bytes)
  const count = bytes.readUInt16LE(end + 10)
  const offset = bytes.readUInt32LE(end + 16)
  // 0xffff / 0xffffffff announce a zip64 directory, which no Word document needs.
  if (count === 0xffff || offset === 0xffffffff) throw notDocx('This zip file uses a format (zip64) that Word documents do not use')
  const entries: { name: string; size: number }[] = []
  let position = offset
  for (let i = 0; i < count; i++) {
    if (position + 46 > bytes.length || bytes.readUInt32LE(position) !== CENTRAL_DIRECTORY_HEADER) {
      throw notDocx('This file looks like a zip file but its directory is damaged; it is not a readable .docx')
    }
    const size = bytes.readUInt32LE(position + 24)
    const nameLength = bytes.readUInt16LE(position + 28)
    const extraLength = bytes.readUInt16LE(position + 30)
    const commentLength = bytes.readUInt16LE(position + 32)
    const name = bytes.toString('utf8', position + 46, position + 46 + nameLength)
    entries.push({ name, size })
    position += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

function findEndRecord(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - END_RECORD_SEARCH)
  for (let position = bytes.length - 22; position >= lowest; position--) {
    if (bytes.readUInt32LE(position) === END_OF_CENTRAL_DIRECTORY) return position
  }
  throw notDocx('This file starts like a zip file but is cut short or damaged; it is not a readable .docx')
}

function notDocx(message: string): ApiError {
  return new ApiError(400, 'not_docx', message, 'body')
}
