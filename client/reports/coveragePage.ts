import type { DocumentView } from '../../shared/api.js'
import type { InputKind } from '../../shared/inputs.js'
import type { CoverageReport } from '../../shared/reports.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren, visuallyHidden } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { formatNumber } from '../format.js'
import { icon } from '../icons.js'
import { inputStatusBadge, kindLabel } from '../inputs/inputLabels.js'
import { sectionHref } from '../router.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { LiveReport } from './liveReport.js'
import { coverageCsvHref, fetchCoverage } from './reportApi.js'
import { reportTabs } from './reportTabs.js'

type Grouping = 'kind' | 'source'
type Row = CoverageReport['rows'][number]

/** A horizontal bar with its value in words beside it; the bar itself is decoration. */
function bar(label: Node | string, value: number, total: number, text: string): HTMLLIElement {
  const fill = h('span', { class: 'bar-chart__fill' })
  fill.style.inlineSize = `${total > 0 ? (value / total) * 100 : 0}%`
  return h(
    'li',
    { class: 'bar-chart__row' },
    h('span', { class: 'bar-chart__label' }, label),
    h('span', { class: 'bar-chart__track', 'aria-hidden': 'true' }, fill),
    h('span', { class: 'bar-chart__value' }, text),
  )
}

/**
 * The coverage report (`#/coverage`): for every conference input, which
 * sections address it, through linked comment threads or an explicit
 * "addressed in"; summaries per kind and per source; a chart of how many
 * inputs each section addresses; and the CSV the server makes of it.
 * It reloads when threads or inputs change, so it is never stale.
 */
export class CoveragePage implements AppPage {
  readonly element: HTMLElement
  private view: DocumentView
  private report: CoverageReport | null = null
  private grouping: Grouping = 'kind'
  private readonly eyebrow: HTMLElement
  private readonly content: HTMLElement
  private readonly unsubscribe: () => void
  private readonly loader: LiveReport<CoverageReport>

