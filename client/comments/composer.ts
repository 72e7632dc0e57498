import type { Anchor } from '../../shared/anchors.js'
import { ApiError } from '../api.js'
import { h } from '../dom.js'
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

/** Field names of the thread API, as the composer labels them. */
const FIELDS = { body: 'The comment', suggestion: 'The replacement text' }

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
      label: 'Comment',
      placeholder: 'What should the drafting committee consider?',
      rows: 4,
      people: options.people,
      onSubmit: () => void this.submit(),
    })
    this.picker = new InputPicker({ documentId: options.documentId, label: 'Conference inputs it answers (optional)', selected: [] })
    this.error = h('p', { class: 'form-error', role: 'alert' })
    this.send = h('button', { type: 'submit', class: 'button button--primary button--small', 'data-testid': 'composer-submit' }, 'Comment')
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Cancel')
    cancel.addEventListener('click', () => this.cancel())

    let suggestionPart: HTMLElement | null = null
    if (options.canSuggest) {
      this.suggestToggle = h('input', { type: 'checkbox', class: 'checkbox', id: `${id}-suggest`, disabled: !options.withinOneParagraph })
      this.suggestion = h('textarea', {
        id: `${id}-replacement`,
        class: 'text-input composer__replacement',
        rows: 3,
        maxlength: 5000,
        hidden: true,
      })
      this.suggestion.value = options.anchor.quote
      const replacementLabel = h('label', { class: 'field__label', for: this.suggestion.id, hidden: true }, 'Replacement text')
      this.suggestToggle.addEventListener('change', () => {
        const on = this.suggestToggle!.checked
        this.suggestion!.hidden = !on
        replacementLabel.hidden = !on
        if (on) this.suggestion!.focus()
      })
      suggestionPart = h(
        'div',
        { class: 'composer__suggest' },
        h('label', { class: 'checkbox-label', for: this.suggestToggle.id }, this.suggestToggle, 'Suggest replacement text'),
        options.withinOneParagraph ? null : h('p', { class: 'field__hint' }, 'To suggest a replacement, select text within one paragraph.'),
        replacementLabel,
        this.suggestion,
      )
    }

    this.element = h(
      'form',
      { class: 'composer', 'aria-labelledby': `${id}-title`, novalidate: true, 'data-testid': 'composer' },
      h('h3', { class: 'composer__title', id: `${id}-title` }, 'New comment'),
      h('blockquote', { class: 'thread-quote' }, options.anchor.quote),
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
      this.field.showError('Write a comment first.')
      this.field.focus()
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
      const message = describeProblem(error, FIELDS)
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
