import { chainCommands, exitCode, setBlockType, wrapIn } from 'prosemirror-commands'
import type { Mark, MarkType, NodeType, ResolvedPos } from 'prosemirror-model'
import { liftListItem, wrapInList } from 'prosemirror-schema-list'
import type { Command, EditorState } from 'prosemirror-state'
import { liftTarget } from 'prosemirror-transform'
import { schema } from '../../shared/schema.js'
import type { MessageKey } from '../i18n/english.js'

const { nodes, marks } = schema

/** The paragraph styles the toolbar offers. */
export type BlockStyle = 'paragraph' | 'heading2' | 'heading3' | 'heading4'

/** Every block style, in menu order, with its label's message and shortcut. */
export const BLOCK_STYLES: readonly { style: BlockStyle; label: MessageKey; key: string }[] = [
  { style: 'paragraph', label: 'editor.style.paragraph', key: 'Mod-Alt-0' },
  { style: 'heading2', label: 'editor.style.heading2', key: 'Mod-Alt-2' },
  { style: 'heading3', label: 'editor.style.heading3', key: 'Mod-Alt-3' },
  { style: 'heading4', label: 'editor.style.heading4', key: 'Mod-Alt-4' },
]

/** Turns the selected text blocks into `style`. */
export function setBlockStyle(style: BlockStyle): Command {
  if (style === 'paragraph') return setBlockType(nodes.paragraph)
  return setBlockType(nodes.heading, { level: Number(style.slice('heading'.length)) })
}

/** The style of the block holding the selection's start, or null for other blocks. */
export function blockStyleAt(state: EditorState): BlockStyle | null {
  const parent = state.selection.$from.parent
  if (parent.type === nodes.paragraph) return 'paragraph'
  if (parent.type === nodes.heading) return `heading${parent.attrs.level as 2 | 3 | 4}`
  return null
}

/** Whether `type` applies to the selection: all of a range, or at the cursor. */
export function isMarkActive(state: EditorState, type: MarkType): boolean {
  const { from, to, empty, $from } = state.selection
  if (empty) return type.isInSet(state.storedMarks ?? $from.marks()) !== undefined
  return state.doc.rangeHasMark(from, to, type)
}

/** A link in the document: its range and target. */
export interface LinkExtent {
  from: number
  to: number
  href: string
}

/**
 * The whole link around the cursor or the selection's start, or null. Links
 * are not inclusive, so a cursor right after one still counts as in it: that
 * is where people put the cursor to edit it.
 */
export function linkAt(state: EditorState): LinkExtent | null {
  const { $from } = state.selection
  const mark = marks.link.isInSet($from.nodeAfter?.marks ?? []) ?? marks.link.isInSet($from.nodeBefore?.marks ?? [])
  if (!mark) return null
  return extentOf($from, mark)
}

// The run of the parent's children that carry exactly `mark` and touch `$pos`.
function extentOf($pos: ResolvedPos, mark: Mark): LinkExtent | null {
  const parent = $pos.parent
  const start = $pos.start()
  let runStart = -1
  let offset = 0
  for (let index = 0; index < parent.childCount; index++) {
    const child = parent.child(index)
    const childStart = start + offset
    const childEnd = childStart + child.nodeSize
    offset += child.nodeSize
    if (mark.isInSet(child.marks)) {
      if (runStart < 0) runStart = childStart
      const nextHasMark = index + 1 < parent.childCount && mark.isInSet(parent.child(index + 1).marks)
      if (!nextHasMark && runStart <= $pos.pos && $pos.pos <= childEnd) {
        return { from: runStart, to: childEnd, href: mark.attrs.href as string }
      }
    } else {
      runStart = -1
    }
  }
  return null
}

/** Whether the selection is in a link or covers one. */
export function isLinkActive(state: EditorState): boolean {
  const { from, to, empty } = state.selection
  return empty ? linkAt(state) !== null : state.doc.rangeHasMark(from, to, marks.link)
}

/**
 * Links the selection to `href` (already checked with `safeHref`). With an
 * empty selection it retargets the link around the cursor, or inserts `text`
 * as a new link.
 */
export function applyLink(href: string, text: string): Command {
  return (state, dispatch) => {
    const mark = marks.link.create({ href })
    const { from, to, empty } = state.selection
    if (!dispatch) return true
    const tr = state.tr
    if (!empty) {
      tr.removeMark(from, to, marks.link).addMark(from, to, mark)
    } else {
      const existing = linkAt(state)
      if (existing) {
        tr.removeMark(existing.from, existing.to, marks.link).addMark(existing.from, existing.to, mark)
      } else {
        tr.insertText(text, from)
        tr.addMark(from, from + text.length, mark)
        // Typing after a new link should not extend it.
        tr.removeStoredMark(marks.link)
      }
    }
    dispatch(tr.scrollIntoView())
    return true
  }
}

/** Removes the link from the selection, or the whole link around the cursor. */
export const removeLink: Command = (state, dispatch) => {
  const { from, to, empty } = state.selection
  const range = empty ? linkAt(state) : { from, to }
  if (!range || !state.doc.rangeHasMark(range.from, range.to, marks.link)) return false
  dispatch?.(state.tr.removeMark(range.from, range.to, marks.link).scrollIntoView())
  return true
}

/** The closest list around the selection's start: its node, position and depth. */
function listAround($from: ResolvedPos): { type: NodeType; pos: number } | null {
  for (let depth = $from.depth; depth > 0; depth--) {
    const type = $from.node(depth).type
    if (type === nodes.bullet_list || type === nodes.ordered_list) return { type, pos: $from.before(depth) }
  }
  return null
}

/** Whether the selection is in a list of `type` (the innermost list counts). */
export function isInList(state: EditorState, type: NodeType): boolean {
  return listAround(state.selection.$from)?.type === type
}

/**
 * The list button: lifts the selection out of a list of `type`, turns a list
 * of the other kind into `type` (as word processors do), or wraps the
 * selection in a new list.
 */
export function toggleList(type: NodeType): Command {
  return (state, dispatch) => {
    const list = listAround(state.selection.$from)
    if (list?.type === type) return liftListItem(nodes.list_item)(state, dispatch)
    if (list) {
      dispatch?.(state.tr.setNodeMarkup(list.pos, type).scrollIntoView())
      return true
    }
    return wrapInList(type)(state, dispatch)
  }
}

/** Whether the selection is inside a block quote. */
export function isInBlockquote(state: EditorState): boolean {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) if ($from.node(depth).type === nodes.blockquote) return true
  return false
}

/** The quote button: lifts the selection out of its quote, or wraps it in one. */
export const toggleBlockquote: Command = (state, dispatch) => {
  if (!isInBlockquote(state)) return wrapIn(nodes.blockquote)(state, dispatch)
  const { $from, $to } = state.selection
  const range = $from.blockRange($to, (node) => node.type === nodes.blockquote)
  const target = range && liftTarget(range)
  if (!range || target === null || target === undefined) return false
  dispatch?.(state.tr.lift(range, target).scrollIntoView())
  return true
}

/** Inserts a line break inside the paragraph (Shift-Enter). */
export const insertHardBreak: Command = chainCommands(exitCode, (state, dispatch) => {
  dispatch?.(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView())
  return true
})
