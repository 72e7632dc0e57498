import type { DocumentView } from '../../shared/api.js'
import { INPUT_KINDS, INPUT_STATUSES, type InputKind, type InputStatus, type InputView } from '../../shared/inputs.js'
import { can } from '../../shared/roles.js'
import { ApiError } from '../api.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren } from '../dom.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { FormProblem, describeProblem } from '../problems.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { createInput, fetchInputs } from './inputApi.js'
import { InputCard } from './inputCard.js'
import { InputCatalog } from './inputCatalog.js'
import { InputFieldset, inputFieldLabels } from './inputFields.js'
import { isolate } from '../i18n/bidi.js'
import { inputStatusLabel, kindLabel } from './inputLabels.js'

const SEARCH_DELAY_MS = 200
const LIVE_DELAY_MS = 150

/**
 * The conference input library (`#/inputs`): every input of the document,
 * searchable and filtered by kind, source and status; a form to add one;
 * and on each input what the user's role may change. It follows the
 * document's event stream, so inputs others add or change appear at once.
 */
export class InputsPage implements AppPage {
  readonly element: HTMLElement
  private view: DocumentView
  private readonly catalog: InputCatalog
  private readonly cards = new Map<string, InputCard>()
  private readonly search: HTMLInputElement
  private readonly kind: HTMLSelectElement
  private readonly source: HTMLSelectElement
  private readonly status: HTMLSelectElement
  private readonly count: HTMLElement
  private readonly list: HTMLOListElement
  private readonly empty: HTMLElement
  private readonly addSlot: HTMLElement
  private readonly addButton: HTMLButtonElement | null = null
  private readonly announcer: HTMLElement
  private readonly unsubscribers: (() => void)[] = []
  private fetchNumber = 0
  private timer: number | null = null

  constructor(
    view: DocumentView,
    private readonly context: PageContext,
    events: DocumentEvents,
  ) {
    this.view = view
    this.catalog = new InputCatalog(view.id)
    this.search = h('input', { id: 'inputs-search', class: 'text-input', type: 'search', autocomplete: 'off', placeholder: t('inputs.page.searchPlaceholder') })
    this.kind = h(
      'select',
      { id: 'inputs-kind', class: 'text-input' },
      h('option', { value: '' }, t('inputs.page.allKinds')),
      ...INPUT_KINDS.map((kind) => h('option', { value: kind }, kindLabel(kind))),
    )
    this.source = h('select', { id: 'inputs-source', class: 'text-input' }, h('option', { value: '' }, t('inputs.page.allSources')))
    this.status = h(
      'select',
      { id: 'inputs-status', class: 'text-input' },
      h('option', { value: '' }, t('inputs.page.anyStatus')),
      ...INPUT_STATUSES.map((status) => h('option', { value: status }, inputStatusLabel(status))),
    )
    this.count = h('p', { class: 'inputs-count', role: 'status' })
    this.list = h('ol', { class: 'input-list', 'aria-label': t('inputs.page.listLabel'), 'data-testid': 'input-list' })
    this.empty = h('div', { class: 'empty-state', hidden: true })
    this.addSlot = h('div', { class: 'inputs-add' })
    this.announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' })
    if (can(context.user, 'input.create')) {
      this.addButton = h('button', { type: 'button', class: 'button button--primary', 'aria-expanded': 'false' }, icon('plus'), t('inputs.page.add'))
      this.addButton.addEventListener('click', () => this.toggleAddForm())
    }
    const filter = (label: string, control: HTMLElement) => h('div', { class: 'field filter-bar__field' }, h('label', { class: 'field__label', for: control.id }, label), control)
    this.element = h(
      'div',
      { class: 'page page--wide', 'data-testid': 'inputs-page' },
      h(
        'header',
        { class: 'page__header page-header-row' },
        h(
          'div',
          { class: 'page-header-row__text' },
          h('p', { class: 'page__eyebrow' }, view.title),
          h('h1', { class: 'page__title', tabindex: '-1' }, t('inputs.page.title')),
          h('p', { class: 'page__lead' }, t('inputs.page.lead')),
        ),
        this.addButton,
      ),
      this.addSlot,
      h(
        'div',
        { class: 'filter-bar', role: 'search', 'aria-label': t('inputs.page.filters') },
        filter(t('inputs.page.search'), this.search),
        filter(t('inputs.field.kind'), this.kind),
        filter(t('inputs.field.source'), this.source),
        filter(t('inputs.field.status'), this.status),
      ),
      this.count,
      this.list,
      this.empty,
      this.announcer,
    )
    this.search.addEventListener('input', () => this.schedule(SEARCH_DELAY_MS))
    for (const select of [this.kind, this.source, this.status]) select.addEventListener('change', () => this.schedule(0))
    this.unsubscribers.push(
      events.listen({
        input: (input) => {
          this.catalog.applyInput(input)
          this.schedule(LIVE_DELAY_MS)
        },
        inputMerged: (inputId, into) => {
          this.catalog.applyMerge(inputId, into)
          this.schedule(LIVE_DELAY_MS)
        },
        resync: () => void this.start(),
      }),
      this.catalog.subscribe(() => this.renderSources()),
    )
    void this.start()
  }

  documentChanged(view: DocumentView): void {
    this.view = view
    // Section titles and order show in each card's "addressed in".
    for (const card of this.cards.values()) card.refresh()
  }

  destroy(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe()
    if (this.timer !== null) window.clearTimeout(this.timer)
    this.fetchNumber++
  }

