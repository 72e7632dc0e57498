import { AUDIT_ACTIONS, type AuditAction } from '../../shared/audit.js'
import type { AuditEntryView } from '../../shared/api.js'
import { ROLES, type Role } from '../../shared/roles.js'
import { DISPOSITIONS, type Disposition } from '../../shared/threads.js'
import { ApiError } from '../api.js'
import { dispositionLabel } from '../comments/threadCard.js'
import { h, replaceChildren } from '../dom.js'
import { formatDateTime, timeElement } from '../format.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import { roleLabel } from '../shell/people.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { isolate } from '../i18n/bidi.js'
import { adminFrame } from './adminFrame.js'
import { fetchAudit, type AuditFilter } from './adminApi.js'

/** How many entries one view of the log shows. */
const LIMIT = 200

// Each action is named by `admin.audit.action.<action>` in the catalogs; an
// action this build does not know is still listed, under its own code.
function isAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action)
}

function isRole(value: string | undefined): value is Role {
  return (ROLES as readonly string[]).includes(value ?? '')
}

function isDisposition(value: string | undefined): value is Disposition {
  return (DISPOSITIONS as readonly string[]).includes(value ?? '')
}

function actionLabel(action: string): string {
  return isAction(action) ? t(`admin.audit.action.${action}` as const) : action
}

/**
 * An entry's details in the interface language. The server records them in
 * a fixed English form for each action (`as reviewer`, `drafter → approver`,
 * `wrong password`…); those are read and said again from the catalog. What
 * people wrote (a reason, a rationale, a quote) is shown as it is.
 */
