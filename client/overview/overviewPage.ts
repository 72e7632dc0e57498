import type { DocumentView, SectionView } from '../../shared/api.js'
import { can } from '../../shared/roles.js'
import type { SectionStatus } from '../../shared/roles.js'
import { h, replaceChildren } from '../dom.js'
import { formatNumber } from '../format.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { sectionHref } from '../router.js'
import { approvalRecord, changeRequestNote, previousApproval } from '../section/approvalRecord.js'
import { statusBadge, statusLabel } from '../section/sectionStatus.js'
import type { AppPage, PageContext } from '../shell/appPage.js'

// Leadership looks first at what waits for a decision, then at work in progress, then at what is done.
const GROUP_ORDER: SectionStatus[] = ['in_review', 'drafting', 'approved']

// The progress bar fills from approved, through in review, to drafting; its legend follows it.
const PROGRESS_ORDER: SectionStatus[] = ['approved', 'in_review', 'drafting']

const EMPTY_TEXT: Record<SectionStatus, MessageKey> = {
  in_review: 'overview.empty.in_review',
  drafting: 'overview.empty.drafting',
  approved: 'overview.empty.approved',
}

/**
 * The overview for leadership (`#/overview`): every section of the document
 * grouped by status, with counts, each with its approval record or the
 * approver's request for changes, linking to the section. It follows the
 * document's event stream, so decisions show up as they are taken.
 */
export class OverviewPage implements AppPage {
  readonly element: HTMLElement
  private readonly eyebrow: HTMLElement
  private readonly summary: HTMLElement
  private readonly groups: HTMLElement

  constructor(
    view: DocumentView,
    private readonly context: PageContext,
  ) {
    this.eyebrow = h('p', { class: 'page__eyebrow' })
    this.summary = h('div', { class: 'overview-summary' })
    this.groups = h('div', { class: 'overview-groups' })
    this.element = h(
      'div',
      { class: 'page', 'data-testid': 'overview' },
      h(
        'header',
        { class: 'page__header' },
        this.eyebrow,
        h('h1', { class: 'page__title', tabindex: '-1' }, t('overview.title')),
        h('p', { class: 'page__lead' }, this.leadText()),
      ),
      this.summary,
      this.groups,
    )
    this.render(view)
  }

  documentChanged(view: DocumentView): void {
    this.render(view)
  }

  private leadText(): string {
    return can(this.context.user, 'section.approve')
      ? t('overview.lead.approver')
      : t('overview.lead.other')
  }

  private render(view: DocumentView): void {
    // A live update must not throw the keyboard user off the link they are on.
    const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId
    this.eyebrow.textContent = view.title
    const numbered = view.sections.map((section, index) => ({ section, number: index + 1 }))
    const counts = new Map(GROUP_ORDER.map((status) => [status, numbered.filter(({ section }) => section.status === status).length]))
    replaceChildren(this.summary, ...this.summaryOf(view.sections.length, counts))
    replaceChildren(
      this.groups,
      ...GROUP_ORDER.map((status) => this.group(status, numbered.filter(({ section }) => section.status === status))),
    )
    if (focused) this.groups.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(focused)}"] a`)?.focus()
  }

  // "3 of 8 sections approved", a bar in the same proportions (decorative), and the counts in words.
  private summaryOf(total: number, counts: Map<SectionStatus, number>): HTMLElement[] {
    if (total === 0) {
      return [h('p', { class: 'overview-summary__headline' }, t('overview.noSections'))]
    }
    const approved = counts.get('approved') ?? 0
    const bar = h('div', { class: 'progress', 'aria-hidden': 'true' })
    for (const status of PROGRESS_ORDER) {
      const count = counts.get(status) ?? 0
      if (count === 0) continue
      const segment = h('span', { class: 'progress__segment', 'data-status': status })
      segment.style.flexGrow = String(count)
      bar.append(segment)
    }
    return [
      h('p', { class: 'overview-summary__headline' }, t('overview.approvedOfTotal', { approved, total })),
      bar,
      h(
        'ul',
        { class: 'overview-summary__counts' },
        ...PROGRESS_ORDER.map((status) => h('li', {}, statusBadge(status, 'small'), h('span', { class: 'overview-summary__count' }, formatNumber(counts.get(status) ?? 0)))),
      ),
    ]
  }

  private group(status: SectionStatus, sections: { section: SectionView; number: number }[]): HTMLElement {
    const headingId = `overview-${status}`
    return h(
      'section',
      { class: 'overview-group', 'aria-labelledby': headingId, 'data-testid': `overview-group-${status}` },
      h(
        'h2',
        { class: 'overview-group__title', id: headingId },
        statusLabel(status),
        h('span', { class: 'overview-group__count' }, t('overview.sectionCount', { count: sections.length })),
      ),
      sections.length === 0
        ? h('p', { class: 'overview-group__empty' }, t(EMPTY_TEXT[status]))
        : h('ul', { class: 'overview-list' }, ...sections.map(({ section, number }) => this.item(section, number))),
    )
  }

  private item(section: SectionView, number: number): HTMLElement {
    return h(
      'li',
      { class: 'overview-item', 'data-section-id': section.id },
      h('span', { class: 'overview-item__number', 'aria-hidden': 'true' }, formatNumber(number)),
      h(
        'div',
        { class: 'overview-item__body' },
        h('a', { class: 'overview-item__title', href: sectionHref(section.id) }, section.title),
        this.detail(section),
      ),
    )
  }

  private detail(section: SectionView): HTMLElement {
    if (section.status === 'approved' && section.approval) return approvalRecord({ ...section, approval: section.approval }, true)
    if (section.status === 'in_review') {
      return h(
        'p',
        { class: 'record__line record__line--muted' },
        can(this.context.user, 'section.approve', section) ? t('overview.waiting.you') : t('overview.waiting.approver'),
      )
    }
    if (section.changeRequest) return changeRequestNote(section.changeRequest, true)
    if (section.approval) return previousApproval(section.approval)
    return h('p', { class: 'record__line record__line--muted' }, t('overview.beingDrafted'))
  }
}