  constructor(
    view: DocumentView,
    private readonly context: PageContext,
    events: DocumentEvents,
  ) {
    this.view = view
    this.eyebrow = h('p', { class: 'page__eyebrow' }, view.title)
    this.content = h('div', {}, h('p', { class: 'loading' }, t('reports.coverage.loading')))
    this.loader = new LiveReport({
      fetch: () => fetchCoverage(this.view.id),
      loaded: (report) => {
        this.report = report
        this.render()
      },
      content: this.content,
      failedTitle: t('reports.coverage.loadFailed'),
      sessionEnded: () => context.sessionEnded(),
    })
    this.element = h(
      'div',
      { class: 'page page--wide', 'data-testid': 'coverage-page' },
      h(
        'header',
        { class: 'page__header page-header-row' },
        h(
          'div',
          { class: 'page-header-row__text' },
          this.eyebrow,
          h('h1', { class: 'page__title', tabindex: '-1' }, t('reports.coverage.title')),
          h('p', { class: 'page__lead' }, t('reports.coverage.lead')),
        ),
        h('a', { class: 'button button--quiet', href: coverageCsvHref(view.id), download: 'coverage.csv' }, icon('download'), t('reports.downloadCsv')),
      ),
      reportTabs('coverage'),
      this.content,
    )
    const reload = (): void => this.loader.schedule()
    this.unsubscribe = events.listen({ thread: reload, input: reload, inputMerged: reload, resync: reload })
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

  private render(): void {
    const report = this.report!
    if (report.rows.length === 0) {
      replaceChildren(
        this.content,
        h(
          'div',
          { class: 'empty-state' },
          h('p', { class: 'empty-state__title' }, t('reports.coverage.emptyTitle')),
          h('p', {}, t('reports.coverage.emptyHint')),
        ),
      )
      return
    }
    const addressed = report.rows.filter((row) => row.addressed).length
    const total = report.rows.length
    const progress = h('div', { class: 'progress-line', 'aria-hidden': 'true' }, h('span', { class: 'progress-line__fill' }))
    ;(progress.firstChild as HTMLElement).style.inlineSize = `${(addressed / total) * 100}%`
    replaceChildren(
      this.content,
      h(
        'section',
        { class: 'report-summary', 'aria-label': t('reports.coverage.summary') },
        h('p', { class: 'report-summary__headline' }, t('reports.coverage.headline', { addressed, total })),
        progress,
        h(
          'p',
          { class: 'report-summary__detail' },
          total - addressed === 0 ? t('reports.coverage.allAddressed') : t('reports.coverage.stillOpen', { open: total - addressed }),
        ),
      ),
      h(
        'div',
        { class: 'report-grid' },
        this.sectionChart(report),
        this.tally(t('reports.coverage.byKind'), 'coverage-by-kind', report.byKind.map((group) => ({ ...group, name: kindLabel(group.name as InputKind) }))),
        this.tally(t('reports.coverage.bySource'), 'coverage-by-source', report.bySource),
      ),
      this.matrix(report),
    )
  }

  private sectionChart(report: CoverageReport): HTMLElement {
    const total = report.rows.length
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'coverage-sections' },
      h('h2', { class: 'panel__title', id: 'coverage-sections' }, t('reports.coverage.perSection')),
      h(
        'ol',
        { class: 'bar-chart', 'data-testid': 'coverage-chart', 'aria-labelledby': 'coverage-sections' },
        ...report.sections.map((section, index) =>
          bar(
            h('a', { href: sectionHref(section.id) }, h('span', { class: 'bar-chart__number' }, formatNumber(index + 1)), h('span', { dir: 'auto' }, section.title)),
            section.inputsAddressed,
            total,
            t('reports.coverage.inputCount', { count: section.inputsAddressed }),
          ),
        ),
      ),
    )
  }

  private tally(title: string, id: string, groups: { name: string; total: number; addressed: number }[]): HTMLElement {
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': id },
      h('h2', { class: 'panel__title', id }, title),
      h(
        'ul',
        { class: 'bar-chart', 'aria-labelledby': id },
        ...groups.map((group) => bar(group.name, group.addressed, group.total, t('reports.coverage.addressedOf', { addressed: group.addressed, total: group.total }))),
      ),
    )
  }

  private matrix(report: CoverageReport): HTMLElement {
    const name = 'coverage-grouping'
    const choices = (['kind', 'source'] as const).map((value) => {
      const input = h('input', { type: 'radio', name, value, class: 'segmented__input', checked: this.grouping === value })
      input.addEventListener('change', () => {
        this.grouping = value
        this.render()
        this.element.querySelector<HTMLInputElement>(`input[name="${name}"][value="${value}"]`)?.focus()
      })
      return h('label', { class: 'segmented__option' }, input, h('span', { class: 'segmented__label' }, value === 'kind' ? t('reports.coverage.byKind') : t('reports.coverage.bySource')))
    })
    const groups = new Map<string, Row[]>()
    for (const row of report.rows) {
      const key = this.grouping === 'kind' ? kindLabel(row.kind) : row.source
      groups.set(key, [...(groups.get(key) ?? []), row])
    }
    const columns = report.sections.length + 2
    const table = h(
      'table',
      { class: 'matrix', 'data-testid': 'coverage-matrix' },
      h('caption', { class: 'visually-hidden' }, t('reports.coverage.matrixCaption')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', class: 'matrix__input' }, t('reports.coverage.input')),
          ...report.sections.map((section, index) =>
            h('th', { scope: 'col', class: 'matrix__section', title: section.title }, h('a', { href: sectionHref(section.id) }, h('span', { 'aria-hidden': 'true', dir: 'ltr' }, t('reports.coverage.sectionNumber', { number: index + 1 })), visuallyHidden(section.title))),
          ),
          h('th', { scope: 'col' }, t('reports.coverage.addressed')),
        ),
      ),
      ...[...groups.entries()].map(([group, rows]) =>
        h(
          'tbody',
          {},
          h(
            'tr',
            { class: 'matrix__group' },
            h('th', { scope: 'colgroup', colspan: columns }, group, h(
              'span',
              { class: 'matrix__group-count' },
              t('reports.coverage.groupCount', { addressed: rows.filter((row) => row.addressed).length, total: rows.length }),
            )),
          ),
          ...rows.map((row) => this.matrixRow(row)),
        ),
      ),
    )
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'coverage-matrix' },
      h(
        'div',
        { class: 'panel__header-row' },
        h('h2', { class: 'panel__title', id: 'coverage-matrix' }, t('reports.coverage.matrixTitle')),
        h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, t('reports.coverage.groupInputs')), ...choices),
      ),
      h('p', { class: 'panel__lead' }, t('reports.coverage.matrixLead')),
      h('div', { class: 'table-frame', tabindex: '0', role: 'region', 'aria-label': t('reports.coverage.matrixRegion') }, table),
    )
  }

  private matrixRow(row: Row): HTMLTableRowElement {
    return h(
      'tr',
      { 'data-input-id': row.inputId },
      h(
        'th',
        { scope: 'row', class: 'matrix__input' },
        h('span', { class: 'matrix__title' }, h('span', { dir: 'auto' }, row.title)),
        h(
          'span',
          { class: 'matrix__meta' },
          h('span', { class: 'matrix__origin', title: row.source, dir: 'auto' }, this.grouping === 'kind' ? row.source : kindLabel(row.kind)),
          // Open is the rule here (the Addressed column says the rest); only a decided status is worth a badge.
          row.status === 'open' ? null : inputStatusBadge(row.status),
        ),
      ),
      ...row.cells.map((cell) => {
        const parts: HTMLElement[] = []
        if (cell.threads > 0) parts.push(h('span', { class: 'matrix__threads' }, t('reports.coverage.threadCount', { count: cell.threads })))
        if (cell.explicit) parts.push(h('span', { class: 'matrix__marked' }, t('reports.coverage.marked')))
        return h(
          'td',
          { class: parts.length > 0 ? 'matrix__cell matrix__cell--hit' : 'matrix__cell' },
          ...(parts.length > 0 ? parts : [h('span', { 'aria-hidden': 'true', class: 'matrix__none' }, '·'), visuallyHidden(t('reports.coverage.none'))]),
        )
      }),
      h('td', { class: 'matrix__cell' }, h('span', { class: row.addressed ? 'yes-no yes-no--yes' : 'yes-no' }, row.addressed ? t('reports.coverage.yes') : t('reports.coverage.no'))),
    )
  }
}