  private async start(): Promise<void> {
    try {
      await this.catalog.load()
    } catch (error) {
      this.showProblem(error)
      return
    }
    await this.refresh()
  }

  private schedule(delay: number): void {
    if (this.timer !== null) window.clearTimeout(this.timer)
    this.timer = window.setTimeout(() => {
      this.timer = null
      void this.refresh()
    }, delay)
  }

  // Fetches the inputs matching the filters; an answer to an older request is dropped.
  private async refresh(): Promise<void> {
    const number = ++this.fetchNumber
    let inputs: InputView[]
    try {
      inputs = await fetchInputs({
        documentId: this.view.id,
        q: this.search.value.trim(),
        kind: this.kind.value as InputKind | '',
        source: this.source.value,
        status: this.status.value as InputStatus | '',
      })
    } catch (error) {
      if (number === this.fetchNumber) this.showProblem(error)
      return
    }
    if (number !== this.fetchNumber) return
    this.render(inputs)
  }

  private render(inputs: InputView[]): void {
    const keep = new Set(inputs.map((input) => input.id))
    for (const [id, card] of this.cards) {
      if (!keep.has(id)) {
        card.element.remove()
        this.cards.delete(id)
      }
    }
    const elements = inputs.map((input) => {
      let card = this.cards.get(input.id)
      if (card) card.update(input)
      else {
        card = new InputCard(input, {
          user: this.context.user,
          sections: () => this.view.sections,
          inputs: () => this.catalog.all(),
          sources: () => this.sources(),
          changed: (changed) => {
            this.catalog.applyInput(changed)
            this.schedule(0)
          },
          announce: (text) => this.announce(text),
        })
        this.cards.set(input.id, card)
      }
      return card.element
    })
    // Appending in order moves only what changed place; open forms stay as they are.
    for (const [index, element] of elements.entries()) {
      if (this.list.children[index] !== element) this.list.insertBefore(element, this.list.children[index] ?? null)
    }
    const total = this.catalog.all().length
    const filtered = this.search.value.trim() !== '' || this.kind.value !== '' || this.source.value !== '' || this.status.value !== ''
    this.count.textContent = filtered ? t('inputs.page.countFiltered', { shown: inputs.length, total }) : t('inputs.page.count', { total })
    this.empty.hidden = inputs.length > 0
    if (inputs.length === 0) {
      replaceChildren(
        this.empty,
        h('p', { class: 'empty-state__title' }, filtered ? t('inputs.page.noMatchTitle') : t('inputs.page.emptyTitle')),
        h(
          'p',
          {},
          filtered ? t('inputs.page.noMatchHint') : this.addButton ? t('inputs.page.emptyHintAdd') : t('inputs.page.emptyHintWait'),
        ),
      )
    }
  }

  private sources(): string[] {
    return [...new Set(this.catalog.all().map((input) => input.source))].sort((a, b) => a.localeCompare(b, currentLocale()))
  }

  private renderSources(): void {
    const current = this.source.value
    const sources = this.sources()
    replaceChildren(this.source, h('option', { value: '' }, t('inputs.page.allSources')), ...sources.map((source) => h('option', { value: source }, source)))
    this.source.value = sources.includes(current) ? current : ''
  }

  private toggleAddForm(): void {
    const button = this.addButton!
    if (this.addSlot.firstChild) {
      replaceChildren(this.addSlot)
      button.setAttribute('aria-expanded', 'false')
      button.focus()
      return
    }
    button.setAttribute('aria-expanded', 'true')
    const fields = new InputFieldset({}, this.sources(), 'inputs-add-error')
    const error = h('p', { class: 'form-error', role: 'alert', id: 'inputs-add-error' })
    const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('inputs.page.add'))
    const cancel = h('button', { type: 'button', class: 'button button--quiet' }, t('common.cancel'))
    cancel.addEventListener('click', () => this.toggleAddForm())
    const form = h(
      'form',
      { class: 'inputs-add__form', novalidate: true, 'aria-labelledby': 'inputs-add-title' },
      h('h2', { class: 'inputs-add__title', id: 'inputs-add-title' }, t('inputs.page.addTitle')),
      fields.element,
      error,
      h('div', { class: 'input-form__actions' }, cancel, submit),
    )
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      error.textContent = ''
      submit.disabled = true
      try {
        const missing = fields.missing()
        if (missing) throw new FormProblem(missing)
        const input = await createInput(this.view.id, fields.value)
        this.catalog.applyInput(input)
        this.toggleAddForm()
        this.announce(t('inputs.page.added', { title: isolate(input.title) }))
        this.schedule(0)
      } catch (failure) {
        submit.disabled = false
        if (failure instanceof ApiError && failure.isUnauthorized) return this.context.sessionEnded()
        error.textContent = describeProblem(failure, inputFieldLabels())
        if (failure instanceof ApiError && failure.field) fields.markInvalid(failure.field)
      }
    })
    replaceChildren(this.addSlot, form)
    fields.focus()
  }

  private showProblem(error: unknown): void {
    if (error instanceof ApiError && error.isUnauthorized) return this.context.sessionEnded()
    const retry = h('button', { type: 'button', class: 'button button--quiet' }, t('common.tryAgain'))
    retry.addEventListener('click', () => void this.start())
    this.empty.hidden = false
    replaceChildren(this.empty, h('p', { class: 'empty-state__title' }, t('inputs.page.loadFailed')), h('p', {}, describeProblem(error)), retry)
  }

  private announce(text: string): void {
    this.announcer.textContent = text
  }
}
