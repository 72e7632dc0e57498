import type { DocumentView } from '../../shared/api.js'
import type { DispositionRow } from '../../shared/reports.js'
import { renderCommentBody } from '../comments/commentText.js'
import { dispositionLabel } from '../comments/threadCard.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren } from '../dom.js'
import { formatDate } from '../format.js'
import { icon } from '../icons.js'
import { sectionHref } from '../router.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { LiveReport } from './liveReport.js'
import { dispositionsCsvHref, fetchDispositions } from './reportApi.js'
import { reportTabs } from './reportTabs.js'

type Grouping = 'organisation' | 'section'

const QUOTE_CHARS = 160

/**
 * What became of every comment (`#/dispositions`): one table per National
 * Society or per section, filtered by either, each thread with the text it
 * was about, the comment, any suggested replacement, its linked inputs and
 * the drafting committee's disposition with its rationale. The CSV link
 * downloads the same rows. It reloads when threads change.
 */
export class DispositionsPage implements AppPage {
  readonly element: HTMLElement
  private view: DocumentView
  private rows: DispositionRow[] | null = null
  private grouping: Grouping = 'organisation'
  private readonly eyebrow: HTMLElement
  private readonly organisation: HTMLSelectElement
  private readonly section: HTMLSelectElement
  private readonly download: HTMLAnchorElement
  private readonly summary: HTMLElement
  private readonly content: HTMLElement
  private readonly unsubscribe: () => void
  private readonly loader: LiveReport<DispositionRow[]>

