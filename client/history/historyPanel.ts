import type { SectionView, UserView } from '../../shared/api.js'
import { can } from '../../shared/roles.js'
import type { CompareView, VersionKind, VersionView } from '../../shared/versions.js'
import { ApiError } from '../api.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren } from '../dom.js'
import { formatDateTime, timeElement } from '../format.js'
import { icon } from '../icons.js'
import { describeProblem } from '../problems.js'
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

const KIND_LABEL: Record<VersionKind, string> = {
  auto: 'Checkpoint',
  status: 'Status change',
  named: 'Named version',
  restore: 'Restore',
}

const CURRENT = 'current'

let nextId = 0

/** "120 characters added, 4 removed", or "No change to the text". */
export function changeSize(change: VersionView['change']): string {
  if (change.inserted === 0 && change.deleted === 0) return 'No change to the text'
  const parts: string[] = []
  if (change.inserted > 0) parts.push(`${change.inserted} ${change.inserted === 1 ? 'character' : 'characters'} added`)
  if (change.deleted > 0) parts.push(`${change.deleted} ${change.deleted === 1 ? 'character' : 'characters'} removed`)
  return parts.join(', ')
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
    this.heading = h('h2', { class: 'history-panel__title', id: `${this.id}-title`, tabindex: '-1' }, 'History')
    const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close history' }, icon('close'))
    close.addEventListener('click', () => this.setOpen(false, true))
    this.notice = h('p', { class: 'history-panel__notice', role: 'status' })

    this.nameForm = can(user, 'section.edit') ? this.buildNameForm() : null

    this.fromSelect = h('select', { id: `${this.id}-from`, class: 'text-input text-input--compact' })
    this.toSelect = h('select', { id: `${this.id}-to`, class: 'text-input text-input--compact' })
    this.compareForm = h(
      'form',
      { class: 'history-panel__compare-form', 'aria-label': 'Compare two versions' },
      h('div', { class: 'history-panel__field' }, h('label', { class: 'field__label', for: this.fromSelect.id }, 'From'), this.fromSelect),
      h('div', { class: 'history-panel__field' }, h('label', { class: 'field__label', for: this.toSelect.id }, 'To'), this.toSelect),
      h('button', { type: 'submit', class: 'button button--small' }, 'Compare'),
    )
    this.compareForm.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.compare(this.fromSelect.value, this.toSelect.value)
    })

    this.list = h('ol', { class: 'history-panel__list', 'data-testid': 'version-list', 'aria-label': 'Versions, newest first' })
    this.empty = h('p', { class: 'history-panel__empty' }, 'Loading versions…')
    this.result = h('section', { class: 'history-panel__result', 'aria-live': 'polite', 'data-testid': 'compare-result' })

    this.element = h(
      'aside',
      { class: 'history-panel', id: this.id, 'aria-labelledby': this.heading.id, 'data-testid': 'history-panel', hidden: true },
      h('div', { class: 'history-panel__header' }, this.heading, close),
      this.notice,
      this.nameForm,
      this.result,
      h('h3', { class: 'history-panel__subtitle' }, 'Versions'),
      this.compareForm,
      this.empty,
      this.list,
    )
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.element.hidden && !event.defaultPrevented) this.setOpen(false, true)
    })

    this.toggle = h(
      'button',
      { type: 'button', class: 'button button--quiet history-toggle', 'aria-controls': this.id, 'aria-expanded': 'false' },
      icon('refresh'),
      h('span', {}, 'History'),
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
      placeholder: 'e.g. Draft for the regional conference',
      'aria-describedby': `${this.id}-name-error`,
    })
    const error = h('p', { class: 'form-error', id: `${this.id}-name-error`, role: 'alert' })
    const submit = h('button', { type: 'submit', class: 'button button--primary button--small' }, 'Name')
    const form = h(
      'form',
      { class: 'history-panel__name', novalidate: true },
      h('label', { class: 'field__label', for: input.id }, 'Name this version'),
      h('div', { class: 'history-panel__name-row' }, input, submit),
      error,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const name = input.value.trim()
      if (name === '') {
        error.textContent = 'Write a name for the version first.'
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
          this.notice.textContent = `The text as it is now is saved as “${version.label}”.`
        },
        (failure: unknown) => {
          submit.disabled = false
          if (failure instanceof ApiError && failure.isUnauthorized) return this.options.unauthorized()
          error.textContent = describeProblem(failure, { name: 'The name' })
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
        const retry = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Try again')
        retry.addEventListener('click', () => void this.load())
        replaceChildren(this.empty, `Versions could not be loaded. ${describeProblem(error)} `, retry)
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
    if (this.versions.length === 0) replaceChildren(this.empty, 'No versions yet. A checkpoint is taken after a pause in editing.')
    this.compareForm.hidden = this.versions.length === 0
    replaceChildren(this.list, ...this.versions.map((version) => this.renderVersion(version)))
    this.renderSelects()
  }

  private renderSelects(): void {
    const from = this.fromSelect.value
    const to = this.toSelect.value
    const option = (version: VersionView): HTMLOptionElement =>
      h('option', { value: version.id }, `${version.label} — ${formatDateTime(version.createdAt)}`)
    replaceChildren(this.fromSelect, ...this.versions.map(option))
    replaceChildren(this.toSelect, h('option', { value: CURRENT }, 'Current text'), ...this.versions.map(option))
    if (from && this.versions.some((version) => version.id === from)) this.fromSelect.value = from
    if (to === CURRENT || this.versions.some((version) => version.id === to)) this.toSelect.value = to || CURRENT
  }

  private renderVersion(version: VersionView): HTMLLIElement {
    const section = this.options.section()
    const compare = h('button', { type: 'button', class: 'button button--small' }, 'Compare with current')
    compare.addEventListener('click', () => {
      this.fromSelect.value = version.id
      this.toSelect.value = CURRENT
      void this.compare(version.id, CURRENT)
    })
    let restore: HTMLButtonElement | null = null
    if (can(this.options.user, 'version.restore', section)) {
      restore = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Restore this version')
      restore.addEventListener('click', () => void this.restore(version))
    }
    const authors = version.authors.length > 0 ? version.authors.map(personLabel).join(', ') : 'No one changed the text'
    return h(
      'li',
      { class: 'version', 'data-version-id': version.id, 'data-kind': version.kind },
      h('p', { class: 'version__label' }, h('strong', {}, version.label), ' ', h('span', { class: 'version__kind' }, KIND_LABEL[version.kind])),
      h('p', { class: 'version__meta' }, timeElement(version.createdAt), version.createdBy ? ` · by ${version.createdBy.name}` : ''),
      h('p', { class: 'version__meta' }, h('span', { class: 'visually-hidden' }, 'Changes by: '), authors),
      h('p', { class: 'version__meta version__size' }, changeSize(version.change)),
      h('div', { class: 'version__actions' }, compare, restore),
    )
  }

  private async compare(from: string, to: string): Promise<void> {
    if (!from) return
    if (from === to) {
      replaceChildren(this.result, h('p', { class: 'history-panel__empty' }, 'Choose two different versions to compare.'))
      return
    }
    const ticket = ++this.comparing
    this.result.setAttribute('aria-busy', 'true')
    replaceChildren(this.result, h('p', { class: 'history-panel__empty' }, 'Comparing…'))
    try {
      const view = await compareVersions(this.options.sectionId, from, to)
      if (this.destroyed || ticket !== this.comparing) return
      this.renderCompare(view)
    } catch (error) {
      if (this.destroyed || ticket !== this.comparing) return
      if (error instanceof ApiError && error.isUnauthorized) return this.options.unauthorized()
      replaceChildren(this.result, h('p', { class: 'form-error', role: 'alert' }, `The versions could not be compared. ${describeProblem(error)}`))
    } finally {
      if (ticket === this.comparing) this.result.removeAttribute('aria-busy')
    }
  }

  private renderCompare(view: CompareView): void {
    const toLabel = view.to.id === CURRENT ? 'the current text' : `“${(view.to as VersionView).label}”`
    const close = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Close comparison')
    close.addEventListener('click', () => replaceChildren(this.result))
    const inserted = view.changes.filter((change) => change.change === 'inserted').length
    const deleted = view.changes.length - inserted
    const summary =
      view.changes.length === 0
        ? 'The text is the same in both.'
        : `${inserted} ${inserted === 1 ? 'insertion' : 'insertions'} and ${deleted} ${deleted === 1 ? 'deletion' : 'deletions'}.`
    const authors = new Map(view.changes.map((change) => [change.author.id, change.author]))
    replaceChildren(
      this.result,
      h('div', { class: 'history-panel__result-header' }, h('h3', { class: 'history-panel__subtitle' }, `Changes from “${view.from.label}” to ${toLabel}`), close),
      h('p', { class: 'history-panel__summary' }, summary, authors.size > 0 ? ` By ${[...authors.values()].map(personLabel).join(', ')}.` : ''),
      h(
        'p',
        { class: 'diff-legend' },
        h('ins', { class: 'diff__inserted' }, 'Inserted text'),
        ' ',
        h('del', { class: 'diff__deleted' }, 'Deleted text'),
        ' — the author follows each change.',
      ),
      h('div', { class: 'history-panel__paper' }, diffContent(view.content)),
    )
  }

  private async restore(version: VersionView): Promise<void> {
    const restored = await confirmDialog({
      title: `Restore “${version.label}”?`,
      description:
        'The text of this version replaces the current text as a new change by you, for everyone who has the section open. Nothing is lost: the versions before it stay listed and can be restored again.',
      confirmLabel: 'Restore this version',
      action: () => restoreVersion(this.options.sectionId, version.id),
    })
    if (!restored || this.destroyed) return
    if (restored.before) this.upsert(restored.before)
    this.upsert(restored.version)
    this.notice.textContent = `“${version.label}” is restored. The text before it is kept in the history.`
  }
}
