import type { PersonView } from '../../shared/inputs.js'
import { COMMENT_MAX_CHARS } from '../../shared/threads.js'
import { h, replaceChildren, shortcutLabel } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { announce } from '../shell/announcer.js'
import type { KnownPeople } from './knownPeople.js'

let nextId = 0

const MAX_SUGGESTIONS = 6
// The counter appears once a comment is this close to the limit.
const COUNT_FROM = COMMENT_MAX_CHARS - 500

// "@" at the start or after a non-word character, then what has been typed of a name.
const MENTION_QUERY = /(?:^|[^\p{L}\p{N}])@([^@\n]{0,40})$/u

/** What a comment field is for and how it starts. */
export interface CommentFieldOptions {
  label: string
  /** The label is read by assistive technology only (the context already says it). */
  labelHidden?: boolean
  placeholder?: string
  value?: string
  rows?: number
  people: KnownPeople
  /** Ctrl/Cmd-Enter: send the comment. */
  onSubmit(): void
  /** Escape (with no mention list open): give up. */
  onCancel?(): void
}

/**
 * A plain-text comment box: `@` suggests the people Drafting Room knows of
 * (arrow keys, Enter or Tab to choose), a counter appears near the length
 * limit, and a problem with what was sent is shown under it.
 */
export class CommentField {
  readonly element: HTMLElement
  readonly textarea: HTMLTextAreaElement
  private readonly listbox: HTMLUListElement
  private readonly counter: HTMLElement
  private readonly error: HTMLElement
  private readonly id = `comment-field-${++nextId}`
  private matches: PersonView[] = []
  private active = 0
  private queryStart = -1

  constructor(private readonly options: CommentFieldOptions) {
    this.textarea = h('textarea', {
      id: `${this.id}-input`,
      class: 'text-input comment-field__input',
      rows: options.rows ?? 3,
      placeholder: options.placeholder ?? null,
      dir: 'auto',
      'aria-autocomplete': 'list',
      'aria-controls': `${this.id}-people`,
      'aria-describedby': `${this.id}-count ${this.id}-error`,
    })
    this.textarea.value = options.value ?? ''
    this.listbox = h('ul', { id: `${this.id}-people`, class: 'mention-list', role: 'listbox', 'aria-label': t('comments.mention.list'), hidden: true })
    this.counter = h('p', { id: `${this.id}-count`, class: 'comment-field__count', hidden: true })
    this.error = h('p', { id: `${this.id}-error`, class: 'form-error', role: 'alert' })
    const label = h('label', { class: options.labelHidden ? 'visually-hidden' : 'field__label', for: this.textarea.id }, options.label)
    this.element = h(
      'div',
      { class: 'comment-field' },
      label,
      h('div', { class: 'comment-field__box' }, this.textarea, this.listbox),
      this.counter,
      this.error,
    )
    this.textarea.addEventListener('input', () => {
      this.updateCount()
      this.updateMentions()
    })
    this.textarea.addEventListener('click', () => this.updateMentions())
    this.textarea.addEventListener('keydown', (event) => this.onKeydown(event))
    this.textarea.addEventListener('blur', () => this.closeMentions())
    this.updateCount()
  }

  get value(): string {
    return this.textarea.value
  }

  set value(text: string) {
    this.textarea.value = text
    this.updateCount()
    this.closeMentions()
  }

  focus(): void {
    this.textarea.focus()
  }

  /** Shows why the comment was not accepted, or clears it. */
  showError(message: string): void {
    this.error.textContent = message
    this.textarea.setAttribute('aria-invalid', String(message !== ''))
  }

  setDisabled(disabled: boolean): void {
    this.textarea.disabled = disabled
  }

  private updateCount(): void {
    const length = this.textarea.value.length
    this.counter.hidden = length < COUNT_FROM
    const over = length - COMMENT_MAX_CHARS
    // Hidden until it matters, so not written before (the language may change meanwhile).
    if (this.counter.hidden) return
    this.counter.textContent =
      over > 0 ? t('comments.count.over', { length, max: COMMENT_MAX_CHARS, over }) : t('comments.count.chars', { length, max: COMMENT_MAX_CHARS })
    this.counter.classList.toggle('comment-field__count--over', over > 0)
  }

  private updateMentions(): void {
    const caret = this.textarea.selectionStart
    const match = MENTION_QUERY.exec(this.textarea.value.slice(0, caret))
    if (!match || caret !== this.textarea.selectionEnd) return this.closeMentions()
    const query = match[1]!.toLowerCase()
    const people = this.options.people.list()
    this.matches = people
      .filter((person) => {
        const name = person.name.toLowerCase()
        return name.startsWith(query) || name.split(/\s+/).some((word) => word.startsWith(query))
      })
      .slice(0, MAX_SUGGESTIONS)
    if (this.matches.length === 0) return this.closeMentions()
    this.queryStart = caret - match[1]!.length - 1
    this.active = Math.min(this.active, this.matches.length - 1)
    this.renderMentions()
  }

  private renderMentions(): void {
    replaceChildren(
      this.listbox,
      ...this.matches.map((person, index) => {
        const option = h(
          'li',
          { id: `${this.id}-person-${index}`, class: 'mention-list__option', role: 'option', 'aria-selected': String(index === this.active) },
          h('bdi', { class: 'mention-list__name' }, person.name),
          h('bdi', { class: 'mention-list__organisation' }, person.organisation),
        )
        // Choosing with the mouse must not take focus from the text box.
        option.addEventListener('mousedown', (event) => event.preventDefault())
        option.addEventListener('click', () => this.choose(index))
        return option
      }),
    )
    const wasHidden = this.listbox.hidden
    this.listbox.hidden = false
    this.textarea.setAttribute('aria-activedescendant', `${this.id}-person-${this.active}`)
    if (wasHidden) {
      announce(t('comments.mention.opened', { count: this.matches.length }))
    }
  }

  private closeMentions(): void {
    if (this.listbox.hidden) return
    this.listbox.hidden = true
    this.active = 0
    this.textarea.removeAttribute('aria-activedescendant')
  }

  private choose(index: number): void {
    const person = this.matches[index]
    if (!person) return
    const caret = this.textarea.selectionStart
    const text = this.textarea.value
    const mention = `@${person.name} `
    this.textarea.value = text.slice(0, this.queryStart) + mention + text.slice(caret)
    const after = this.queryStart + mention.length
    this.textarea.setSelectionRange(after, after)
    this.closeMentions()
    this.updateCount()
    announce(t('comments.mention.done', { name: person.name }))
  }

  private onKeydown(event: KeyboardEvent): void {
    if (!this.listbox.hidden) {
      const count = this.matches.length
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        this.active = (this.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count
        this.renderMentions()
        return
      }
      if ((event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey) || event.key === 'Tab') {
        event.preventDefault()
        this.choose(this.active)
        return
      }
      if (event.key === 'Escape') {
        event.preventDefault()
        event.stopPropagation()
        this.closeMentions()
        return
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault()
      this.options.onSubmit()
    } else if (event.key === 'Escape' && this.options.onCancel) {
      event.preventDefault()
      this.options.onCancel()
    }
  }
}

/** A hint naming the keys of a comment box, for under the box. */
export function commentKeysHint(): HTMLElement {
  return h('p', { class: 'comment-field__hint' }, t('comments.keysHint', { shortcut: shortcutLabel('Mod-Enter') }))
}
