import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'

let nextId = 0

/** A decision the user confirms in a modal dialog before it happens. */
export interface ConfirmOptions<T> {
  title: string
  /** What will happen, in a sentence or two. */
  description: string
  /** A text the user must write first (a note, a reason); passed to `action`. */
  note?: { label: string; hint: string; missing: string }
  /** The words of the button that does it, e.g. "Approve and lock". */
  confirmLabel: string
  /** `danger` for what takes something away (deactivate, delete). */
  tone?: 'primary' | 'danger'
  /** Does it; a rejection keeps the dialog open and shows why. */
  action: (note: string) => Promise<T>
  /** Words for a failed `action`; by default the server's message as a sentence. */
  describeError?: (error: unknown) => string
}

/**
 * Asks for confirmation in a modal `<dialog>` (focus stays inside, Escape
 * cancels) and runs `action` on confirm. Resolves with the action's result,
 * or null when the user cancelled. While the action runs the dialog cannot
 * be dismissed, so its outcome is never hidden.
 */
export function confirmDialog<T>(options: ConfirmOptions<T>): Promise<T | null> {
  const id = `dialog-${++nextId}`
  const error = h('p', { class: 'problem-notice', id: `${id}-error`, role: 'alert' })
  const confirm = h(
    'button',
    { type: 'submit', class: `button ${options.tone === 'danger' ? 'button--danger' : 'button--primary'}`, autofocus: options.tone === 'danger' ? false : !options.note },
    options.confirmLabel,
  )
  const cancel = h('button', { type: 'button', class: 'button button--quiet', autofocus: options.tone === 'danger' && !options.note }, t('common.cancel'))
  let note: HTMLTextAreaElement | null = null
  let noteField: HTMLElement | null = null
  if (options.note) {
    note = h('textarea', {
      id: `${id}-note`,
      class: 'text-input dialog__note',
      rows: 4,
      maxlength: 2000,
      required: true,
      autofocus: true,
      'aria-describedby': `${id}-hint ${id}-error`,
    })
    noteField = h(
      'div',
      { class: 'field' },
      h('label', { class: 'field__label', for: `${id}-note` }, options.note.label),
      h('p', { class: 'field__hint', id: `${id}-hint` }, options.note.hint),
      note,
    )
  }
  const form = h(
    'form',
    { class: 'dialog__form', novalidate: true },
    h('h2', { class: 'dialog__title', id: `${id}-title` }, options.title),
    h('p', { class: 'dialog__description', id: `${id}-description` }, options.description),
    noteField,
    error,
    h('div', { class: 'dialog__actions' }, cancel, confirm),
  )
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-description` }, form)

  let busy = false
  let result: T | null = null
  const setBusy = (value: boolean): void => {
    busy = value
    confirm.disabled = value
    cancel.disabled = value
    confirm.setAttribute('aria-busy', String(value))
  }
  cancel.addEventListener('click', () => dialog.close())
  // Escape closes a dialog natively; not while the action runs.
  dialog.addEventListener('cancel', (event) => {
    if (busy) event.preventDefault()
  })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    if (busy) return
    const text = note?.value.trim() ?? ''
    if (note && options.note && text === '') {
      error.textContent = options.note.missing
      note.setAttribute('aria-invalid', 'true')
      note.focus()
      return
    }
    note?.removeAttribute('aria-invalid')
    error.textContent = ''
    setBusy(true)
    options.action(text).then(
      (value) => {
        result = value
        busy = false
        dialog.close()
      },
      (failure: unknown) => {
        setBusy(false)
        error.textContent = (options.describeError ?? describeProblem)(failure)
        ;(note ?? confirm).focus()
      },
    )
  })
  return show(dialog, () => result)
}

/** Something to read (and perhaps copy) in a modal dialog, closed with one button. */
export interface InfoOptions {
  title: string
  description: string
  content: Node
  closeLabel?: string
}

/** Shows `options` in a modal `<dialog>`; resolves when it is closed. */
export function infoDialog(options: InfoOptions): Promise<void> {
  const id = `dialog-${++nextId}`
  const close = h('button', { type: 'button', class: 'button button--primary' }, options.closeLabel ?? t('shell.dialog.done'))
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-description` },
    h(
      'div',
      { class: 'dialog__form' },
      h('h2', { class: 'dialog__title', id: `${id}-title` }, options.title),
      h('p', { class: 'dialog__description', id: `${id}-description` }, options.description),
      options.content,
      h('div', { class: 'dialog__actions' }, close),
    ),
  )
  close.addEventListener('click', () => dialog.close())
  return show(dialog, () => undefined)
}

// Opens `dialog` modally and removes it once closed, resolving with `outcome()`.
function show<T>(dialog: HTMLDialogElement, outcome: () => T): Promise<T> {
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove()
      resolve(outcome())
    })
    document.body.append(dialog)
    dialog.showModal()
  })
}
