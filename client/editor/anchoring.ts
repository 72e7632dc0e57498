import type { Node as PMNode } from 'prosemirror-model'
import type { EditorState } from 'prosemirror-state'
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from 'y-prosemirror'
import * as Y from 'yjs'
import { ANCHOR_CONTEXT_CHARS, decodePosition, encodePosition, type Anchor } from '../../shared/anchors.js'

/** A range of the editor's document, in ProseMirror positions. */
export interface TextRange {
  from: number
  to: number
}

/**
 * Where a thread's anchor lies in the text now. `detached`: its text was
 * deleted, so it has no place any more (it is never moved to look-alike
 * text). `pending`: it refers to text this client has not received yet
 * (the section is still loading, or the edit is on its way).
 */
export type AnchorPlace = ({ kind: 'attached' } & TextRange) | { kind: 'detached' } | { kind: 'pending' }

/** The y-prosemirror binding of an editor: the Y.Doc, its fragment, and Y type → ProseMirror node. */
interface Binding {
  doc: Y.Doc
  type: Y.XmlFragment
  mapping: Map<Y.AbstractType<unknown>, PMNode | PMNode[]>
}

function bindingOf(state: EditorState): Binding {
  const binding = (ySyncPluginKey.getState(state) as { binding?: Binding } | undefined)?.binding
  if (!binding) throw new Error('Comment anchors need the y-prosemirror sync plugin in the editor state')
  return binding
}

/**
 * The part of `range` that is text: trimmed to the first and last textblock
 * content it touches, so a triple-click that ends at the start of the next
 * paragraph anchors only what was meant. Null if no text is selected.
 */
export function textOnly(doc: PMNode, range: TextRange): TextRange | null {
  let from = -1
  let to = -1
  doc.nodesBetween(range.from, range.to, (node, pos) => {
    if (!node.isTextblock) return true
    const start = Math.max(range.from, pos + 1)
    const end = Math.min(range.to, pos + 1 + node.content.size)
    if (start < end) {
      if (from < 0) from = start
      to = end
    }
    return false
  })
  return from < 0 ? null : { from, to }
}

/** Why the selection cannot be commented on, or null if it can. */
export type AnchorProblem = 'empty' | 'not_text'

/**
 * The anchor for `range` of `state`'s document: the Yjs relative position of
 * its first character (assoc 0) and of the end of its last one (assoc -1),
 * so typing just outside either edge does not grow it, with the quoted text
 * and some context around it. `range` must already be text (`textOnly`).
 */
export function anchorFor(state: EditorState, range: TextRange): Anchor | AnchorProblem {
  if (range.from >= range.to) return 'empty'
  const binding = bindingOf(state)
  const start = absolutePositionToRelativePosition(range.from, binding.type, binding.mapping) as Y.RelativePosition
  const endAt = Y.createAbsolutePositionFromRelativePosition(
    absolutePositionToRelativePosition(range.to, binding.type, binding.mapping) as Y.RelativePosition,
    binding.doc,
  )
  const startAt = Y.createAbsolutePositionFromRelativePosition(start, binding.doc)
  if (!startAt || !endAt || !(startAt.type instanceof Y.XmlText) || !(endAt.type instanceof Y.XmlText)) return 'not_text'
  const end = Y.createRelativePositionFromTypeIndex(endAt.type, endAt.index, -1)
  // The server refuses a thread without quoted text: better said now than after writing the comment.
  const quote = state.doc.textBetween(range.from, range.to, '\n', '\n')
  if (quote === '') return 'empty'
  const $from = state.doc.resolve(range.from)
  const $to = state.doc.resolve(range.to)
  return {
    start: encodePosition(start),
    end: encodePosition(end),
    quote,
    prefix: $from.parent.textBetween(Math.max(0, $from.parentOffset - ANCHOR_CONTEXT_CHARS), $from.parentOffset, '\n', '\n'),
    suffix: $to.parent.textBetween($to.parentOffset, Math.min($to.parent.content.size, $to.parentOffset + ANCHOR_CONTEXT_CHARS), '\n', '\n'),
  }
}

type Point = number | 'detached' | 'pending'

// The same rules as the server's `resolveAnchor` (shared/anchors.ts): a
// position must land in a live text node, else the thread is detached.
function pointOf(state: EditorState, binding: Binding, encoded: string): Point {
  let relative: Y.RelativePosition
  try {
    relative = decodePosition(encoded)
  } catch {
    return 'detached'
  }
  const id = relative.item ?? relative.type
  if (id && Y.getState(binding.doc.store, id.client) <= id.clock) return 'pending'
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, binding.doc)
  if (!absolute || !(absolute.type instanceof Y.XmlText) || absolute.type._item?.deleted) return 'detached'
  let position: number | null
  try {
    position = relativePositionToAbsolutePosition(binding.doc, binding.type, relative, binding.mapping)
  } catch {
    // The binding has not rendered this part of the document yet.
    return 'pending'
  }
  if (position === null || position < 0 || position > state.doc.content.size) return 'pending'
  return position
}

/**
 * Where `anchor` lies in `state`'s document. Call it only when the Y.Doc and
 * the editor agree: after y-prosemirror applied a remote change, or outside
 * a transaction (a local edit reaches the Y.Doc in the sync plugin's view update).
 */
export function placeOf(state: EditorState, anchor: Pick<Anchor, 'start' | 'end'>): AnchorPlace {
  const binding = bindingOf(state)
  const from = pointOf(state, binding, anchor.start)
  const to = pointOf(state, binding, anchor.end)
  if (from === 'pending' || to === 'pending') return { kind: 'pending' }
  if (from === 'detached' || to === 'detached' || from >= to) return { kind: 'detached' }
  return { kind: 'attached', from, to }
}
