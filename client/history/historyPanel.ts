import type { SectionView, UserView } from '../../shared/api.js'
import { can } from '../../shared/roles.js'
import type { CompareView, VersionKind, VersionView } from '../../shared/versions.js'
import { ApiError } from '../api.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren } from '../dom.js'
import { formatDateTime, timeElement } from '../format.js'
import type { MessageKey } from '../i18n/english.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { describeProblem } from '../problems.js'
import { isolate } from '../i18n/bidi.js'
import { messageNodes } from '../i18n/messageNodes.js'
import { confirmDialog } from '../shell/dialog.js'
import { diffContent, personLabel } from './diffView.js'
import { compareVersions, fetchVersions, nameVersion, restoreVersion } from './historyApi.js'

/** What the panel needs from the section page. */
export interface HistoryPanelOptions {
  sectionId: string
  user: UserView
  /** The section now: restoring is refused while it is approved. */
  section(): SectionView
  /** The open document's event stream: new versions as they are made. */
  events: DocumentEvents
  /** The session is gone (a request answered 401). */
  unauthorized(): void
}

const KIND_LABEL: Record<VersionKind, MessageKey> = {
  auto: 'history.kind.auto',
  status: 'history.kind.status',
  named: 'history.kind.named',
  restore: 'history.kind.restore',
}

// The names the server gives the versions it makes itself (server/versions), stored in English.
const SYSTEM_LABELS: Record<string, MessageKey> = {
  Checkpoint: 'history.label.checkpoint',
  'Before importing a Word file': 'history.label.beforeImport',
  'Submitted for review': 'history.label.submitted',
  Approved: 'history.label.approved',
  'Sent back for changes': 'history.label.sentBack',
  Reopened: 'history.label.reopened',
}

function systemLabel(label: string): string {
  if (Object.hasOwn(SYSTEM_LABELS, label)) return t(SYSTEM_LABELS[label]!)
  const before = /^Before restoring “(.*)”$/s.exec(label)
  if (before) return t('history.label.beforeRestore', { label: isolate(systemLabel(before[1]!)) })
  const restored = /^Restored “(.*)”$/s.exec(label)
  if (restored) return t('history.label.restored', { label: isolate(systemLabel(restored[1]!)) })
  return label
}

/**
 * A version's name in the interface language: a drafter's name for a named
 * version as they wrote it, the server's name for the others translated.
 */
export function versionLabel(version: Pick<VersionView, 'kind' | 'label'>): string {
  return version.kind === 'named' ? version.label : systemLabel(version.label)
}

// "Lena Karlsson · Swedish Red Cross, Karim Saleh · Lebanese Red Cross" as the interface language lists people.
function people(persons: VersionView['authors']): string {
  return new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(persons.map((person) => isolate(personLabel(person))))
}

const CURRENT = 'current'

let nextId = 0

/** "120 characters added, 4 removed", or "No change to the text". */
export function changeSize(change: VersionView['change']): string {
  const { inserted, deleted } = change
  if (inserted > 0 && deleted > 0) return t('history.size.both', { inserted, deleted })
  if (inserted > 0) return t('history.size.inserted', { count: inserted })
  if (deleted > 0) return t('history.size.deleted', { count: deleted })
  return t('history.size.none')
}

/**
 * The versions of a section beside its text: a drawer opened from `toggle`
 * that lists them newest first (what made each, when, who wrote what it
 * holds, how much changed), lets drafters name the text as it is, compares
 * any version with the current text or with another version in the editor's
 * styling, and restores a version after a confirmation. It follows the
 * document's event stream, so versions others make appear at once.
 */
export class HistoryPanel {
  readonly element: HTMLElement
  /** The button that opens the panel; the page places it in its toolbar. */
  readonly toggle: HTMLButtonElement
  private readonly id = `history-${++nextId}`
  private readonly heading: HTMLHeadingElement
  private readonly notice: HTMLElement
  private readonly nameForm: HTMLFormElement | null
  private readonly list: HTMLOListElement
  private readonly empty: HTMLElement
  private readonly fromSelect: HTMLSelectElement
  private readonly toSelect: HTMLSelectElement
  private readonly compareForm: HTMLFormElement
  private readonly result: HTMLElement
  private versions: VersionView[] = []
  private loaded = false
  private loading: Promise<void> | null = null
  private destroyed = false
  private comparing = 0
  private readonly unsubscribe: () => void

