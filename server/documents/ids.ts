import { randomBytes } from 'node:crypto'

/** A new section id, matching `SECTION_ID_PATTERN`. */
export function newSectionId(): string {
  return `s-${randomBytes(8).toString('hex')}`
}
