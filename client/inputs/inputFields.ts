import { INPUT_KINDS, type InputKind } from '../../shared/inputs.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import type { InputFields } from './inputApi.js'
import { kindLabel } from './inputLabels.js'

let nextId = 0

/** How the API names an input's fields, as the form labels them (for its 400 messages). */
export function inputFieldLabels(): Record<keyof InputFields, string> {
  return {
    kind: t('inputs.problemField.kind'),
    source: t('inputs.problemField.source'),
    title: t('inputs.problemField.title'),
    text: t('inputs.problemField.text'),
    tags: t('inputs.problemField.tags'),
  }
}

/** Tags as typed: separated by commas, trimmed, without empties or repeats. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))]
}

/**
 * The fields of a conference input (kind, source, title, text, tags) as
 * labelled form controls, filled with `initial`. Used to add an input and
 * by administrators to edit one. `errorId` names the form's error line,
 * which a field found wrong is described by.
 */
export class InputFieldset {
  readonly element: HTMLElement
  private readonly kind: HTMLSelectElement
  private readonly source: HTMLInputElement
  private readonly title: HTMLInputElement
  private readonly text: HTMLTextAreaElement
  private readonly tags: HTMLInputElement

  constructor(
    initial: Partial<InputFields>,
    sources: string[],
    private readonly errorId?: string,
  ) {
    const id = `input-fields-${++nextId}`
    this.kind = h('select', { id: `${id}-kind`, class: 'text-input', required: true })
    for (const kind of INPUT_KINDS) this.kind.append(h('option', { value: kind }, kindLabel(kind)))
    this.kind.value = initial.kind ?? 'breakout_output'
    this.source = h('input', { id: `${id}-source`, class: 'text-input', type: 'text', required: true, maxlength: 200, list: `${id}-sources`, autocomplete: 'off', 'aria-describedby': `${id}-source-hint` })
    this.source.value = initial.source ?? ''
    this.title = h('input', { id: `${id}-title`, class: 'text-input', type: 'text', required: true, maxlength: 300, autocomplete: 'off' })
    this.title.value = initial.title ?? ''
    this.text = h('textarea', { id: `${id}-text`, class: 'text-input', rows: 4, maxlength: 10000 })
    this.text.value = initial.text ?? ''
    this.tags = h('input', { id: `${id}-tags`, class: 'text-input', type: 'text', autocomplete: 'off', 'aria-describedby': `${id}-tags-hint` })
    this.tags.value = (initial.tags ?? []).join(', ')
    const field = (label: string, control: HTMLElement, hint?: HTMLElement) =>
      h('div', { class: 'field' }, h('label', { class: 'field__label', for: control.id }, label), hint, control)
    this.element = h(
      'div',
      { class: 'input-fields' },
      h(
        'div',
        { class: 'input-fields__row' },
        field(t('inputs.field.kind'), this.kind),
        field(t('inputs.field.source'), this.source, h('p', { class: 'field__hint', id: `${id}-source-hint` }, t('inputs.field.sourceHint'))),
      ),
      h('datalist', { id: `${id}-sources` }, ...sources.map((source) => h('option', { value: source }))),
      field(t('inputs.field.title'), this.title),
      field(t('inputs.field.text'), this.text),
      field(t('inputs.field.tags'), this.tags, h('p', { class: 'field__hint', id: `${id}-tags-hint` }, t('inputs.field.tagsHint'))),
    )
  }

  /** What the form holds, as the API takes it. */
  get value(): InputFields {
    return {
      kind: this.kind.value as InputKind,
      source: this.source.value.trim(),
      title: this.title.value.trim(),
      text: this.text.value.trim(),
      tags: parseTags(this.tags.value),
    }
  }

  /** The first required field left empty, marked and focused, with what to do; null if none. */
  missing(): string | null {
    if (this.source.value.trim() === '') {
      this.markInvalid('source')
      return t('inputs.missing.source')
    }
    if (this.title.value.trim() === '') {
      this.markInvalid('title')
      return t('inputs.missing.title')
    }
    this.markInvalid(null)
    return null
  }

  /**
   * Marks `field` as wrong (the form's error line describes it) and focuses
   * it; every other field as right. Null clears every mark.
   */
  markInvalid(field: string | null): void {
    const controls: Record<keyof InputFields, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {
      kind: this.kind,
      source: this.source,
      title: this.title,
      text: this.text,
      tags: this.tags,
    }
    for (const [name, control] of Object.entries(controls)) {
      const hints = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && id !== this.errorId)
      if (name === field) {
        control.setAttribute('aria-invalid', 'true')
        if (this.errorId) hints.push(this.errorId)
        control.focus()
      } else control.removeAttribute('aria-invalid')
      if (hints.length > 0) control.setAttribute('aria-describedby', hints.join(' '))
      else control.removeAttribute('aria-describedby')
    }
  }

  focus(): void {
    this.kind.focus()
  }
}