function describeDetails(action: string, details: string): string {
  let match: RegExpExecArray | null
  switch (action) {
    case 'login_failed':
      if (details === 'unknown email') return t('admin.audit.details.unknownEmail')
      if (details === 'deactivated account') return t('admin.audit.details.deactivatedAccount')
      if (details === 'wrong password') return t('admin.audit.details.wrongPassword')
      break
    case 'user_invited':
      match = /^as (\w+)$/.exec(details)
      if (isRole(match?.[1])) return t('admin.audit.details.invitedAs', { role: roleLabel(match[1]) })
      break
    case 'role_changed':
      match = /^(\w+) → (\w+)$/.exec(details)
      if (match && isRole(match[1]) && isRole(match[2])) return t('admin.audit.details.roleChanged', { before: roleLabel(match[1]), after: roleLabel(match[2]) })
      break
    case 'section_approved':
      match = /^hash (\S+)$/.exec(details)
      if (match) return t('admin.audit.details.approvedHash', { hash: match[1]! })
      break
    case 'section_created':
      if (details === 'imported from a Word file') return t('admin.audit.details.importedFromWord')
      break
    case 'section_renamed':
      match = /^was "([\s\S]*)"$/.exec(details)
      if (match) return t('admin.audit.details.renamedFrom', { title: isolate(match[1]!) })
      break
    case 'section_deleted':
      if (details === 'its text is kept and can be restored') return t('admin.audit.details.deletedKept')
      break
    case 'document_exported':
      match = /^(\w+), (\d+) sections( \(approved only\))?(, with open comments)?$/.exec(details)
      if (match) {
        return t('admin.audit.details.exported', {
          format: match[1]!.toUpperCase(),
          count: Number(match[2]),
          approvedOnly: match[3] ? 'yes' : 'no',
          appendix: match[4] ? 'yes' : 'no',
        })
      }
      break
    case 'document_imported':
      match = /^(\d+) sections created, (\d+) replaced, (\d+) unchanged, (\d+) issues reported$/.exec(details)
      if (match) {
        return t('admin.audit.details.imported', { created: Number(match[1]), replaced: Number(match[2]), unchanged: Number(match[3]), issues: Number(match[4]) })
      }
      break
    case 'version_restored':
      match = /^“([\s\S]*)” of (\S+) \(update (\d+)\)$/.exec(details)
      if (match) return t('admin.audit.details.versionRestored', { label: isolate(match[1]!), date: formatDateTime(match[2]!), update: Number(match[3]) })
      break
    case 'input_merged':
      match = /^"([\s\S]*)" into "([\s\S]*)"$/.exec(details)
      if (match) return t('admin.audit.details.inputMerged', { duplicate: isolate(match[1]!), target: isolate(match[2]!) })
      break
    case 'disposition_recorded':
      match = /^(\w+): "([\s\S]*)"$/.exec(details)
      if (match && isDisposition(match[1])) return t('admin.audit.details.disposition', { disposition: dispositionLabel(match[1]), quote: isolate(match[2]!) })
      break
    case 'suggestion_accepted':
      match = /^"([\s\S]*)"$/.exec(details)
      if (match) return t('admin.audit.details.quote', { quote: isolate(match[1]!) })
      break
  }
  return details
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
      h('option', { value: '' }, t('admin.audit.allActions')),
      ...AUDIT_ACTIONS.map((value) => ({ value, label: actionLabel(value) }))
        .sort((a, b) => a.label.localeCompare(b.label, currentLocale()))
        .map(({ value, label }) => h('option', { value }, label)),
    )
    this.since = h('input', { id: 'audit-since', class: 'text-input', type: 'date' })
    this.until = h('input', { id: 'audit-until', class: 'text-input', type: 'date' })
    this.clear = h('button', { type: 'button', class: 'button button--quiet' }, t('admin.audit.clear'))
    this.summary = h('p', { class: 'panel__status', role: 'status' })
    this.problem = h('p', { class: 'form-error', role: 'alert', id: 'audit-problem' })
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
      t('admin.audit.lead'),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'audit-heading' },
        h('h2', { class: 'visually-hidden', id: 'audit-heading' }, t('admin.audit.entries')),
        h(
          'div',
          { class: 'filters', role: 'search', 'aria-label': t('admin.audit.filters') },
          h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'audit-action' }, t('admin.audit.field.action')), this.action),
          h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'audit-since' }, t('admin.audit.field.from')), this.since),
          h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'audit-until' }, t('admin.audit.field.to')), this.until),
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
    if (since && until && since > until) return t('admin.audit.rangeReversed')
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
      for (const field of [this.since, this.until]) {
        field.setAttribute('aria-invalid', 'true')
        field.setAttribute('aria-describedby', 'audit-problem')
      }
      return
    }
    this.problem.textContent = ''
    for (const field of [this.since, this.until]) {
      field.removeAttribute('aria-invalid')
      field.removeAttribute('aria-describedby')
    }
    this.results.setAttribute('aria-busy', 'true')
    try {
      const entries = await fetchAudit(filter)
      if (query === this.query) this.show(entries)
    } catch (error) {
      if (query !== this.query) return
      if (error instanceof ApiError && error.isUnauthorized) return this.context.sessionEnded()
      this.problem.textContent = t('admin.audit.loadFailed', { problem: describeProblem(error) })
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
        h('p', { class: 'panel__empty' }, filtered ? t('admin.audit.noMatch') : t('admin.audit.empty')),
      )
      return
    }
    this.summary.textContent =
      entries.length >= LIMIT
        ? filtered
          ? t('admin.audit.limitedFiltered', { limit: LIMIT })
          : t('admin.audit.limited', { limit: LIMIT })
        : filtered
          ? t('admin.audit.countFiltered', { count: entries.length })
          : t('admin.audit.count', { count: entries.length })
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
              h('th', { scope: 'col' }, t('admin.audit.column.when')),
              h('th', { scope: 'col' }, t('admin.audit.column.who')),
              h('th', { scope: 'col' }, t('admin.audit.column.action')),
              h('th', { scope: 'col' }, t('admin.audit.column.concerning')),
              h('th', { scope: 'col' }, t('admin.audit.column.details')),
              h('th', { scope: 'col' }, t('admin.audit.column.address')),
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
      h('td', {}, h('span', { dir: 'auto' }, entry.actor)),
      h('td', {}, actionLabel(entry.action)),
      h(
        'td',
        {},
        target === null
          ? null
          : target.type === 'section'
            ? h('a', { href: sectionHref(target.id), dir: 'auto' }, target.label)
            : h('span', { dir: 'auto' }, target.label),
      ),
      h('td', { class: 'data-table__details' }, describeDetails(entry.action, entry.details)),
      h('td', { class: 'data-table__muted', dir: 'ltr' }, entry.ip ?? ''),
    )
  }
}
