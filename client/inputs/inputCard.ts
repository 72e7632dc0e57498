import type { SectionView, UserView } from '../../shared/api.js'
import { INPUT_STATUSES, type InputStatus, type InputView } from '../../shared/inputs.js'
import { can } from '../../shared/roles.js'
import { ApiError } from '../api.js'
import { formatDate } from '../format.js'
import { h, replaceChildren, type Child } from '../dom.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { FormProblem, describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import { confirmDialog } from '../shell/dialog.js'
import { mergeInput, setAddressedIn, setInputStatus, updateInput } from './inputApi.js'
import { InputFieldset, inputFieldLabels } from './inputFields.js'
import { isolate } from '../i18n/bidi.js'
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

// Stands in for a node in a message, so that the language decides where the node goes.
const SLOT = '\uE000'

/** The message `text` (made with SLOT in place of a value) with `node` where SLOT is. */
function withNode(text: string, node: Node): Child[] {
  const [before = '', after = ''] = text.split(SLOT)
  return [before, node, after]
}

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
      // What people wrote keeps its own direction (dir=auto), e.g. English inside the Arabic
      // interface; short texts are isolated inline, so that they stay aligned with the interface.
      h('div', { class: 'input-card__top' }, kindTag(input.kind), h('span', { class: 'input-card__source', dir: 'auto' }, input.source), inputStatusBadge(input.status)),
      h('h2', { class: 'input-card__title', id: `${this.id}-title` }, h('span', { dir: 'auto' }, input.title)),
      input.text ? h('p', { class: 'input-card__text', dir: 'auto' }, input.text) : null,
      input.status === 'deferred' && input.deferredReason
        ? h('p', { class: 'input-card__reason' }, h('strong', {}, t('inputs.card.deferredReason')), ' ', h('span', { dir: 'auto' }, input.deferredReason))
        : null,
      addressed.length > 0
        ? h(
            'p',
            { class: 'input-card__addressed' },
            ...withNode(
              t('inputs.card.addressedIn', { sections: SLOT }),
              h(
                'span',
                {},
                ...addressed.flatMap(({ index, id }, position) => [
                  position > 0 ? t('inputs.card.listSeparator') : '',
                  h('a', { href: sectionHref(id) }, t('inputs.sectionNumbered', { number: index + 1, title: isolate(sections[index]!.title) })),
                ]),
              ),
            ),
          )
        : null,
      h(
        'div',
        { class: 'input-card__footer' },
        input.tags.length > 0 ? h('ul', { class: 'tag-list', 'aria-label': t('inputs.card.tags') }, ...input.tags.map((tag) => h('li', { class: 'tag', dir: 'auto' }, tag))) : null,
        h(
          'p',
          { class: 'input-card__meta' },
          t('inputs.card.addedBy', {
            name: isolate(input.addedBy.name),
            organisation: isolate(input.addedBy.organisation),
            hasOrganisation: input.addedBy.organisation ? 'yes' : 'no',
            date: formatDate(input.addedAt),
          }),
        ),
      ),
    )
    this.renderActions()
  }

  private renderActions(): void {
    const user = this.context.user
    const buttons: HTMLButtonElement[] = []
    const add = (form: Form, label: string): void => {
      // Described by the input's title, so that each card's "Edit" says which input it edits.
      const button = h(
        'button',
        { type: 'button', class: 'button button--quiet button--small', 'aria-expanded': String(this.open === form), 'aria-describedby': `${this.id}-title` },
        label,
      )
      button.addEventListener('click', () => this.toggleForm(form))
      buttons.push(button)
    }
    if (can(user, 'input.setStatus')) {
      add('status', t('inputs.card.changeStatus'))
      add('addressed', t('inputs.card.addressedInAction'))
    }
    if (can(user, 'inputs.manage')) {
      add('edit', t('inputs.card.edit'))
      add('merge', t('inputs.card.mergeAction'))
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

  /** The id of the open form's error line, which a field found wrong is described by. */
  private get errorId(): string {
    return `${this.id}-error`
  }

  // A form with an error line and Cancel / submit; `send` resolves with the input's new state.
  // `invalid` marks the field a failure is about, if it can tell.
  private form(
    title: string,
    content: (Node | null)[],
    submitLabel: string,
    send: () => Promise<InputView | null>,
    done: string,
    invalid?: (failure: unknown) => void,
  ): HTMLFormElement {
    const error = h('p', { class: 'form-error', role: 'alert', id: this.errorId })
    const submit = h('button', { type: 'submit', class: 'button button--primary button--small' }, submitLabel)
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.cancel'))
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
        error.textContent = describeProblem(failure, inputFieldLabels())
        invalid?.(failure)
      }
    })
    return form
  }

  private statusForm(): HTMLFormElement {
    const name = `${this.id}-status`
    const reason = h('textarea', { id: `${name}-reason`, class: 'text-input', rows: 2, maxlength: 2000 })
    reason.value = this.input.deferredReason ?? ''
    const reasonField = h('div', { class: 'field' }, h('label', { class: 'field__label', for: reason.id }, t('inputs.statusForm.reason')), reason)
    const radios = INPUT_STATUSES.map((status) => h('input', { type: 'radio', name, value: status, id: `${name}-${status}`, checked: status === this.input.status }))
    const selected = (): InputStatus => (radios.find((radio) => radio.checked)?.value ?? 'open') as InputStatus
    const sync = (): void => {
      reasonField.hidden = selected() !== 'deferred'
    }
    for (const radio of radios) radio.addEventListener('change', sync)
    sync()
    return this.form(
      t('inputs.statusForm.title'),
      [
        h(
          'fieldset',
          { class: 'choice-group' },
          h('legend', { class: 'field__label' }, t('inputs.field.status')),
          ...radios.map((radio) => h('label', { class: 'choice', for: radio.id }, radio, inputStatusLabel(radio.value as InputStatus))),
        ),
        reasonField,
      ],
      t('inputs.statusForm.submit'),
      async () => {
        const status = selected()
        reason.removeAttribute('aria-invalid')
        reason.removeAttribute('aria-describedby')
        if (status === 'deferred' && reason.value.trim() === '') {
          reason.setAttribute('aria-invalid', 'true')
          reason.setAttribute('aria-describedby', this.errorId)
          reason.focus()
          throw new FormProblem(t('inputs.statusForm.reasonMissing'))
        }
        return setInputStatus(this.input.id, status, reason.value.trim())
      },
      t('inputs.statusForm.done'),
    )
  }

  private addressedForm(): HTMLFormElement {
    const name = `${this.id}-addressed`
    const boxes = this.context.sections().map((section, index) => {
      const box = h('input', { type: 'checkbox', id: `${name}-${section.id}`, value: section.id, checked: this.input.addressedIn.includes(section.id) })
      return h('label', { class: 'choice', for: box.id }, box, t('inputs.sectionNumbered', { number: index + 1, title: isolate(section.title) }))
    })
    return this.form(
      t('inputs.addressedForm.title'),
      [
        h(
          'fieldset',
          { class: 'choice-group choice-group--columns' },
          h('legend', { class: 'field__label' }, t('inputs.addressedForm.legend')),
          ...boxes,
        ),
      ],
      t('inputs.addressedForm.submit'),
      () => setAddressedIn(this.input.id, boxes.map((label) => label.querySelector('input')!).filter((box) => box.checked).map((box) => box.value)),
      t('inputs.addressedForm.done'),
    )
  }

  private editForm(): HTMLFormElement {
    const fields = new InputFieldset(this.input, this.context.sources(), this.errorId)
    return this.form(
      t('inputs.editForm.title'),
      [fields.element],
      t('inputs.editForm.submit'),
      async () => {
        const missing = fields.missing()
        if (missing) throw new FormProblem(missing)
        return updateInput(this.input.id, fields.value)
      },
      t('inputs.editForm.done'),
      (failure) => {
        if (failure instanceof ApiError && failure.field) fields.markInvalid(failure.field)
      },
    )
  }

  private mergeForm(): HTMLFormElement {
    const id = `${this.id}-merge`
    const others = this.context
      .inputs()
      .filter((other) => other.id !== this.input.id)
      .sort((a, b) => a.title.localeCompare(b.title, currentLocale()))
    const select = h(
      'select',
      { id, class: 'text-input', 'aria-describedby': `${id}-hint` },
      h('option', { value: '' }, t('inputs.mergeForm.choose')),
      ...others.map((other) => h('option', { value: other.id }, t('inputs.mergeForm.option', { title: isolate(other.title), source: isolate(other.source) }))),
    )
    return this.form(
      t('inputs.mergeForm.title'),
      [
        h('div', { class: 'field' }, h('label', { class: 'field__label', for: id }, t('inputs.mergeForm.label')), select),
        h('p', { class: 'field__hint', id: `${id}-hint` }, t('inputs.mergeForm.hint')),
      ],
      t('inputs.mergeForm.submit'),
      async () => {
        select.removeAttribute('aria-invalid')
        select.setAttribute('aria-describedby', `${id}-hint`)
        const target = others.find((other) => other.id === select.value)
        if (!target) {
          select.setAttribute('aria-invalid', 'true')
          select.setAttribute('aria-describedby', `${id}-hint ${this.errorId}`)
          select.focus()
          throw new FormProblem(t('inputs.mergeForm.missing'))
        }
        return confirmDialog({
          title: t('inputs.mergeForm.confirmTitle'),
          description: t('inputs.mergeForm.confirmDescription', { duplicate: isolate(this.input.title), target: isolate(target.title) }),
          confirmLabel: t('inputs.mergeForm.confirm'),
          tone: 'danger',
          action: () => mergeInput(this.input.id, target.id),
        })
      },
      t('inputs.mergeForm.done'),
    )
  }
}
