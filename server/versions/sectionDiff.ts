import * as Y from 'yjs'
import type { PersonView } from '../../shared/inputs.js'
import type { ChangeSummary, DiffBlock, DiffChange, DiffMark, DiffNode, DiffText } from '../../shared/versions.js'
import { FRAGMENT_NAME } from '../documents/sectionText.js'
import { snapshotAfter, type HistoryEntry } from '../storage/updateRecords.js'
import { Authorship } from './authorship.js'
import { realignReplacements, sameMarks } from './wordDiff.js'

const BLOCK_TYPES = new Set<DiffBlock['type']>(['paragraph', 'heading', 'blockquote', 'bullet_list', 'ordered_list', 'list_item'])
const MARK_TYPES = new Set<DiffMark['type']>(['strong', 'em', 'underline', 'link'])
// y-prosemirror suffixes the attribute of a mark that may overlap itself with a hash.
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/

/** What comparing two points of a section's history gives. */
export interface SectionDiff {
  content: DiffBlock[]
  changes: ChangeSummary[]
  inserted: number
  deleted: number
}

/**
 * Compares a section right after update `fromSeq` with the same section
 * right after update `toSeq` (`fromSeq` ≤ `toSeq`), in the editor's terms:
 * its blocks, with text runs marked inserted or deleted and attributed to
 * the user whose update did it.
 *
 * `doc` must hold the section's whole stored state with garbage collection
 * off (deleted content is needed) and is changed: its items are split where
 * updates begin and end. `entries` is the section's whole history.
 */
export function diffSection(
  doc: Y.Doc,
  entries: HistoryEntry[],
  fromSeq: number,
  toSeq: number,
  person: (userId: string) => PersonView,
): SectionDiff {
  if (doc.gc) throw new Error('diffSection needs a document with garbage collection off, or deleted text is gone')
  const from = snapshotAfter(entries.filter((entry) => entry.seq <= fromSeq))
  const to = snapshotAfter(entries.filter((entry) => entry.seq <= toSeq))
  const authorship = new Authorship(entries, fromSeq, toSeq)
  const walker = new DiffWalker(from, to, authorship, person)
  let content: DiffBlock[] = []
  doc.transact((transaction) => {
    splitAtSnapshot(transaction, from)
    splitAtSnapshot(transaction, to)
    authorship.splitItems(transaction)
    content = walker.children(doc.getXmlFragment(FRAGMENT_NAME)).filter((node): node is DiffBlock => node.type !== 'text' && node.type !== 'hard_break')
  })
  const changes = summarise(content)
  const count = (change: ChangeSummary['change']) =>
    changes.filter((summary) => summary.change === change).reduce((sum, summary) => sum + summary.text.length, 0)
  return { content, changes, inserted: count('inserted'), deleted: count('deleted') }
}

function visibleIn(item: Y.Item, snapshot: Y.Snapshot): boolean {
  return (snapshot.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snapshot.ds, item.id)
}

// Splits items where a snapshot's state vector and delete set cut through
// them, so that each item is wholly inside or outside the snapshot.
function splitAtSnapshot(transaction: Y.Transaction, snapshot: Y.Snapshot): void {
  const store = transaction.doc.store
  const split = (client: number, clock: number) => {
    if (clock > 0 && clock < Y.getState(store, client)) Y.getItemCleanStart(transaction, Y.createID(client, clock))
  }
  for (const [client, clock] of snapshot.sv) split(client, clock)
  for (const [client, ranges] of snapshot.ds.clients) {
    for (const { clock, len } of ranges) {
      split(client, clock)
      split(client, clock + len)
    }
  }
}

class DiffWalker {
  private readonly union: Y.Snapshot

  constructor(
    private readonly from: Y.Snapshot,
    private readonly to: Y.Snapshot,
    private readonly authorship: Authorship,
    private readonly person: (userId: string) => PersonView,
  ) {
    // Everything that existed by `to` and was not yet deleted at `from`.
    this.union = new Y.Snapshot(from.ds, to.sv)
  }

  /** The change of an item between the two snapshots, or undefined if it is in neither. */
  private changeOf(item: Y.Item): { change: DiffChange; author: PersonView | null } | undefined {
    const before = visibleIn(item, this.from)
    const after = visibleIn(item, this.to)
    if (before && after) return { change: null, author: null }
    if (after) return { change: 'inserted', author: this.person(this.authorship.insertedBy(item.id) ?? 'system') }
    if (before) return { change: 'deleted', author: this.person(this.authorship.deletedBy(item.id) ?? 'system') }
    return undefined
  }

