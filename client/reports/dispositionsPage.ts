import type { DocumentView } from '../../shared/api.js'
import type { DispositionRow } from '../../shared/reports.js'
import { renderCommentBody } from '../comments/commentText.js'
import { dispositionLabel } from '../comments/threadCard.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren } from '../dom.js'
import { formatDate, shorten } from '../format.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { sectionHref } from '../router.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { isolate } from '../i18n/bidi.js'
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
    this.download = h('a', { class: 'button button--quiet', download: 'dispositions.csv' }, icon('download'), t('reports.downloadCsv'))
    this.summary = h('p', { class: 'inputs-count', role: 'status' })
    this.content = h('div', {}, h('p', { class: 'loading' }, t('reports.dispositions.loading')))
    this.loader = new LiveReport({
      fetch: () => fetchDispositions(this.view.id),
      loaded: (rows) => {
        this.rows = rows
        this.renderFilters()
        this.render()
      },
      content: this.content,
      failedTitle: t('reports.dispositions.loadFailed'),
      sessionEnded: () => context.sessionEnded(),
    })
    const grouping = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, t('reports.dispositions.groupBy')))
    const groupings = [
      ['organisation', t('reports.dispositions.byOrganisation')],
      ['section', t('reports.dispositions.bySection')],
    ] as const
    for (const [value, label] of groupings) {
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
          h('h1', { class: 'page__title', tabindex: '-1' }, t('reports.dispositions.title')),
          h('p', { class: 'page__lead' }, t('reports.dispositions.lead')),
        ),
        this.download,
      ),
      reportTabs('dispositions'),
      h(
        'div',
        { class: 'filter-bar', role: 'search', 'aria-label': t('reports.dispositions.filters') },
        h(
          'div',
          { class: 'field filter-bar__field filter-bar__field--fit' },
          h('span', { class: 'field__label', 'aria-hidden': 'true' }, t('reports.dispositions.groupBy')),
          grouping,
        ),
        filter(t('reports.dispositions.organisation'), this.organisation),
        filter(t('reports.dispositions.section'), this.section),
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
    const organisations = [...new Set((this.rows ?? []).map((row) => row.organisation).filter((name) => name !== ''))].sort((a, b) => a.localeCompare(b, currentLocale()))
    const chosenOrganisation = this.organisation.value
    replaceChildren(this.organisation, h('option', { value: '' }, t('reports.dispositions.allOrganisations')), ...organisations.map((name) => h('option', { value: name }, name)))
    this.organisation.value = organisations.includes(chosenOrganisation) ? chosenOrganisation : ''
    const chosenSection = this.section.value
    replaceChildren(
      this.section,
      h('option', { value: '' }, t('reports.dispositions.allSections')),
      ...this.view.sections.map((section, index) => h('option', { value: section.id }, t('reports.sectionNumbered', { number: index + 1, title: isolate(section.title) }))),
    )
    this.section.value = this.view.sections.some((section) => section.id === chosenSection) ? chosenSection : ''
  }

  private render(): void {
    const filters = { organisation: this.organisation.value, section: this.section.value }
    this.download.href = dispositionsCsvHref(this.view.id, filters)
    const all = this.rows
    if (!all) return
    const rows = all.filter((row) => (!filters.organisation || row.organisation === filters.organisation) && (!filters.section || row.sectionId === filters.section))
    const decided = rows.filter((row) => row.disposition !== null).length
    this.summary.textContent = rows.length === 0 ? '' : t('reports.dispositions.summary', { total: rows.length, decided, awaiting: rows.length - decided })
    if (rows.length === 0) {
      const filtered = filters.organisation !== '' || filters.section !== ''
      replaceChildren(
        this.content,
        h(
          'div',
          { class: 'empty-state' },
          h('p', { class: 'empty-state__title' }, filtered ? t('reports.dispositions.noMatchTitle') : t('reports.dispositions.emptyTitle')),
          h('p', {}, filtered ? t('reports.dispositions.noMatchHint') : t('reports.dispositions.emptyHint')),
        ),
      )
      return
    }
    const sectionNumber = new Map(this.view.sections.map((section, index) => [section.id, index + 1]))
    const groups = new Map<string, { title: string; rows: DispositionRow[] }>()
    for (const row of rows) {
      const key = this.grouping === 'organisation' ? row.organisation || t('reports.dispositions.unknownOrganisation') : row.sectionId
      const number = sectionNumber.get(row.sectionId)
      const title = this.grouping === 'organisation' ? key : number === undefined ? row.section : t('reports.sectionNumbered', { number, title: isolate(row.section) })
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
      h('h2', { class: 'panel__title', id }, title, h('span', { class: 'panel__count' }, t('reports.dispositions.decidedOf', { decided, total: rows.length }))),
      h(
        'div',
        { class: 'table-frame' },
        h(
          'table',
          { class: 'data-table dispositions-table', 'aria-labelledby': id },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, bySection ? t('reports.dispositions.column.section') : t('reports.dispositions.column.organisation')),
              h('th', { scope: 'col' }, t('reports.dispositions.column.comment')),
              h('th', { scope: 'col' }, t('reports.dispositions.column.inputs')),
              h('th', { scope: 'col' }, t('reports.dispositions.column.disposition')),
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
      ? h('a', { href: sectionHref(row.sectionId) }, number > 0 ? t('reports.sectionNumbered', { number, title: isolate(row.section) }) : row.section)
      : h('span', {}, row.organisation || t('reports.dispositions.unknownOrganisation'))
    const quote = shorten(row.quote, QUOTE_CHARS)
    return h(
      'tr',
      { 'data-thread-id': row.threadId },
      h('td', { class: 'dispositions-table__where' }, where, h('span', { class: 'dispositions-table__meta' }, h('span', { dir: 'auto' }, row.raisedBy))),
      h(
        'td',
        { class: 'dispositions-table__comment' },
        h('p', { class: 'dispositions-table__quote' }, h('span', { dir: 'auto' }, quote)),
        row.comment ? h('p', { class: 'dispositions-table__body', dir: 'auto' }, renderCommentBody(row.comment, names)) : h('p', { class: 'dispositions-table__meta' }, t('reports.dispositions.commentDeleted')),
        row.suggestion !== null
          ? h('p', { class: 'suggestion-text' }, h('span', { class: 'dispositions-table__meta' }, t('reports.dispositions.suggested')), ' ', h('ins', { dir: 'auto' }, row.suggestion))
          : null,
      ),
      h(
        'td',
        {},
        row.inputs.length > 0 ? h('ul', { class: 'plain-list' }, ...row.inputs.map((input) => h('li', {}, h('span', { dir: 'auto' }, input)))) : h('span', { class: 'dispositions-table__meta' }, t('reports.dispositions.noInputs')),
      ),
      h(
        'td',
        { class: 'dispositions-table__disposition' },
        h('span', { class: 'thread-badge', 'data-disposition': row.disposition ?? 'pending' }, row.disposition ? dispositionLabel(row.disposition) : t('reports.dispositions.awaiting')),
        row.rationale ? h('p', { dir: 'auto' }, row.rationale) : null,
        h(
          'p',
          { class: 'dispositions-table__meta' },
          row.disposition && row.decidedAt
            ? t('reports.dispositions.decidedBy', { name: isolate(row.decidedBy), date: formatDate(row.decidedAt), status: row.status })
            : t('reports.dispositions.threadStatus', { status: row.status }),
        ),
      ),
    )
  }
}
