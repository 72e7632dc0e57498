import { Plugin } from 'prosemirror-state'
import type { DecorationAttrs, EditorView } from 'prosemirror-view'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'

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

function luminance(hex: string): number {
  const channel = (at: number): number => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** White or near-black, whichever contrasts more with `background` (WCAG contrast ratio). */
function textColorOn(background: string): string {
  const light = luminance(background)
  const onWhite = 1.05 / (light + 0.05)
  const onDark = (light + 0.05) / (luminance('#16191d') + 0.05)
  return onWhite >= onDark ? '#ffffff' : '#16191d'
}

// "Lena Karlsson · Swedish Red Cross", in a <bdi>: it reads in the direction
// of the name, whatever the direction of the paragraph the caret is in (the
// label itself follows the paragraph, so that it extends the way it reads).
function labelOf(user: CursorUser): HTMLElement {
  const name = typeof user.name === 'string' && user.name.trim() !== '' ? user.name : t('editor.cursor.someone')
  const organisation = typeof user.organisation === 'string' ? user.organisation.trim() : ''
  return h('bdi', {}, organisation ? `${name} · ${organisation}` : name)
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
  label.style.color = textColorOn(color)
  const caret = h('span', { class: 'ProseMirror-yjs-cursor', 'aria-hidden': 'true' })
  // The stylesheet draws the caret line in this colour, lightened on dark paper.
  caret.style.setProperty('--user-color', color)
  // Word joiners keep the widget from creating a line-break opportunity.
  caret.append('\u2060', label, '\u2060')
  return caret
}

/** A collaborator's selection: their colour, light enough to read through. */
export function selectionBuilder(user: CursorUser): DecorationAttrs {
  return { class: 'ProseMirror-yjs-selection', style: `background-color: ${safeColor(user.color)}33` }
}

const LABEL = 'collab-cursor__label'
const FLIPPED = 'collab-cursor__label--flipped'

/**
 * Keeps collaborators' name labels on the paper: a label that would run
 * past the text's edge (a caret at the end of a full line) extends the
 * other way from its caret. Checked after every change of the view and when
 * the editor is resized, once per frame.
 */
export function cursorLabelFit(): Plugin {
  return new Plugin({
    view(view) {
      let frame = 0
      const schedule = (): void => {
        if (frame === 0) frame = requestAnimationFrame(() => ((frame = 0), fitLabels(view)))
      }
      const resizes = new ResizeObserver(schedule)
      resizes.observe(view.dom)
      schedule()
      return {
        update: schedule,
        destroy: () => {
          resizes.disconnect()
          cancelAnimationFrame(frame)
        },
      }
    },
  })
}

function fitLabels(view: EditorView): void {
  const labels = [...view.dom.querySelectorAll<HTMLElement>(`.${LABEL}`)]
  if (labels.length === 0) return
  const paper = view.dom.getBoundingClientRect()
  // All reads first, then the writes: one layout, however many labels.
  const fits = labels.map((label) => {
    // Unflipped, a label starts at its caret and runs the way it reads.
    const caret = label.parentElement!.getBoundingClientRect()
    const width = label.getBoundingClientRect().width
    const rtl = getComputedStyle(label).direction === 'rtl'
    return { label, flipped: rtl ? caret.right - width < paper.left : caret.left + width > paper.right }
  })
  // Unchanged, toggle leaves the class attribute alone.
  for (const { label, flipped } of fits) label.classList.toggle(FLIPPED, flipped)
}