  children(parent: Y.XmlFragment | Y.XmlElement): DiffNode[] {
    const nodes: DiffNode[] = []
    for (const child of Y.typeListToArraySnapshot(parent, this.union) as (Y.XmlElement | Y.XmlText)[]) {
      if (child instanceof Y.XmlText) nodes.push(...this.text(child))
      else if (child instanceof Y.XmlElement) {
        const node = this.element(child)
        if (node) nodes.push(node)
      }
    }
    return nodes
  }

  private element(element: Y.XmlElement): DiffNode | null {
    const state = this.changeOf(element._item!)
    if (!state) return null
    if (element.nodeName === 'hard_break') return { type: 'hard_break', ...state }
    if (!BLOCK_TYPES.has(element.nodeName as DiffBlock['type'])) return null
    // A deleted block's attributes were deleted with it: read them as they were.
    const attributes = element.getAttributes(state.change === 'deleted' ? this.from : this.to) as Record<string, unknown>
    const attrs: DiffBlock['attrs'] = {}
    if (element.nodeName === 'heading' && typeof attributes.level === 'number') attrs.level = attributes.level
    if (element.nodeName === 'ordered_list' && typeof attributes.order === 'number') attrs.order = attributes.order
    return { type: element.nodeName as DiffBlock['type'], attrs, ...state, content: this.children(element) }
  }

  private text(text: Y.XmlText): DiffText[] {
    const runs: DiffText[] = []
    // Formatting as it was at each end: deleted text shows the marks it had.
    const formatsBefore = new Map<string, unknown>()
    const formatsAfter = new Map<string, unknown>()
    for (let item = text._start; item !== null; item = item.right) {
      if (item.content instanceof Y.ContentFormat) {
        const { key, value } = item.content
        if (visibleIn(item, this.from)) setFormat(formatsBefore, key, value)
        if (visibleIn(item, this.to)) setFormat(formatsAfter, key, value)
        continue
      }
      if (!(item.content instanceof Y.ContentString)) continue
      const state = this.changeOf(item)
      if (!state) continue
      const marks = marksOf(state.change === 'deleted' ? formatsBefore : formatsAfter)
      const last = runs.at(-1)
      if (last && last.change === state.change && last.author?.id === state.author?.id && sameMarks(last.marks, marks)) {
        last.text += item.content.str
      } else {
        runs.push({ type: 'text', text: item.content.str, marks, ...state })
      }
    }
    return realignReplacements(runs)
  }
}

function setFormat(formats: Map<string, unknown>, key: string, value: unknown): void {
  if (value === null) formats.delete(key)
  else formats.set(key, value)
}

function marksOf(formats: Map<string, unknown>): DiffMark[] {
  const marks: DiffMark[] = []
  for (const [key, value] of formats) {
    const type = (HASHED_MARK.exec(key)?.[1] ?? key) as DiffMark['type']
    if (!MARK_TYPES.has(type)) continue
    if (type === 'link') {
      const attrs = (value ?? {}) as { href?: unknown; title?: unknown }
      if (typeof attrs.href !== 'string') continue
      marks.push({ type, attrs: { href: attrs.href, title: typeof attrs.title === 'string' ? attrs.title : null } })
    } else {
      marks.push({ type })
    }
  }
  return marks.sort((a, b) => a.type.localeCompare(b.type))
}

/**
 * The inserted and deleted stretches of text in document order: runs of one
 * change by one author within a block, whatever their marks.
 */
function summarise(blocks: DiffNode[]): ChangeSummary[] {
  const changes: ChangeSummary[] = []
  const visit = (nodes: DiffNode[]) => {
    let open: ChangeSummary | null = null
    for (const node of nodes) {
      if (node.type !== 'text' && node.type !== 'hard_break') {
        open = null
        visit(node.content)
        continue
      }
      const text = node.type === 'text' ? node.text : '\n'
      if (node.change === null || node.author === null) {
        open = null
      } else if (open && open.change === node.change && open.author.id === node.author.id) {
        open.text += text
      } else {
        open = { change: node.change, text, author: node.author }
        changes.push(open)
      }
    }
  }
  visit(blocks)
  return changes
}
