import type { DecorationAttrs } from 'prosemirror-view'
import { h } from '../dom.js'

/** The `user` field of an awareness state, as the relay sets it for everyone. */
interface CursorUser {
  name?: unknown
  organisation?: unknown
  color?: unknown
}

const FALLBACK_COLOR = '#5b6470'

// Colours come from the server, but they end up in styles: accept only #rrggbb.
function safeColor(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : FALLBACK_COLOR
}

function labelOf(user: CursorUser): string {
  const name = typeof user.name === 'string' && user.name.trim() !== '' ? user.name : 'Someone'
  const organisation = typeof user.organisation === 'string' ? user.organisation.trim() : ''
  return organisation ? `${name} · ${organisation}` : name
}

/**
 * A collaborator's caret: a thin line in their colour with a label above it
 * naming them and their organisation, because in a Movement-wide draft
 * "who" means "which National Society" as much as "which person".
 */
export function cursorBuilder(user: CursorUser): HTMLElement {
  const color = safeColor(user.color)
  const label = h('span', { class: 'collab-cursor__label' }, labelOf(user))
  label.style.backgroundColor = color
  const caret = h('span', { class: 'ProseMirror-yjs-cursor', 'aria-hidden': 'true' })
  caret.style.borderColor = color
  // Word joiners keep the widget from creating a line-break opportunity.
  caret.append('\u2060', label, '\u2060')
  return caret
}

/** A collaborator's selection: their colour, light enough to read through. */
export function selectionBuilder(user: CursorUser): DecorationAttrs {
  return { class: 'ProseMirror-yjs-selection', style: `background-color: ${safeColor(user.color)}33` }
}
