import type { AuditEntryView } from '../../shared/api.js'
import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { timeElement } from '../format.js'
import { describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { adminFrame } from './adminFrame.js'
import { fetchAudit, type AuditFilter } from './adminApi.js'

/** How many entries one view of the log shows. */
const LIMIT = 200

/**
 * What each audit action is called. The keys are the server's actions
 * (`AUDIT_ACTIONS` in server/storage/database.ts); an action missing here is
 * still listed, under its own name.
 */
const ACTION_LABELS: Record<string, string> = {
  login: 'Signed in',
  login_failed: 'Failed sign-in',
  logout: 'Signed out',
  user_invited: 'User invited',
  invite_accepted: 'Invite accepted',
  role_changed: 'Role changed',
  user_deactivated: 'User deactivated',
  user_reactivated: 'User reactivated',
  section_submitted: 'Submitted for review',
  section_approved: 'Section approved',
  changes_requested: 'Changes requested',
  section_reopened: 'Section reopened',
  section_created: 'Section added',
  section_renamed: 'Section renamed',
  sections_reordered: 'Sections reordered',
  section_deleted: 'Section deleted',
  section_restored: 'Section restored',
  document_exported: 'Document exported',
  version_restored: 'Version restored',
  input_merged: 'Inputs merged',
  disposition_recorded: 'Disposition recorded',
  suggestion_accepted: 'Suggestion accepted',
  suggestion_rejected: 'Suggestion rejected',
}

function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action.replaceAll('_', ' ')
}

/** The ISO moment a `<input type="date">` value starts, in the reader's time zone; `days` later if given. */
function startOfDay(value: string, days = 0): string {
  const [year, month, day] = value.split('-').map(Number)
  return new Date(year!, month! - 1, day! + days).toISOString()
}

/**
 * The audit log (`#/admin/audit`): who did what and when, newest first,
 * filtered by action and by a range of days. Entries are only ever added,
 * so the page shows them as they were recorded.
 */
export class AuditPage implements AppPage {
  /** Fetches the latest entries, then builds the page. */
  static async open(context: PageContext): Promise<AuditPage> {
    return new AuditPage(context, await fetchAudit({ limit: LIMIT }))
  }

  readonly element: HTMLElement
  private readonly action: HTMLSelectElement
  private readonly since: HTMLInputElement
  private readonly until: HTMLInputElement
  private readonly clear: HTMLButtonElement
  private readonly summary: HTMLElement
  private readonly problem: HTMLElement
  private readonly results: HTMLElement
  // Each query gets a number; an answer to an older one is dropped.
  private query = 0

  private constructor(
    private readonly context: PageContext,
    entries: AuditEntryView[],
  ) {
    this.action = h(
      'select',
      { id: 'audit-action', class: 'text-input' },
      h('option', { value: '' }, 'All actions'),
      ...Object.entries(ACTION_LABELS)
        .sort(([, a], [, b]) => a.localeCompare(b))
        .map(([value, label]) => h('option', { value }, label)),
    )
    this.since = h('input', { id: 'audit-since', class: 'text-input', type: 'date' })
    this.until = h('input', { id: 'audit-until', class: 'text-input', type: 'date' })
    this.clear = h('button', { type: 'button', class: 'button button--quiet' }, 'Clear filters')
    this.summary = h('p', { class: 'panel__status', role: 'status' })
    this.problem = h('p', { class: 'form-error', role: 'alert' })
    this.results = h('div', {})
    for (const control of [this.action, this.since, this.until]) control.addEventListener('change', () => void this.load())
    this.clear.addEventListener('click', () => {
      this.action.value = ''
      this.since.value = ''
      this.until.value = ''
      void this.load()
      this.action.focus()
    })
    this.element = adminFrame(
      'audit',
      'Sign-ins, role changes, workflow decisions, structure changes, exports and restores, as they were recorded. Entries cannot be changed or removed.',
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'audit-heading' },
        h('h2', { class: 'visually-hidden', id: 'audit-heading' }, 'Entries'),
        h(
          'div',
          { class: 'filters', role: 'search', 'aria-label': 'Filter the audit log' },
          h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'audit-action' }, 'Action'), this.action),
          h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'audit-since' }, 'From'), this.since),
          h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'audit-until' }, 'To'), this.until),
          h('div', { class: 'filters__clear' }, this.clear),
        ),
        this.summary,
        this.problem,
        this.results,
      ),
    )
    this.show(entries)
  }

  private filter(): AuditFilter | string {
    const since = this.since.value
    const until = this.until.value
    if (since && until && since > until) return 'The “From” day is after the “To” day. Change one of them.'
    return {
      limit: LIMIT,
      action: this.action.value || undefined,
      since: since ? startOfDay(since) : undefined,
      // Up to the end of the chosen day.
      until: until ? startOfDay(until, 1) : undefined,
    }
  }

  private async load(): Promise<void> {
    const filter = this.filter()
    const query = ++this.query
    this.clear.hidden = !this.action.value && !this.since.value && !this.until.value
    if (typeof filter === 'string') {
      this.problem.textContent = filter
      return
    }
    this.problem.textContent = ''
    this.results.setAttribute('aria-busy', 'true')
    try {
      const entries = await fetchAudit(filter)
      if (query === this.query) this.show(entries)
    } catch (error) {
      if (query !== this.query) return
      if (error instanceof ApiError && error.isUnauthorized) return this.context.sessionEnded()
      this.problem.textContent = `The log could not be loaded. ${describeProblem(error)}`
    } finally {
      if (query === this.query) this.results.removeAttribute('aria-busy')
    }
  }

  private show(entries: AuditEntryView[]): void {
    const filtered = Boolean(this.action.value || this.since.value || this.until.value)
    this.clear.hidden = !filtered
    if (entries.length === 0) {
      this.summary.textContent = ''
      replaceChildren(
        this.results,
        h('p', { class: 'panel__empty' }, filtered ? 'No entries match these filters. Choose another action or widen the days.' : 'The audit log is empty.'),
      )
      return
    }
    this.summary.textContent =
      entries.length >= LIMIT
        ? `Showing the ${LIMIT} most recent entries${filtered ? ' that match' : ''}. Narrow the days to see older ones.`
        : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${filtered ? ' match' : ''}, newest first.`
    replaceChildren(
      this.results,
      h(
        'div',
        { class: 'table-frame' },
        h(
          'table',
          { class: 'data-table data-table--log', 'aria-labelledby': 'audit-heading' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'When'),
              h('th', { scope: 'col' }, 'Who'),
              h('th', { scope: 'col' }, 'Action'),
              h('th', { scope: 'col' }, 'Concerning'),
              h('th', { scope: 'col' }, 'Details'),
              h('th', { scope: 'col' }, 'Address'),
            ),
          ),
          h('tbody', {}, ...entries.map((entry) => this.row(entry))),
        ),
      ),
    )
  }

  private row(entry: AuditEntryView): HTMLElement {
    const target = entry.target
    return h(
      'tr',
      { 'data-action': entry.action },
      h('td', { class: 'data-table__nowrap' }, timeElement(entry.at)),
      h('td', {}, entry.actor),
      h('td', {}, actionLabel(entry.action)),
      h(
        'td',
        {},
        target === null
          ? null
          : target.type === 'section'
            ? h('a', { href: sectionHref(target.id) }, target.label)
            : target.label,
      ),
      h('td', { class: 'data-table__details' }, entry.details),
      h('td', { class: 'data-table__muted' }, entry.ip ?? ''),
    )
  }
}