  constructor(
    view: DocumentView,
    private readonly context: PageContext,
    events: DocumentEvents,
  ) {
    this.view = view
    this.eyebrow = h('p', { class: 'page__eyebrow' }, view.title)
    this.organisation = h('select', { id: 'dispositions-organisation', class: 'text-input' })
    this.section = h('select', { id: 'dispositions-section', class: 'text-input' })
    this.download = h('a', { class: 'button button--quiet', download: 'dispositions.csv' }, icon('download'), 'Download CSV')
    this.summary = h('p', { class: 'inputs-count', role: 'status' })
    this.content = h('div', {}, h('p', { class: 'loading' }, 'Loading the dispositions…'))
    this.loader = new LiveReport({
      fetch: () => fetchDispositions(this.view.id),
      loaded: (rows) => {
        this.rows = rows
        this.renderFilters()
        this.render()
      },
      content: this.content,
      what: 'The dispositions',
      sessionEnded: () => context.sessionEnded(),
    })
    const grouping = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, 'Group by'))
    for (const [value, label] of [['organisation', 'By National Society'], ['section', 'By section']] as const) {
      const input = h('input', { type: 'radio', name: 'dispositions-grouping', value, class: 'segmented__input', checked: value === this.grouping })
      input.addEventListener('change', () => {
        this.grouping = value
        this.render()
      })
      grouping.append(h('label', { class: 'segmented__option' }, input, h('span', { class: 'segmented__label' }, label)))
    }
    for (const select of [this.organisation, this.section]) select.addEventListener('change', () => this.render())
    const filter = (label: string, control: HTMLElement) => h('div', { class: 'field filter-bar__field' }, h('label', { class: 'field__label', for: control.id }, label), control)
    this.element = h(
      'div',
      { class: 'page page--wide', 'data-testid': 'dispositions-page' },
      h(
        'header',
        { class: 'page__header page-header-row' },
        h(
          'div',
          { class: 'page-header-row__text' },
          this.eyebrow,
          h('h1', { class: 'page__title', tabindex: '-1' }, 'Dispositions'),
          h('p', { class: 'page__lead' }, 'What became of each comment from the National Societies: accepted, accepted with changes, not retained or noted, with the drafting committee’s rationale.'),
        ),
        this.download,
      ),
      reportTabs('dispositions'),
      h(
        'div',
        { class: 'filter-bar', role: 'search', 'aria-label': 'Filter dispositions' },
        h('div', { class: 'field filter-bar__field filter-bar__field--fit' }, h('span', { class: 'field__label', 'aria-hidden': 'true' }, 'Group by'), grouping),
        filter('National Society', this.organisation),
        filter('Section', this.section),
      ),
      this.summary,
      this.content,
    )
    const reload = (): void => this.loader.schedule()
    this.unsubscribe = events.listen({ thread: reload, inputMerged: reload, resync: reload })
    this.renderFilters()
    void this.loader.load()
  }

  documentChanged(view: DocumentView): void {
    this.view = view
    this.eyebrow.textContent = view.title
    this.loader.schedule()
  }

  destroy(): void {
    this.unsubscribe()
    this.loader.destroy()
  }

  // The filter options come from the rows (organisations) and the document (sections); choices survive reloads.
  private renderFilters(): void {
    const organisations = [...new Set((this.rows ?? []).map((row) => row.organisation).filter((name) => name !== ''))].sort((a, b) => a.localeCompare(b))
    const chosenOrganisation = this.organisation.value
    replaceChildren(this.organisation, h('option', { value: '' }, 'All National Societies'), ...organisations.map((name) => h('option', { value: name }, name)))
    this.organisation.value = organisations.includes(chosenOrganisation) ? chosenOrganisation : ''
    const chosenSection = this.section.value
    replaceChildren(this.section, h('option', { value: '' }, 'All sections'), ...this.view.sections.map((section, index) => h('option', { value: section.id }, `${index + 1}. ${section.title}`)))
    this.section.value = this.view.sections.some((section) => section.id === chosenSection) ? chosenSection : ''
  }

  private render(): void {
    const filters = { organisation: this.organisation.value, section: this.section.value }
    this.download.href = dispositionsCsvHref(this.view.id, filters)
    const all = this.rows
    if (!all) return
    const rows = all.filter((row) => (!filters.organisation || row.organisation === filters.organisation) && (!filters.section || row.sectionId === filters.section))
    const decided = rows.filter((row) => row.disposition !== null).length
    this.summary.textContent = rows.length === 0 ? '' : `${rows.length} ${rows.length === 1 ? 'thread' : 'threads'}: ${decided} decided, ${rows.length - decided} awaiting a decision`
    if (rows.length === 0) {
      const filtered = filters.organisation !== '' || filters.section !== ''
      replaceChildren(
        this.content,
        h(
          'div',
          { class: 'empty-state' },
          h('p', { class: 'empty-state__title' }, filtered ? 'No comments match these filters' : 'No comments yet'),
          h('p', {}, filtered ? 'Choose “All” in a filter to see more.' : 'When reviewers comment on the sections, their comments and what became of them are listed here.'),
        ),
      )
      return
    }
    const sectionNumber = new Map(this.view.sections.map((section, index) => [section.id, index + 1]))
    const groups = new Map<string, { title: string; rows: DispositionRow[] }>()
    for (const row of rows) {
      const key = this.grouping === 'organisation' ? row.organisation || 'Unknown organisation' : row.sectionId
      const title = this.grouping === 'organisation' ? key : `${sectionNumber.get(row.sectionId) ?? '–'}. ${row.section}`
      const group = groups.get(key) ?? { title, rows: [] }
      group.rows.push(row)
      groups.set(key, group)
    }
    const ordered = [...groups.values()]
    if (this.grouping === 'section') ordered.sort((a, b) => (sectionNumber.get(a.rows[0]!.sectionId) ?? 0) - (sectionNumber.get(b.rows[0]!.sectionId) ?? 0))
    const names = [...new Set(all.flatMap((row) => [row.raisedBy, row.decidedBy]).filter((name) => name !== ''))]
    replaceChildren(this.content, ...ordered.map((group, index) => this.table(group.title, group.rows, `dispositions-group-${index}`, names)))
  }

  private table(title: string, rows: DispositionRow[], id: string, names: string[]): HTMLElement {
    const bySection = this.grouping === 'organisation'
    const decided = rows.filter((row) => row.disposition !== null).length
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': id },
      h('h2', { class: 'panel__title', id }, title, h('span', { class: 'panel__count' }, `${decided} of ${rows.length} decided`)),
      h(
        'div',
        { class: 'table-frame' },
        h(
          'table',
          { class: 'data-table dispositions-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, bySection ? 'Section, raised by' : 'National Society, raised by'),
              h('th', { scope: 'col' }, 'Comment'),
              h('th', { scope: 'col' }, 'Conference inputs'),
              h('th', { scope: 'col' }, 'Disposition'),
            ),
          ),
          h('tbody', {}, ...rows.map((row) => this.row(row, bySection, names))),
        ),
      ),
    )
  }

  private row(row: DispositionRow, bySection: boolean, names: string[]): HTMLTableRowElement {
    const number = this.view.sections.findIndex((section) => section.id === row.sectionId) + 1
    const where = bySection
      ? h('a', { href: sectionHref(row.sectionId) }, number > 0 ? `${number}. ${row.section}` : row.section)
      : h('span', {}, row.organisation || 'Unknown organisation')
    const quote = row.quote.length > QUOTE_CHARS ? `${row.quote.slice(0, QUOTE_CHARS - 1).trimEnd()}…` : row.quote
    return h(
      'tr',
      { 'data-thread-id': row.threadId },
      h('td', { class: 'dispositions-table__where' }, where, h('span', { class: 'dispositions-table__meta' }, row.raisedBy)),
      h(
        'td',
        { class: 'dispositions-table__comment' },
        h('p', { class: 'dispositions-table__quote' }, quote),
        row.comment ? h('p', { class: 'dispositions-table__body' }, renderCommentBody(row.comment, names)) : h('p', { class: 'dispositions-table__meta' }, 'The comment was deleted.'),
        row.suggestion !== null ? h('p', { class: 'suggestion-text' }, h('span', { class: 'dispositions-table__meta' }, 'Suggested: '), h('ins', {}, row.suggestion)) : null,
      ),
      h(
        'td',
        {},
        row.inputs.length > 0 ? h('ul', { class: 'plain-list' }, ...row.inputs.map((input) => h('li', {}, input))) : h('span', { class: 'dispositions-table__meta' }, 'None linked'),
      ),
      h(
        'td',
        { class: 'dispositions-table__disposition' },
        h('span', { class: 'thread-badge', 'data-disposition': row.disposition ?? 'pending' }, row.disposition ? dispositionLabel(row.disposition) : 'Awaiting decision'),
        row.rationale ? h('p', {}, row.rationale) : null,
        h(
          'p',
          { class: 'dispositions-table__meta' },
          row.disposition && row.decidedAt ? `${row.decidedBy}, ${formatDate(row.decidedAt)}` : '',
          row.status === 'resolved' ? (row.disposition ? ' · thread resolved' : 'Thread resolved') : row.disposition ? ' · thread open' : 'Thread open',
        ),
      ),
    )
  }
}
