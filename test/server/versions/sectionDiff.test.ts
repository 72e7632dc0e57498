import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { PersonView } from '../../../shared/inputs.js'
import { historyEntryOf, type UpdateRecord } from '../../../server/storage/updateRecords.js'
import { diffSection } from '../../../server/versions/sectionDiff.js'

const people: Record<string, PersonView> = {
  system: { id: 'system', name: 'Drafting Room', organisation: '' },
  lena: { id: 'lena', name: 'Lena Karlsson', organisation: 'Swedish Red Cross' },
  karim: { id: 'karim', name: 'Karim Saleh', organisation: 'Lebanese Red Cross' },
}

/** A section edited by one Y.Doc on behalf of several users, as the relay does for restores and suggestions. */
function recordedSection() {
  const doc = new Y.Doc()
  const records: UpdateRecord[] = []
  doc.on('update', (update: Uint8Array, origin: string) => records.push({ seq: records.length + 1, author: origin, at: 1000 * (records.length + 1), update }))
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  doc.transact(() => {
    paragraph.insert(0, [text])
    doc.getXmlFragment('prosemirror').insert(0, [paragraph])
    text.insert(0, 'Hello world')
  }, 'system')
  const edit = (author: string, change: () => void) => doc.transact(change, author)
  const stored = () => {
    const full = new Y.Doc({ gc: false })
    Y.applyUpdate(full, Y.mergeUpdates(records.map((record) => record.update)))
    return { full, entries: records.map((record) => historyEntryOf(record)) }
  }
  return { doc, text, edit, stored, records }
}

describe('diffSection', () => {
  it("attributes each change to the user whose update made it, even when one Yjs client carried several users' edits", () => {
    const { text, edit, stored } = recordedSection()
    edit('lena', () => text.insert(5, ' big'))
    edit('karim', () => text.insert(text.length, '!'))
    edit('karim', () => text.delete(0, 5))
    edit('lena', () => text.insert(0, 'Hi'))
    const { full, entries } = stored()
    const diff = diffSection(full, entries, 1, 5, (id) => people[id]!)
    expect(diff.changes.map((change) => [change.change, change.text, change.author.id])).toEqual([
      ['deleted', 'Hello', 'karim'],
      ['inserted', 'Hi big', 'lena'],
      ['inserted', '!', 'karim'],
    ])
    expect(diff).toMatchObject({ inserted: 2 + 4 + 1, deleted: 5 })
  })

  it('compares any two points: text added and removed in between shows in neither', () => {
    const { text, edit, stored } = recordedSection()
    edit('lena', () => text.insert(0, 'Draft: '))
    edit('karim', () => text.delete(0, 'Draft: '.length))
    edit('karim', () => text.format(0, 5, { strong: {} }))
    const { full, entries } = stored()
    expect(diffSection(full, entries, 1, 3, (id) => people[id]!).changes).toEqual([])
    const early = diffSection(stored().full, entries, 0, 2, (id) => people[id]!)
    expect(early.changes.map((change) => [change.change, change.text, change.author.id])).toEqual([
      ['inserted', 'Draft: ', 'lena'],
      ['inserted', 'Hello world', 'system'],
    ])
    const marked = diffSection(stored().full, entries, 3, 4, (id) => people[id]!)
    expect(marked.content[0]!.content).toMatchObject([
      { type: 'text', text: 'Hello', marks: [{ type: 'strong' }], change: null },
      { type: 'text', text: ' world', marks: [], change: null },
    ])
  })

  it('shows a deleted paragraph as a deleted block with its text and attributes as they were', () => {
    const { doc, edit, stored } = recordedSection()
    const heading = new Y.XmlElement('heading')
    edit('lena', () => {
      heading.setAttribute('level', 3 as unknown as string)
      heading.insert(0, [new Y.XmlText('Routes')])
      doc.getXmlFragment('prosemirror').insert(0, [heading])
    })
    edit('karim', () => doc.getXmlFragment('prosemirror').delete(0, 1))
    const { full, entries } = stored()
    const diff = diffSection(full, entries, 2, 3, (id) => people[id]!)
    expect(diff.content[0]).toMatchObject({ type: 'heading', attrs: { level: 3 }, change: 'deleted', author: { id: 'karim' } })
    expect(diff.changes).toEqual([{ change: 'deleted', text: 'Routes', author: people.karim }])
  })

  it('refuses a document that has already dropped deleted content', () => {
    const { stored } = recordedSection()
    expect(() => diffSection(new Y.Doc(), stored().entries, 0, 1, (id) => people[id]!)).toThrow(/garbage collection off/)
  })
})
