import * as prng from 'lib0/prng'
import type { PRNG } from 'lib0/prng'
import type { Node as PMNode, NodeType } from 'prosemirror-model'
import { NodeSelection, TextSelection, type Command, type EditorState, type Transaction } from 'prosemirror-state'
import {
  deleteSelection,
  joinBackward,
  joinForward,
  lift,
  setBlockType,
  splitBlock,
  toggleMark,
  wrapIn,
} from 'prosemirror-commands'
import { liftListItem, sinkListItem, splitListItem, wrapInList } from 'prosemirror-schema-list'
import { HEADING_LEVELS, schema } from '../../shared/schema.js'

/** One random edit: the transaction to dispatch and what it does, for the failure log. */
export interface RandomEdit {
  description: string
  tr: Transaction
}

type EditMaker = (state: EditorState, gen: PRNG) => RandomEdit | null

// Accented and right-to-left words too, as delegates write in many languages.
// Astral characters are left out: a caret never lands inside a surrogate pair.
const WORDS = ['migrants', 'route', 'Movement', 'protection', ' ', 'é', 'ç', 'société', 'هجرة', 'الهلال', 'Ü', '—', '.', ',']
const LIST_TYPES = [schema.nodes.bullet_list, schema.nodes.ordered_list]

/**
 * Builds a random edit of `state` that a user could make in the editor, by
 * running the same ProseMirror commands the editor's keys and toolbar run:
 * typing, deleting, marks and links, splitting and joining blocks, lists,
 * headings, quotes and pasting. Returns null if the document has nowhere to
 * type, or the chosen commands did not apply after a few tries.
 * The choice depends only on `state.doc` and `gen`.
 */
export function randomEdit(state: EditorState, gen: PRNG): RandomEdit | null {
  if (textblocks(state.doc).length === 0) return null
  for (let attempt = 0; attempt < 12; attempt++) {
    const edit = weighted(gen, EDITS)(state, gen)
    if (edit && edit.tr.docChanged) return withoutNodeMarks(edit)
  }
  return withoutNodeMarks(insertText(state, gen)!)
}

/**
 * Takes marks off line breaks, which `toggleMark` and `replaceSelectionWith`
 * put there: y-prosemirror stores marks of text only, so a marked line break
 * would differ between its author's editor and Yjs
 * (https://github.com/yjs/y-prosemirror/pull/63). The editor has to do the same.
 */
function withoutNodeMarks(edit: RandomEdit): RandomEdit {
  const marked: { pos: number; node: PMNode }[] = []
  edit.tr.doc.descendants((node, pos) => {
    if (node.isInline && !node.isText && node.marks.length > 0) marked.push({ pos, node })
  })
  for (const { pos, node } of marked) for (const mark of node.marks) edit.tr.removeNodeMark(pos, mark)
  return edit
}

const insertText: EditMaker = (state, gen) => {
  const text = randomText(gen)
  if (prng.int32(gen, 0, 4) === 0) {
    const [from, to] = randomRange(state.doc, gen)
    const tr = state.tr.setSelection(TextSelection.create(state.doc, from, to)).insertText(text)
    return { description: `type ${JSON.stringify(text)} over ${from}-${to}`, tr }
  }
  const pos = randomTextPosition(state.doc, gen)
  const tr = state.tr.setSelection(TextSelection.create(state.doc, pos)).insertText(text)
  return { description: `type ${JSON.stringify(text)} at ${pos}`, tr }
}

const deleteRange: EditMaker = (state, gen) => {
  const [from, to] = randomRange(state.doc, gen)
  return command(state, TextSelection.create(state.doc, from, to), deleteSelection, `delete ${from}-${to}`)
}

const deleteBlock: EditMaker = (state, gen) => {
  const blocks: number[] = []
  state.doc.descendants((node, pos) => {
    if (node.isBlock) blocks.push(pos)
    return !node.isTextblock
  })
  const pos = prng.oneOf(gen, blocks)
  const selection = NodeSelection.create(state.doc, pos)
  return command(state, selection, deleteSelection, `delete the ${selection.node.type.name} at ${pos}`)
}

const toggleRandomMark: EditMaker = (state, gen) => {
  const [from, to] = randomRange(state.doc, gen)
  const markName = prng.oneOf(gen, ['strong', 'em', 'underline', 'link'] as const)
  const attrs = markName === 'link' ? { href: `https://example.org/${prng.word(gen, 1, 8)}` } : null
  const description = `toggle ${markName}${attrs ? ` ${attrs.href}` : ''} on ${from}-${to}`
  return command(state, TextSelection.create(state.doc, from, to), toggleMark(schema.marks[markName], attrs), description)
}

const split: EditMaker = (state, gen) => {
  const pos = randomTextPosition(state.doc, gen)
  const selection = TextSelection.create(state.doc, pos)
  const inListItem = selection.$from.node(-1)?.type === schema.nodes.list_item
  return inListItem && prng.bool(gen)
    ? command(state, selection, splitListItem(schema.nodes.list_item), `split the list item at ${pos}`)
    : command(state, selection, splitBlock, `split the block at ${pos}`)
}

const join: EditMaker = (state, gen) => {
  const block = prng.oneOf(gen, textblocks(state.doc))
  return prng.bool(gen)
    ? command(state, TextSelection.create(state.doc, block.pos + 1), joinBackward, `join backward at ${block.pos + 1}`)
    : command(state, TextSelection.create(state.doc, block.end), joinForward, `join forward at ${block.end}`)
}

const wrapList: EditMaker = (state, gen) => {
  const [from, to] = randomRange(state.doc, gen)
  const listType = prng.oneOf(gen, LIST_TYPES)
  return command(state, TextSelection.create(state.doc, from, to), wrapInList(listType), `wrap ${from}-${to} in a ${listType.name}`)
}