  constructor(private readonly options: HistoryPanelOptions) {
    const { user } = options
    this.heading = h('h2', { class: 'history-panel__title', id: `${this.id}-title`, tabindex: '-1' }, t('history.title'))
    const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': t('history.close') }, icon('close'))
    close.addEventListener('click', () => this.setOpen(false, true))
    this.notice = h('p', { class: 'history-panel__notice', role: 'status' })

    this.nameForm = can(user, 'section.edit') ? this.buildNameForm() : null

    this.fromSelect = h('select', { id: `${this.id}-from`, class: 'text-input text-input--compact' })
    this.toSelect = h('select', { id: `${this.id}-to`, class: 'text-input text-input--compact' })
    this.compareForm = h(
      'form',
      { class: 'history-panel__compare-form', 'aria-label': t('history.compare.label') },
      h('div', { class: 'history-panel__field' }, h('label', { class: 'field__label', for: this.fromSelect.id }, t('history.compare.from')), this.fromSelect),
      h('div', { class: 'history-panel__field' }, h('label', { class: 'field__label', for: this.toSelect.id }, t('history.compare.to')), this.toSelect),
      h('button', { type: 'submit', class: 'button button--small' }, t('history.compare.submit')),
    )
    this.compareForm.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.compare(this.fromSelect.value, this.toSelect.value)
    })

    this.list = h('ol', { class: 'history-panel__list', 'data-testid': 'version-list', 'aria-label': t('history.list.label') })
    this.empty = h('p', { class: 'history-panel__empty' }, t('history.list.loading'))
    this.result = h('section', { class: 'history-panel__result', 'aria-live': 'polite', 'data-testid': 'compare-result' })

    this.element = h(
      'aside',
      { class: 'history-panel', id: this.id, 'aria-labelledby': this.heading.id, 'data-testid': 'history-panel', hidden: true },
      h('div', { class: 'history-panel__header' }, this.heading, close),
      this.notice,
      this.nameForm,
      this.result,
      h('h3', { class: 'history-panel__subtitle' }, t('history.list.title')),
      this.compareForm,
      this.empty,
      this.list,
    )
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.element.hidden && !event.defaultPrevented) this.setOpen(false, true)
    })

    this.toggle = h(
      'button',
      {
        type: 'button',
        class: 'button button--quiet history-toggle',
        'aria-controls': this.id,
        'aria-expanded': 'false',
        // Named without its word, which a narrow toolbar hides (history.css).
        'aria-label': t('history.title'),
        title: t('history.title'),
      },
      icon('refresh'),
      h('span', { class: 'history-toggle__label', 'aria-hidden': 'true' }, t('history.title')),
    )
    this.toggle.addEventListener('click', () => this.setOpen(this.element.hidden, true))

    this.unsubscribe = options.events.listen({
      version: (version) => {
        if (version.sectionId === options.sectionId && this.loaded) this.upsert(version)
      },
      resync: () => {
        if (this.loaded) void this.load()
      },
    })
  }

  /** Opens or closes the drawer; the first opening loads the versions. */
  setOpen(open: boolean, moveFocus = false): void {
    this.element.hidden = !open
    this.toggle.setAttribute('aria-expanded', String(open))
    this.toggle.classList.toggle('history-toggle--open', open)
    if (open) {
      if (!this.loaded && !this.loading) void this.load()
      if (moveFocus) this.heading.focus()
    } else if (moveFocus) {
      this.toggle.focus()
    }
  }

  /** The section's status changed: what may be restored may have changed too. */
  sectionChanged(): void {
    if (this.loaded) this.renderList()
  }

  destroy(): void {
    this.destroyed = true
    this.unsubscribe()
    this.element.remove()
    this.toggle.remove()
  }

  private buildNameForm(): HTMLFormElement {
    const input = h('input', {
      id: `${this.id}-name`,
      class: 'text-input text-input--compact',
      type: 'text',
      maxlength: 120,
      required: true,
      placeholder: t('history.name.placeholder'),
      'aria-describedby': `${this.id}-name-error`,
    })
    const error = h('p', { class: 'form-error', id: `${this.id}-name-error`, role: 'alert' })
    const submit = h('button', { type: 'submit', class: 'button button--primary button--small' }, t('history.name.submit'))
    const form = h(
      'form',
      { class: 'history-panel__name', novalidate: true },
      h('label', { class: 'field__label', for: input.id }, t('history.name.label')),
      h('div', { class: 'history-panel__name-row' }, input, submit),
      error,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const name = input.value.trim()
      if (name === '') {
        error.textContent = t('history.name.missing')
        input.setAttribute('aria-invalid', 'true')
        input.focus()
        return
      }
      input.removeAttribute('aria-invalid')
      error.textContent = ''
      submit.disabled = true
      nameVersion(this.options.sectionId, name).then(
        (version) => {
          submit.disabled = false
          input.value = ''
          this.upsert(version)
          this.notice.textContent = t('history.name.saved', { label: isolate(versionLabel(version)) })
        },
        (failure: unknown) => {
          submit.disabled = false
          if (failure instanceof ApiError && failure.isUnauthorized) return this.options.unauthorized()
          error.textContent = describeProblem(failure, { name: t('history.name.field') })
          input.focus()
        },
      )
    })
    return form
  }

  private load(): Promise<void> {
    this.loading = (async () => {
      try {
        const versions = await fetchVersions(this.options.sectionId)
        if (this.destroyed) return
        this.versions = versions
        this.loaded = true
        this.renderList()
      } catch (error) {
        if (this.destroyed) return
        if (error instanceof ApiError && error.isUnauthorized) return this.options.unauthorized()
        const retry = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.tryAgain'))
        retry.addEventListener('click', () => void this.load())
        replaceChildren(this.empty, t('history.list.failed', { problem: describeProblem(error) }), ' ', retry)
        this.empty.hidden = false
      } finally {
        this.loading = null
      }
    })()
    return this.loading
  }

  private upsert(version: VersionView): void {
    this.versions = [version, ...this.versions.filter((known) => known.id !== version.id)].sort((a, b) => b.seq - a.seq || b.createdAt.localeCompare(a.createdAt))
    this.loaded = true
    this.renderList()
  }

  private renderList(): void {
    this.empty.hidden = this.versions.length > 0
    if (this.versions.length === 0) replaceChildren(this.empty, t('history.list.empty'))
    this.compareForm.hidden = this.versions.length === 0
    replaceChildren(this.list, ...this.versions.map((version) => this.renderVersion(version)))
    this.renderSelects()
  }

  private renderSelects(): void {
    const from = this.fromSelect.value
    const to = this.toSelect.value
    const option = (version: VersionView): HTMLOptionElement =>
      h('option', { value: version.id }, t('history.compare.option', { label: isolate(versionLabel(version)), date: formatDateTime(version.createdAt) }))
    replaceChildren(this.fromSelect, ...this.versions.map(option))
    replaceChildren(this.toSelect, h('option', { value: CURRENT }, t('history.compare.current')), ...this.versions.map(option))
    if (from && this.versions.some((version) => version.id === from)) this.fromSelect.value = from
    if (to === CURRENT || this.versions.some((version) => version.id === to)) this.toSelect.value = to || CURRENT
  }

  private renderVersion(version: VersionView): HTMLLIElement {
    const section = this.options.section()
    const compare = h('button', { type: 'button', class: 'button button--small' }, t('history.version.compareWithCurrent'))
    compare.addEventListener('click', () => {
      this.fromSelect.value = version.id
      this.toSelect.value = CURRENT
      void this.compare(version.id, CURRENT)
    })
    let restore: HTMLButtonElement | null = null
    if (can(this.options.user, 'version.restore', section)) {
      restore = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('history.version.restore'))
      restore.addEventListener('click', () => void this.restore(version))
    }
    const authors = version.authors.length > 0 ? people(version.authors) : t('history.version.noAuthors')
    return h(
      'li',
      { class: 'version', 'data-version-id': version.id, 'data-kind': version.kind },
      h('p', { class: 'version__label' }, h('strong', { dir: 'auto' }, versionLabel(version)), ' ', h('span', { class: 'version__kind' }, t(KIND_LABEL[version.kind]))),
      h(
        'p',
        { class: 'version__meta' },
        ...(version.createdBy
          ? messageNodes('history.version.madeBy', { date: timeElement(version.createdAt), name: h('bdi', {}, version.createdBy.name) })
          : [timeElement(version.createdAt)]),
      ),
      h('p', { class: 'version__meta' }, h('span', { class: 'visually-hidden' }, t('history.version.authorsLabel'), ' '), authors),
      h('p', { class: 'version__meta version__size' }, changeSize(version.change)),
      h('div', { class: 'version__actions' }, compare, restore),
    )
  }

  private async compare(from: string, to: string): Promise<void> {
    if (!from) return
    if (from === to) {
      replaceChildren(this.result, h('p', { class: 'history-panel__empty' }, t('history.compare.same')))
      return
    }
    const ticket = ++this.comparing
    this.result.setAttribute('aria-busy', 'true')
    replaceChildren(this.result, h('p', { class: 'history-panel__empty' }, t('history.compare.comparing')))
    try {
      const view = await compareVersions(this.options.sectionId, from, to)
      if (this.destroyed || ticket !== this.comparing) return
      this.renderCompare(view)
    } catch (error) {
      if (this.destroyed || ticket !== this.comparing) return
      if (error instanceof ApiError && error.isUnauthorized) return this.options.unauthorized()
      replaceChildren(this.result, h('p', { class: 'form-error', role: 'alert' }, t('history.compare.failed', { problem: describeProblem(error) })))
    } finally {
      if (ticket === this.comparing) this.result.removeAttribute('aria-busy')
    }
  }

  private renderCompare(view: CompareView): void {
    const from = isolate(versionLabel(view.from))
    const title =
      view.to.id === CURRENT
        ? t('history.compare.titleToCurrent', { from })
        : t('history.compare.title', { from, to: isolate(versionLabel(view.to as VersionView)) })
    const close = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('history.compare.close'))
    close.addEventListener('click', () => replaceChildren(this.result))
    const inserted = view.changes.filter((change) => change.change === 'inserted').length
    const deleted = view.changes.length - inserted
    const summary = view.changes.length === 0 ? t('history.compare.noChanges') : t('history.compare.summary', { inserted, deleted })
    const authors = new Map(view.changes.map((change) => [change.author.id, change.author]))
    replaceChildren(
      this.result,
      h('div', { class: 'history-panel__result-header' }, h('h3', { class: 'history-panel__subtitle' }, title), close),
      h('p', { class: 'history-panel__summary' }, summary, authors.size > 0 ? ` ${t('history.compare.by', { people: people([...authors.values()]) })}` : ''),
      h(
        'p',
        { class: 'diff-legend' },
        ...messageNodes('history.compare.legend', {
          inserted: h('ins', { class: 'diff__inserted' }, t('history.compare.insertedText')),
          deleted: h('del', { class: 'diff__deleted' }, t('history.compare.deletedText')),
        }),
      ),
      h('div', { class: 'history-panel__paper' }, diffContent(view.content)),
    )
  }

  private async restore(version: VersionView): Promise<void> {
    const restored = await confirmDialog({
      title: t('history.restore.title', { label: isolate(versionLabel(version)) }),
      description: t('history.restore.description'),
      confirmLabel: t('history.version.restore'),
      action: () => restoreVersion(this.options.sectionId, version.id),
    })
    if (!restored || this.destroyed) return
    if (restored.before) this.upsert(restored.before)
    this.upsert(restored.version)
    this.notice.textContent = t('history.restore.done', { label: isolate(versionLabel(version)) })
  }
}
