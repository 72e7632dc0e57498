import type { Anchor } from '../../shared/anchors.js'
import { COMMENT_MAX_CHARS } from '../../shared/threads.js'
import { ApiError } from '../api.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'
import { CommentField, commentKeysHint } from './commentField.js'
import { InputPicker } from './inputPicker.js'
import type { KnownPeople } from './knownPeople.js'
import type { NewThread } from './threadApi.js'

let nextId = 0

/** What a new thread is about and what the composer may offer. */
export interface ComposerOptions {
  anchor: Anchor
  documentId: string
  people: KnownPeople
  /** Reviewers may propose replacement text… */
  canSuggest: boolean
  /** …for a range within one paragraph. */
  withinOneParagraph: boolean
  /** Sends the thread; a rejection is shown in the composer. */
  submit(thread: NewThread): Promise<void>
  cancel(): void
}

/** Field names of the thread API, as a problem with them names them. */
function fields(): Record<string, string> {
  return { body: t('comments.field.body'), suggestion: t('comments.field.suggestion') }
}

/**
 * What to say when the server refuses the thread's anchor (the selected
 * text, e.g. an empty `anchor.quote`): the comment must be tied to the text
 * again, which no field of the form can do. Null for other problems.
 */
function anchorProblem(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'invalid_input' || !error.field) return null
  if (error.field !== 'anchor' && !error.field.startsWith('anchor.')) return null
  if (error.field === 'anchor.quote' && error.detail?.reason === 'too_long') {
    return t('comments.notice.tooLong', { max: error.detail.limit ?? COMMENT_MAX_CHARS })
  }
  return t('comments.composer.selectAgain')
}

/**
 * The form for a new thread on the selected text: the quote, the comment
 * (with @mentions), the conference inputs it answers, and for reviewers an
 * optional replacement text for the drafting committee to accept.
 */
export class Composer {
  readonly element: HTMLFormElement
  private readonly field: CommentField
  private readonly picker: InputPicker
  private readonly suggestToggle: HTMLInputElement | null = null
  private readonly suggestion: HTMLTextAreaElement | null = null
  private readonly error: HTMLElement
  private readonly send: HTMLButtonElement
  private busy = false

  constructor(private readonly options: ComposerOptions) {
    const id = `composer-${++nextId}`
    this.field = new CommentField({
      label: t('comments.composer.label'),
      placeholder: t('comments.composer.placeholder'),
      rows: 4,
      people: options.people,
      onSubmit: () => void this.submit(),
    })
    this.picker = new InputPicker({ documentId: options.documentId, label: t('comments.composer.inputs'), selected: [] })
    this.error = h('p', { class: 'form-error', role: 'alert' })
    this.send = h('button', { type: 'submit', class: 'button button--primary button--small', 'data-testid': 'composer-submit' }, t('comments.composer.submit'))
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.cancel'))
    cancel.addEventListener('click', () => this.cancel())

    let suggestionPart: HTMLElement | null = null
    if (options.canSuggest) {
      this.suggestToggle = h('input', { type: 'checkbox', class: 'checkbox', id: `${id}-suggest`, disabled: !options.withinOneParagraph })
      this.suggestion = h('textarea', {
        id: `${id}-replacement`,
        class: 'text-input composer__replacement',
        rows: 3,
        maxlength: 5000,
        dir: 'auto',
        hidden: true,
      })
      this.suggestion.value = options.anchor.quote
      const replacementLabel = h('label', { class: 'field__label', for: this.suggestion.id, hidden: true }, t('comments.composer.replacement'))
      this.suggestToggle.addEventListener('change', () => {
        const on = this.suggestToggle!.checked
        this.suggestion!.hidden = !on
        replacementLabel.hidden = !on
        if (on) this.suggestion!.focus()
      })
      suggestionPart = h(
        'div',
        { class: 'composer__suggest' },
        h('label', { class: 'checkbox-label', for: this.suggestToggle.id }, this.suggestToggle, t('comments.composer.suggest')),
        options.withinOneParagraph ? null : h('p', { class: 'field__hint' }, t('comments.composer.suggestOneParagraph')),
        replacementLabel,
        this.suggestion,
      )
    }

    this.element = h(
      'form',
      { class: 'composer', 'aria-labelledby': `${id}-title`, novalidate: true, 'data-testid': 'composer' },
      h('h3', { class: 'composer__title', id: `${id}-title` }, t('comments.composer.title')),
      h('blockquote', { class: 'thread-quote', dir: 'auto' }, options.anchor.quote),
      this.field.element,
      commentKeysHint(),
      this.picker.element,
      suggestionPart,
      this.error,
      h('div', { class: 'composer__actions' }, cancel, this.send),
    )
    this.element.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.submit()
    })
    // Escape anywhere in the form gives up (lists inside it close first and stop the key).
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      this.cancel()
    })
  }

  focus(): void {
    this.field.focus()
  }

  /** Stops searches that are still waiting. */
  destroy(): void {
    this.picker.destroy()
  }

  private cancel(): void {
    if (!this.busy) this.options.cancel()
  }

  private async submit(): Promise<void> {
    if (this.busy) return
    this.field.showError('')
    this.error.textContent = ''
    if (this.field.value.trim() === '') {
      this.field.showError(t('comments.composer.empty'))
      this.field.focus()
      return
    }
    if (this.options.anchor.quote === '') {
      this.error.textContent = t('comments.composer.selectAgain')
      return
    }
    const suggesting = this.suggestToggle?.checked === true && this.suggestion !== null
    const thread: NewThread = {
      anchor: this.options.anchor,
      body: this.field.value,
      inputIds: this.picker.inputIds,
      ...(suggesting ? { suggestion: this.suggestion!.value } : {}),
    }
    this.setBusy(true)
    try {
      await this.options.submit(thread)
    } catch (error) {
      this.setBusy(false)
      const message = anchorProblem(error) ?? describeProblem(error, fields())
      if (error instanceof ApiError && error.field === 'body') {
        this.field.showError(message)
        this.field.focus()
      } else {
        this.error.textContent = message
      }
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy
    this.send.disabled = busy
    this.send.setAttribute('aria-busy', String(busy))
    this.field.setDisabled(busy)
  }
}
