import type { SectionView, UserView } from '../../shared/api.js'
import { INPUT_STATUSES, type InputStatus, type InputView } from '../../shared/inputs.js'
import { can } from '../../shared/roles.js'
import { formatDate } from '../format.js'
import { h, replaceChildren } from '../dom.js'
import { FormProblem, describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import { confirmDialog } from '../shell/dialog.js'
import { mergeInput, setAddressedIn, setInputStatus, updateInput } from './inputApi.js'
import { INPUT_FIELD_LABELS, InputFieldset } from './inputFields.js'
import { inputStatusBadge, inputStatusLabel, kindTag } from './inputLabels.js'

let nextId = 0

/** What an input card needs from the page around it. */
export interface InputCardContext {
  user: UserView
  /** The document's sections, in order. */
  sections(): SectionView[]
  /** Every input of the document (merge targets) and the sources in use. */
  inputs(): InputView[]
  sources(): string[]
  /** The server answered with the input's new state (or, after a merge, the input it went into). */
  changed(input: InputView): void
  /** Tells assistive technology what just happened. */
  announce(text: string): void
}

type Form = 'status' | 'addressed' | 'edit' | 'merge'

/**
 * One conference input in the library: its kind, source, title and text,
 * tags, status and the sections said to address it; for the drafting
 * committee a way to set its status and "addressed in", for administrators
 * to edit it or merge it into the input it duplicates. One form is open at
 * a time, and live updates leave it alone.
 */
export class InputCard {
  readonly element: HTMLLIElement
  private readonly id = `input-card-${++nextId}`
  private readonly body = h('div', { class: 'input-card__body' })
  private readonly actions = h('div', { class: 'input-card__actions' })
  private readonly formSlot = h('div', { class: 'input-card__form' })
  private open: Form | null = null

  constructor(
    private input: InputView,
    private readonly context: InputCardContext,
  ) {
    this.element = h('li', { class: 'input-card', 'data-input-id': input.id, 'aria-labelledby': `${this.id}-title` }, this.body, this.actions, this.formSlot)
    this.render()
  }

  /** Shows a newer state of the input. */
  update(input: InputView): void {
    this.input = input
    this.render()
  }

  /** Shows the input again, e.g. after the document's sections changed. */
  refresh(): void {
    this.render()
  }

  private render(): void {
    const input = this.input
    const sections = this.context.sections()
    const addressed = input.addressedIn
      .map((id) => ({ index: sections.findIndex((section) => section.id === id), id }))
      .filter(({ index }) => index >= 0)
      .sort((a, b) => a.index - b.index)
    replaceChildren(
      this.body,
      h('div', { class: 'input-card__top' }, kindTag(input.kind), h('span', { class: 'input-card__source' }, input.source), inputStatusBadge(input.status)),
      h('h2', { class: 'input-card__title', id: `${this.id}-title` }, input.title),
      input.text ? h('p', { class: 'input-card__text' }, input.text) : null,
      input.status === 'deferred' && input.deferredReason ? h('p', { class: 'input-card__reason' }, h('strong', {}, 'Deferred: '), input.deferredReason) : null,
      addressed.length > 0
        ? h(
            'p',
            { class: 'input-card__addressed' },
            'Addressed in ',
            ...addressed.flatMap(({ index, id }, position) => [
              position > 0 ? ', ' : '',
              h('a', { href: sectionHref(id) }, `${index + 1}. ${sections[index]!.title}`),
            ]),
          )
        : null,
      h(
        'div',
        { class: 'input-card__footer' },
        input.tags.length > 0 ? h('ul', { class: 'tag-list', 'aria-label': 'Tags' }, ...input.tags.map((tag) => h('li', { class: 'tag' }, tag))) : null,
        h('p', { class: 'input-card__meta' }, `Added by ${input.addedBy.name}${input.addedBy.organisation ? `, ${input.addedBy.organisation}` : ''}, ${formatDate(input.addedAt)}`),
      ),
    )
    this.renderActions()
  }

  private renderActions(): void {
    const user = this.context.user
    const buttons: HTMLButtonElement[] = []
    const add = (form: Form, label: string): void => {
      const button = h('button', { type: 'button', class: 'button button--quiet button--small', 'aria-expanded': String(this.open === form) }, label)
      button.addEventListener('click', () => this.toggleForm(form))
      buttons.push(button)
    }
    if (can(user, 'input.setStatus')) {
      add('status', 'Change status')
      add('addressed', 'Addressed in…')
    }
    if (can(user, 'inputs.manage')) {
      add('edit', 'Edit')
      add('merge', 'Merge duplicate…')
    }
    this.actions.hidden = buttons.length === 0
    replaceChildren(this.actions, ...buttons)
  }

  private toggleForm(form: Form): void {
    this.open = this.open === form ? null : form
    this.renderActions()
    if (!this.open) {
      replaceChildren(this.formSlot)
      return
    }
    const built = this.open === 'status' ? this.statusForm() : this.open === 'addressed' ? this.addressedForm() : this.open === 'edit' ? this.editForm() : this.mergeForm()
    replaceChildren(this.formSlot, built)
    built.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus()
  }

  private close(): void {
    this.open = null
    replaceChildren(this.formSlot)
    this.renderActions()
  }

  // A form with an error line and Cancel / submit; `send` resolves with the input's new state.
  private form(title: string, content: (Node | null)[], submitLabel: string, send: () => Promise<InputView | null>, done: string): HTMLFormElement {
    const error = h('p', { class: 'form-error', role: 'alert' })
    const submit = h('button', { type: 'submit', class: 'button button--primary button--small' }, submitLabel)
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Cancel')
    cancel.addEventListener('click', () => this.close())
    const form = h(
      'form',
      { class: 'input-form', novalidate: true, 'aria-label': title },
      ...content,
      error,
      h('div', { class: 'input-form__actions' }, cancel, submit),
    )
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close()
    })
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      error.textContent = ''
      submit.disabled = true
      try {
        const updated = await send()
        if (!updated) {
          submit.disabled = false
          return
        }
        this.close()
        this.context.changed(updated)
        this.context.announce(done)
      } catch (failure) {
        submit.disabled = false
        error.textContent = describeProblem(failure, INPUT_FIELD_LABELS)
      }
    })
    return form
  }

  private statusForm(): HTMLFormElement {
    const name = `${this.id}-status`
    const reason = h('textarea', { id: `${name}-reason`, class: 'text-input', rows: 2, maxlength: 2000 })
    reason.value = this.input.deferredReason ?? ''
    const reasonField = h('div', { class: 'field' }, h('label', { class: 'field__label', for: reason.id }, 'Why it is deferred'), reason)
    const radios = INPUT_STATUSES.map((status) => h('input', { type: 'radio', name, value: status, id: `${name}-${status}`, checked: status === this.input.status }))
    const selected = (): InputStatus => (radios.find((radio) => radio.checked)?.value ?? 'open') as InputStatus
    const sync = (): void => {
      reasonField.hidden = selected() !== 'deferred'
    }
    for (const radio of radios) radio.addEventListener('change', sync)
    sync()
    return this.form(
      'Change status',
      [
        h(
          'fieldset',
          { class: 'choice-group' },
          h('legend', { class: 'field__label' }, 'Status'),
          ...radios.map((radio) => h('label', { class: 'choice', for: radio.id }, radio, inputStatusLabel(radio.value as InputStatus))),
        ),
        reasonField,
      ],
      'Save status',
      async () => {
        const status = selected()
        if (status === 'deferred' && reason.value.trim() === '') throw new FormProblem('Say why the input is deferred.')
        return setInputStatus(this.input.id, status, reason.value.trim())
      },
      'Status saved.',
    )
  }

  private addressedForm(): HTMLFormElement {
    const name = `${this.id}-addressed`
    const boxes = this.context.sections().map((section, index) => {
      const box = h('input', { type: 'checkbox', id: `${name}-${section.id}`, value: section.id, checked: this.input.addressedIn.includes(section.id) })
      return h('label', { class: 'choice', for: box.id }, box, `${index + 1}. ${section.title}`)
    })
    return this.form(
      'Sections that address this input',
      [
        h(
          'fieldset',
          { class: 'choice-group choice-group--columns' },
          h('legend', { class: 'field__label' }, 'Sections that address it, besides comment threads linked to it'),
          ...boxes,
        ),
      ],
      'Save sections',
      () => setAddressedIn(this.input.id, boxes.map((label) => label.querySelector('input')!).filter((box) => box.checked).map((box) => box.value)),
      'Sections saved.',
    )
  }

  private editForm(): HTMLFormElement {
    const fields = new InputFieldset(this.input, this.context.sources())
    return this.form(
      'Edit input',
      [fields.element],
      'Save changes',
      async () => {
        const missing = fields.missing()
        if (missing) throw new FormProblem(missing)
        return updateInput(this.input.id, fields.value)
      },
      'Input saved.',
    )
  }

  private mergeForm(): HTMLFormElement {
    const id = `${this.id}-merge`
    const others = this.context
      .inputs()
      .filter((other) => other.id !== this.input.id)
      .sort((a, b) => a.title.localeCompare(b.title))
    const select = h('select', { id, class: 'text-input' }, h('option', { value: '' }, 'Choose the input to keep…'), ...others.map((other) => h('option', { value: other.id }, `${other.title} (${other.source})`)))
    return this.form(
      'Merge duplicate',
      [
        h('div', { class: 'field' }, h('label', { class: 'field__label', for: id }, 'This input duplicates'), select),
        h('p', { class: 'field__hint' }, 'This input then disappears; its tags, its sections and the comment threads linked to it move to the input you keep.'),
      ],
      'Merge',
      async () => {
        const target = others.find((other) => other.id === select.value)
        if (!target) throw new FormProblem('Choose the input this one duplicates.')
        return confirmDialog({
          title: 'Merge these inputs?',
          description: `“${this.input.title}” will be merged into “${target.title}”. This cannot be undone.`,
          confirmLabel: 'Merge',
          tone: 'danger',
          action: () => mergeInput(this.input.id, target.id),
        })
      },
      'Inputs merged.',
    )
  }
}
