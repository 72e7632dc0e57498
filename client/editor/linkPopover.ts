import type { EditorView } from 'prosemirror-view'
import { safeHref } from '../../shared/links.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { applyLink, isLinkActive, linkAt, removeLink } from './commands.js'

let nextId = 0

/**
 * What the user typed as a link target, completed the way browsers complete
 * an address bar: `ifrc.org` means https, `name@example.org` means mailto.
 * The result still has to pass `safeHref`, so `javascript:` never gets in.
 */
export function completeHref(input: string): string | null {
  const trimmed = input.trim()
  if (trimmed === '') return null
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return safeHref(trimmed)
  if (/^[^\s/@]+@[^\s/@]+\.[^\s/@]+$/.test(trimmed)) return safeHref(`mailto:${trimmed}`)
  return safeHref(`https://${trimmed.replace(/^\/+/, '')}`)
}

/**
 * A small form next to the selection for adding, changing or removing a
 * link: no `prompt()`, and the address is checked before it reaches the
 * document, with the reason shown when it is refused.
 */
export class LinkPopover {
  readonly element: HTMLFormElement
  private readonly input: HTMLInputElement
  private readonly error: HTMLParagraphElement
  private readonly removeButton: HTMLButtonElement
  private view: EditorView | null = null

  constructor(private readonly container: HTMLElement) {
    const id = `link-popover-${++nextId}`
    this.input = h('input', {
      id: `${id}-input`,
      class: 'text-input',
      type: 'text',
      inputmode: 'url',
      // Addresses read left to right, in an Arabic interface too.
      dir: 'ltr',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: t('editor.link.placeholder'),
      'aria-describedby': `${id}-error`,
    })
    this.error = h('p', { id: `${id}-error`, class: 'link-popover__error', role: 'alert' })
    this.removeButton = h('button', { type: 'button', class: 'button button--quiet' }, t('editor.link.remove'))
    this.element = h(
      'form',
      { class: 'link-popover', hidden: true, 'aria-label': t('editor.link.form'), novalidate: true },
      h('label', { class: 'link-popover__label', for: `${id}-input` }, t('editor.link.address')),
      h(
        'div',
        { class: 'link-popover__row' },
        this.input,
        h('button', { type: 'submit', class: 'button button--primary' }, t('editor.link.apply')),
      ),
      this.error,
      h('div', { class: 'link-popover__actions' }, this.removeButton),
    )
    this.element.addEventListener('submit', (event) => {
      event.preventDefault()
      this.apply()
    })
    this.removeButton.addEventListener('click', () => {
      if (this.view) removeLink(this.view.state, this.view.dispatch)
      this.close()
    })
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault()
        this.close()
      }
    })
    // Clicking back into the text (or anywhere else) dismisses the form.
    this.element.addEventListener('focusout', (event) => {
      const next = event.relatedTarget
      if (!(next instanceof Node) || !this.element.contains(next)) this.hide()
    })
    container.appendChild(this.element)
  }

  /** Whether the form is showing. */
  get isOpen(): boolean {
    return !this.element.hidden
  }

  /** Opens the form for `view`'s selection, prefilled with the link already there. */
  open(view: EditorView): void {
    this.view = view
    const existing = linkAt(view.state)
    this.input.value = existing ? existing.href.replace(/^mailto:/, '') : ''
    this.removeButton.hidden = !isLinkActive(view.state)
    this.showError('')
    this.element.hidden = false
    this.position(view)
    this.input.focus()
    this.input.select()
  }

  /** Closes the form and returns focus to the text. */
  close(): void {
    const view = this.view
    this.hide()
    view?.focus()
  }

  private hide(): void {
    this.element.hidden = true
    this.view = null
  }

  private apply(): void {
    const view = this.view
    if (!view) return
    const typed = this.input.value.trim()
    if (typed === '') {
      this.showError(t('editor.link.missing'))
      return
    }
    const href = completeHref(typed)
    if (!href) {
      this.showError(t('editor.link.refused'))
      return
    }
    applyLink(href, typed)(view.state, view.dispatch)
    this.close()
  }

  private showError(message: string): void {
    this.error.textContent = message
    this.error.hidden = message === ''
    this.input.setAttribute('aria-invalid', message === '' ? 'false' : 'true')
  }

  // Below the selection, within the editor frame, kept inside its width.
  private position(view: EditorView): void {
    const frame = this.container.getBoundingClientRect()
    const coords = view.coordsAtPos(view.state.selection.from)
    const width = this.element.offsetWidth
    const start = Math.max(0, Math.min(coords.left - frame.left, frame.width - width))
    this.element.style.top = `${coords.bottom - frame.top + 8}px`
    // Physical `left` because coordsAtPos is physical; the form's content
    // still follows the page direction.
    this.element.style.left = `${start}px`
  }
}
