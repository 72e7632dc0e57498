import { INPUT_KINDS, type InputKind } from '../../shared/inputs.js'
import { h } from '../dom.js'
import type { InputFields } from './inputApi.js'
import { kindLabel } from './inputLabels.js'

let nextId = 0

/** How the API names an input's fields, as the form labels them (for its 400 messages). */
export const INPUT_FIELD_LABELS = { kind: 'The kind', source: 'The source', title: 'The title', text: 'The text', tags: 'The tags' }

/** Tags as typed: separated by commas, trimmed, without empties or repeats. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))]
}

/**
 * The fields of a conference input (kind, source, title, text, tags) as
 * labelled form controls, filled with `initial`. Used to add an input and
 * by administrators to edit one.
 */
export class InputFieldset {
  readonly element: HTMLElement
  private readonly kind: HTMLSelectElement
  private readonly source: HTMLInputElement
  private readonly title: HTMLInputElement
  private readonly text: HTMLTextAreaElement
  private readonly tags: HTMLInputElement

  constructor(initial: Partial<InputFields>, sources: string[]) {
    const id = `input-fields-${++nextId}`
    this.kind = h('select', { id: `${id}-kind`, class: 'text-input', required: true })
    for (const kind of INPUT_KINDS) this.kind.append(h('option', { value: kind }, kindLabel(kind)))
    this.kind.value = initial.kind ?? 'breakout_output'
    this.source = h('input', { id: `${id}-source`, class: 'text-input', type: 'text', required: true, maxlength: 200, list: `${id}-sources`, autocomplete: 'off' })
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
        field('Kind', this.kind),
        field('Source', this.source, h('p', { class: 'field__hint' }, 'A session, a conference, a National Society…')),
      ),
      h('datalist', { id: `${id}-sources` }, ...sources.map((source) => h('option', { value: source }))),
      field('Title', this.title),
      field('Text (optional)', this.text),
      field('Tags (optional)', this.tags, h('p', { class: 'field__hint', id: `${id}-tags-hint` }, 'Separate tags with commas, e.g. “auxiliary role, data”.')),
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

  /** The first required field left empty, focused, with its label; null if none. */
  missing(): string | null {
    if (this.source.value.trim() === '') {
      this.source.focus()
      return 'Say where the input comes from (its source).'
    }
    if (this.title.value.trim() === '') {
      this.title.focus()
      return 'Give the input a title.'
    }
    return null
  }

  focus(): void {
    this.kind.focus()
  }
}
