import type { InputView } from '../../shared/inputs.js'
import { h, replaceChildren } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { fetchInputs } from '../inputs/inputApi.js'
import { kindTag } from '../inputs/inputLabels.js'
import { describeProblem } from '../problems.js'
import { isolate } from '../i18n/bidi.js'

let nextId = 0

const SEARCH_DELAY_MS = 200
const MAX_RESULTS = 8

/** What a picker searches and what it starts with. */
export interface InputPickerOptions {
  documentId: string
  label: string
  selected: InputView[]
}

/**
 * Links conference inputs to a comment: a search box that asks the server
 * as the user types (`/api/inputs?q=`), a list of matches to choose from
 * with the arrow keys and Enter, and the chosen inputs as removable chips.
 */
export class InputPicker {
  readonly element: HTMLElement
  private readonly input: HTMLInputElement
  private readonly results: HTMLUListElement
  private readonly chips: HTMLUListElement
  private readonly status: HTMLElement
  private readonly id = `input-picker-${++nextId}`
  private selected: InputView[]
  private matches: InputView[] = []
  private active = 0
  private searchTimer: number | null = null
  private searchNumber = 0

  constructor(private readonly options: InputPickerOptions) {
    this.selected = [...options.selected]
    this.input = h('input', {
      id: `${this.id}-search`,
      class: 'text-input input-picker__search',
      type: 'search',
      role: 'combobox',
      autocomplete: 'off',
      placeholder: t('comments.picker.placeholder'),
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': `${this.id}-results`,
      'aria-describedby': `${this.id}-status`,
    })
    this.results = h('ul', { id: `${this.id}-results`, class: 'input-picker__results', role: 'listbox', 'aria-label': t('comments.picker.results'), hidden: true })
    this.chips = h('ul', { class: 'chip-list', 'aria-label': t('comments.picker.linked') })
    this.status = h('p', { id: `${this.id}-status`, class: 'input-picker__status', 'aria-live': 'polite' })
    this.element = h(
      'div',
      { class: 'input-picker' },
      h('label', { class: 'field__label', for: this.input.id }, options.label),
      this.chips,
      h('div', { class: 'input-picker__box' }, this.input, this.results),
      this.status,
    )
    this.input.addEventListener('input', () => this.scheduleSearch())
    this.input.addEventListener('focus', () => this.scheduleSearch())
    this.input.addEventListener('keydown', (event) => this.onKeydown(event))
    this.input.addEventListener('blur', () => this.close())
    this.renderChips()
  }

  /** Ids of the chosen inputs. */
  get inputIds(): string[] {
    return this.selected.map((input) => input.id)
  }

  /** Stops a search that is still waiting. */
  destroy(): void {
    if (this.searchTimer !== null) window.clearTimeout(this.searchTimer)
    this.searchNumber++
  }

  private scheduleSearch(): void {
    if (this.searchTimer !== null) window.clearTimeout(this.searchTimer)
    this.searchTimer = window.setTimeout(() => {
      this.searchTimer = null
      void this.search()
    }, SEARCH_DELAY_MS)
  }

  private async search(): Promise<void> {
    const number = ++this.searchNumber
    const query = this.input.value.trim()
    let found: InputView[]
    try {
      found = await fetchInputs({ documentId: this.options.documentId, q: query })
    } catch (error) {
      if (number !== this.searchNumber) return
      this.status.textContent = t('comments.picker.searchFailed', { problem: describeProblem(error) })
      return
    }
    // An answer to an older search (the user typed on) is dropped.
    if (number !== this.searchNumber || document.activeElement !== this.input) return
    const chosen = new Set(this.inputIds)
    const available = found.filter((input) => !chosen.has(input.id))
    this.matches = available.slice(0, MAX_RESULTS)
    this.active = 0
    if (this.matches.length === 0) {
      this.close()
      this.status.textContent = query === '' ? t('comments.picker.allLinked') : t('comments.picker.noMatch', { query: isolate(query) })
      return
    }
    this.status.textContent =
      available.length > this.matches.length
        ? t('comments.picker.showing', { shown: this.matches.length, total: available.length })
        : t('comments.picker.matches', { count: available.length })
    this.renderResults()
  }

  private renderResults(): void {
    replaceChildren(
      this.results,
      ...this.matches.map((input, index) => {
        const option = h(
          'li',
          { id: `${this.id}-option-${index}`, class: 'input-picker__option', role: 'option', 'aria-selected': String(index === this.active) },
          h('bdi', { class: 'input-picker__title' }, input.title),
          h('span', { class: 'input-picker__meta' }, kindTag(input.kind), h('bdi', { class: 'input-picker__source' }, input.source)),
        )
        option.addEventListener('mousedown', (event) => event.preventDefault())
        option.addEventListener('click', () => this.choose(index))
        return option
      }),
    )
    this.results.hidden = false
    this.input.setAttribute('aria-expanded', 'true')
    this.input.setAttribute('aria-activedescendant', `${this.id}-option-${this.active}`)
    this.results.querySelector(`#${this.id}-option-${this.active}`)?.scrollIntoView({ block: 'nearest' })
  }

  private close(): void {
    this.results.hidden = true
    this.input.setAttribute('aria-expanded', 'false')
    this.input.removeAttribute('aria-activedescendant')
  }

  private choose(index: number): void {
    const input = this.matches[index]
    if (!input) return
    this.selected.push(input)
    this.renderChips()
    this.input.value = ''
    this.close()
    this.status.textContent = t('comments.picker.linkedNotice', { title: isolate(input.title) })
  }

  private remove(input: InputView): void {
    this.selected = this.selected.filter((candidate) => candidate.id !== input.id)
    this.renderChips()
    this.status.textContent = t('comments.picker.removedNotice', { title: isolate(input.title) })
    this.input.focus()
  }

  private renderChips(): void {
    this.chips.hidden = this.selected.length === 0
    replaceChildren(
      this.chips,
      ...this.selected.map((input) => {
        const remove = h('button', { type: 'button', class: 'chip__remove', 'aria-label': t('comments.picker.remove', { title: input.title }), title: t('comments.picker.removeTitle') }, '×')
        remove.addEventListener('click', () => this.remove(input))
        return h('li', { class: 'chip', title: `${input.title} — ${input.source}` }, kindTag(input.kind), h('span', { class: 'chip__text', dir: 'auto' }, input.title), remove)
      }),
    )
  }

  private onKeydown(event: KeyboardEvent): void {
    const open = !this.results.hidden
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      if (!open) return this.scheduleSearch()
      const count = this.matches.length
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count
      this.renderResults()
    } else if (event.key === 'Enter') {
      // Enter in the search box picks an input; it never sends the surrounding form.
      event.preventDefault()
      if (open) this.choose(this.active)
    } else if (event.key === 'Escape' && open) {
      event.preventDefault()
      event.stopPropagation()
      this.close()
    }
  }
}
