import * as Y from 'yjs'
import { fromBase64, toBase64 } from 'lib0/buffer'

/**
 * Where a comment thread sits in a section: two Yjs relative positions, so
 * the range follows concurrent edits, plus the quoted text and a little
 * context, so a thread whose text was deleted still says what it was about.
 * The start is associated with the first character of the range (assoc 0)
 * and the end with the last (assoc -1): typing just outside either edge
 * does not grow the range.
 */
export interface Anchor {
  /** Base64 of `Y.encodeRelativePosition` of the start (assoc 0). */
  start: string
  /** Base64 of `Y.encodeRelativePosition` of the end (assoc -1). */
  end: string
  quote: string
  prefix: string
  suffix: string
}

/** How many characters of context an anchor keeps on each side. */
export const ANCHOR_CONTEXT_CHARS = 40

export function encodePosition(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position))
}

export function decodePosition(encoded: string): Y.RelativePosition {
  return Y.decodeRelativePosition(fromBase64(encoded))
}

/** A point in the section's text: a Y.XmlText and an offset in it. */
export interface TextPoint {
  text: Y.XmlText
  offset: number
}

/** The text nodes of a section in document order. */
export function textNodesOf(fragment: Y.XmlFragment): Y.XmlText[] {
  const nodes: Y.XmlText[] = []
  const visit = (node: Y.XmlFragment | Y.XmlElement | Y.XmlText | Y.XmlHook): void => {
    if (node instanceof Y.XmlText) nodes.push(node)
    else if (node instanceof Y.XmlElement || node instanceof Y.XmlFragment) for (const child of node.toArray()) visit(child)
  }
  visit(fragment)
  return nodes
}

/** The plain text of a text node (embeds such as hard breaks count as a newline). */
export function plainTextOf(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '\n')).join('')
}

function resolve(doc: Y.Doc, encoded: string): TextPoint | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(decodePosition(encoded), doc)
  if (!absolute || !(absolute.type instanceof Y.XmlText)) return null
  // A position inside a deleted paragraph resolves into a type that is gone.
  if (absolute.type._item?.deleted) return null
  return { text: absolute.type, offset: absolute.index }
}

/** The range an anchor covers now, or null if its text was deleted (the thread is detached). */
export function resolveAnchor(doc: Y.Doc, anchor: Pick<Anchor, 'start' | 'end'>): { from: TextPoint; to: TextPoint } | null {
  const from = resolve(doc, anchor.start)
  const to = resolve(doc, anchor.end)
  if (!from || !to) return null
  const nodes = textNodesOf(doc.getXmlFragment('prosemirror'))
  const fromIndex = nodes.indexOf(from.text)
  const toIndex = nodes.indexOf(to.text)
  if (fromIndex < 0 || toIndex < 0) return null
  if (fromIndex > toIndex || (fromIndex === toIndex && from.offset >= to.offset)) return null
  return { from, to }
}

/** The text an anchor covers now (blocks joined by newlines), or null if detached. */
export function anchoredText(doc: Y.Doc, anchor: Pick<Anchor, 'start' | 'end'>): string | null {
  const range = resolveAnchor(doc, anchor)
  if (!range) return null
  const nodes = textNodesOf(doc.getXmlFragment('prosemirror'))
  const parts: string[] = []
  for (let i = nodes.indexOf(range.from.text); i <= nodes.indexOf(range.to.text); i++) {
    const node = nodes[i]!
    const text = plainTextOf(node)
    const start = node === range.from.text ? range.from.offset : 0
    const end = node === range.to.text ? range.to.offset : text.length
    parts.push(text.slice(start, end))
  }
  return parts.join('\n')
}

/** Makes an anchor for `[fromOffset, toOffset)` of one text node, with its quote and context. */
export function anchorInText(text: Y.XmlText, fromOffset: number, toOffset: number): Anchor {
  const plain = plainTextOf(text)
  return {
    start: encodePosition(Y.createRelativePositionFromTypeIndex(text, fromOffset, 0)),
    end: encodePosition(Y.createRelativePositionFromTypeIndex(text, toOffset, -1)),
    quote: plain.slice(fromOffset, toOffset),
    prefix: plain.slice(Math.max(0, fromOffset - ANCHOR_CONTEXT_CHARS), fromOffset),
    suffix: plain.slice(toOffset, toOffset + ANCHOR_CONTEXT_CHARS),
  }
}