const liftItem: EditMaker = (state, gen) => {
  const pos = randomTextPosition(state.doc, gen, inListItem)
  return command(state, TextSelection.create(state.doc, pos), liftListItem(schema.nodes.list_item), `lift the list item at ${pos}`)
}

const sinkItem: EditMaker = (state, gen) => {
  const pos = randomTextPosition(state.doc, gen, inListItem)
  return command(state, TextSelection.create(state.doc, pos), sinkListItem(schema.nodes.list_item), `sink the list item at ${pos}`)
}

const blockType: EditMaker = (state, gen) => {
  const [from, to] = randomRange(state.doc, gen)
  const level = prng.oneOf(gen, [0, ...HEADING_LEVELS])
  const type: NodeType = level === 0 ? schema.nodes.paragraph : schema.nodes.heading
  const attrs = level === 0 ? null : { level }
  const description = `make ${from}-${to} a ${level === 0 ? 'paragraph' : `heading ${level}`}`
  return command(state, TextSelection.create(state.doc, from, to), setBlockType(type, attrs), description)
}

const quote: EditMaker = (state, gen) => {
  const [from, to] = randomRange(state.doc, gen)
  const selection = TextSelection.create(state.doc, from, to)
  return prng.bool(gen)
    ? command(state, selection, wrapIn(schema.nodes.blockquote), `quote ${from}-${to}`)
    : command(state, selection, lift, `lift ${from}-${to}`)
}

const hardBreak: EditMaker = (state, gen) => {
  const pos = randomTextPosition(state.doc, gen)
  const tr = state.tr.setSelection(TextSelection.create(state.doc, pos))
  tr.replaceSelectionWith(schema.nodes.hard_break.create())
  return { description: `insert a line break at ${pos}`, tr }
}

const paste: EditMaker = (state, gen) => {
  const [sliceFrom, sliceTo] = randomRange(state.doc, gen)
  const slice = state.doc.slice(sliceFrom, sliceTo)
  const [from, to] = randomRange(state.doc, gen)
  const tr = state.tr.setSelection(TextSelection.create(state.doc, from, to)).replaceSelection(slice)
  return { description: `paste ${sliceFrom}-${sliceTo} over ${from}-${to}`, tr }
}

const renumber: EditMaker = (state, gen) => {
  const lists: number[] = []
  state.doc.descendants((node, pos) => {
    if (node.type === schema.nodes.ordered_list) lists.push(pos)
    return !node.isTextblock
  })
  if (lists.length === 0) return null
  const pos = prng.oneOf(gen, lists)
  const order = prng.int32(gen, 1, 9)
  return { description: `number the list at ${pos} from ${order}`, tr: state.tr.setNodeAttribute(pos, 'order', order) }
}

const EDITS: [number, EditMaker][] = [
  [8, insertText],
  [3, deleteRange],
  [1, deleteBlock],
  [3, toggleRandomMark],
  [3, split],
  [3, join],
  [2, wrapList],
  [2, liftItem],
  [1, sinkItem],
  [2, blockType],
  [1, quote],
  [1, hardBreak],
  [1, paste],
  [1, renumber],
]

/** Runs `cmd` with `selection` set, as pressing a key with that selection would. */
function command(state: EditorState, selection: TextSelection | NodeSelection, cmd: Command, description: string): RandomEdit | null {
  const selected = state.apply(state.tr.setSelection(selection))
  let result: Transaction | null = null
  cmd(selected, (tr) => {
    result = tr
  })
  return result ? { description, tr: result } : null
}

interface Textblock {
  node: PMNode
  /** Position before the block. */
  pos: number
  /** Position at the end of its content. */
  end: number
}

function textblocks(doc: PMNode, filter: (doc: PMNode, pos: number) => boolean = () => true): Textblock[] {
  const found: Textblock[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      if (filter(doc, pos + 1)) found.push({ node, pos, end: pos + 1 + node.content.size })
      return false
    }
    return true
  })
  return found
}

function inListItem(doc: PMNode, pos: number): boolean {
  const $pos = doc.resolve(pos)
  for (let depth = $pos.depth; depth > 0; depth--) if ($pos.node(depth).type === schema.nodes.list_item) return true
  return false
}

/** A position inside a random textblock (one passing `filter` if any does). */
function randomTextPosition(doc: PMNode, gen: PRNG, filter?: (doc: PMNode, pos: number) => boolean): number {
  const candidates = filter ? textblocks(doc, filter) : []
  const block = prng.oneOf(gen, candidates.length > 0 ? candidates : textblocks(doc))
  return block.pos + 1 + prng.int32(gen, 0, block.node.content.size)
}

/** An ordered pair of text positions: mostly a few characters in one block, sometimes across blocks. */
function randomRange(doc: PMNode, gen: PRNG): [number, number] {
  const from = randomTextPosition(doc, gen)
  if (prng.int32(gen, 0, 3) > 0) {
    const end = doc.resolve(from).end()
    return [from, Math.min(end, from + prng.int32(gen, 0, 12))]
  }
  const other = randomTextPosition(doc, gen)
  return from <= other ? [from, other] : [other, from]
}

function randomText(gen: PRNG): string {
  let text = ''
  const words = prng.int32(gen, 1, 3)
  for (let i = 0; i < words; i++) text += prng.oneOf(gen, WORDS) + (prng.bool(gen) ? ' ' : '')
  return text
}

function weighted<T>(gen: PRNG, choices: [number, T][]): T {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0)
  let roll = prng.real53(gen) * total
  for (const [weight, choice] of choices) {
    roll -= weight
    if (roll < 0) return choice
  }
  return choices[choices.length - 1]![1]
}
