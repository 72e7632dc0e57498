import * as Y from 'yjs'
import { anchorInText, resolveAnchor, type Anchor } from '../../shared/anchors.js'
import { ApiError } from '../http/errors.js'

/**
 * Replaces the text an anchor covers with `replacement`, keeping the
 * formatting of its first character, and returns the anchor of the new text.
 * Only a range within one paragraph can be replaced this way.
 */
export function replaceAnchoredText(doc: Y.Doc, anchor: Anchor, replacement: string): Anchor {
  const range = resolveAnchor(doc, anchor)
  if (!range) throw new ApiError(409, 'detached', 'The commented text was deleted, so the suggestion cannot be applied')
  if (range.from.text !== range.to.text) {
    throw new ApiError(409, 'spans_paragraphs', 'A suggestion can only replace text within one paragraph')
  }
  const text = range.from.text
  const { offset: from } = range.from
  const length = range.to.offset - from
  const attributes = formattingAt(text, from)
  text.delete(from, length)
  text.insert(from, replacement, attributes)
  return replacement.length > 0 ? anchorInText(text, from, from + replacement.length) : anchor
}

/** Whether an anchor's range lies within one paragraph (null if detached). */
export function withinOneParagraph(doc: Y.Doc, anchor: Anchor): boolean | null {
  const range = resolveAnchor(doc, anchor)
  return range ? range.from.text === range.to.text : null
}

function formattingAt(text: Y.XmlText, offset: number): Record<string, unknown> {
  let position = 0
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    if (offset < position + length) return op.attributes ?? {}
    position += length
  }
  return {}
}

