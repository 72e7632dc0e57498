import type { DeletedSectionView, DocumentView, SectionView } from '../../shared/api.js'
import { ApiError } from '../api.js'
import { h, replaceChildren, type Child } from '../dom.js'
import { formatNumber, timeElement } from '../format.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import { statusBadge } from '../section/sectionStatus.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { confirmDialog } from '../shell/dialog.js'
import { isolate } from '../i18n/bidi.js'
import { adminFrame } from './adminFrame.js'
import { createSection, deleteSection, fetchDeletedSections, renameSection, reorderSections, restoreSection } from './adminApi.js'

// Stands in for a node in a message, so that the language decides where the node goes.
const SLOT = '\uE000'

/** The message `text` (made with SLOT in place of a value) with `node` where SLOT is. */
function withNode(text: string, node: Node): Child[] {
  const [before = '', after = ''] = text.split(SLOT)
  return [before, node, after]
}

/**
 * The document's structure (`#/admin/sections`): add a section at a chosen
 * place, rename one in place, move sections up and down, delete one (after
 * confirmation; its text is kept) and restore deleted ones. The list follows
 * the document's event stream, so another administrator's changes appear too.
 */
export class SectionsPage implements AppPage {
  /** Fetches the deleted sections of `view`'s document, then builds the page. */
  static async open(context: PageContext, view: DocumentView): Promise<SectionsPage> {
    return new SectionsPage(context, view, await fetchDeletedSections(view.id))
  }

  readonly element: HTMLElement
  private view: DocumentView
  private deleted: DeletedSectionView[]
  // The section being renamed and its field, kept across re-renders so typing is never lost.
  private renaming: { id: string; input: HTMLInputElement } | null = null
  private busy = false
  private readonly title: HTMLInputElement
  private readonly position: HTMLSelectElement
  private readonly addButton: HTMLButtonElement
  private readonly addError: HTMLElement
  private readonly list: HTMLElement
  private readonly deletedList: HTMLElement
  private readonly count: HTMLElement
  private readonly said: HTMLElement
  private readonly problem: HTMLElement

  private constructor(
    private readonly context: PageContext,
    view: DocumentView,
    deleted: DeletedSectionView[],
  ) {
    this.view = view
    this.deleted = deleted
    this.title = h('input', { id: 'new-section-title', class: 'text-input', type: 'text', maxlength: 200, required: true, autocomplete: 'off' })
    this.position = h('select', { id: 'new-section-position', class: 'text-input' })
    this.addButton = h('button', { type: 'submit', class: 'button button--primary' }, t('admin.sections.add'))
    this.addError = h('p', { class: 'form-error', role: 'alert', id: 'add-section-error' })
    const form = h(
      'form',
      { class: 'add-section-form', novalidate: true, 'aria-labelledby': 'add-section-heading' },
      h('div', { class: 'field add-section-form__title' }, h('label', { class: 'field__label', for: 'new-section-title' }, t('admin.sections.field.title')), this.title),
      h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'new-section-position' }, t('admin.sections.field.place')), this.position),
      h('div', { class: 'invite-form__submit' }, this.addButton),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.add()
    })
    this.list = h('ol', { class: 'structure-list', 'aria-labelledby': 'structure-heading' })
    this.deletedList = h('div', {})
    this.count = h('span', { class: 'panel__count' })
    this.said = h('p', { class: 'panel__status', role: 'status' })
    this.problem = h('p', { class: 'form-error', role: 'alert', id: 'structure-problem' })
    this.element = adminFrame(
      'sections',
      t('admin.sections.lead'),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'structure-heading' },
        h('h2', { class: 'panel__title', id: 'structure-heading' }, t('admin.sections.listTitle'), this.count),
        this.said,
        this.problem,
        this.list,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'add-section-heading' },
        h('h2', { class: 'panel__title', id: 'add-section-heading' }, t('admin.sections.addTitle')),
        h('p', { class: 'panel__lead' }, t('admin.sections.addLead')),
        form,
        this.addError,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'deleted-heading' },
        h('h2', { class: 'panel__title', id: 'deleted-heading' }, t('admin.sections.deletedTitle')),
        this.deletedList,
      ),
    )
    this.render()
  }

  documentChanged(view: DocumentView): void {
    if (view.id !== this.view.id) return
    const removed = this.view.sections.some((section) => !view.sections.some((kept) => kept.id === section.id))
    const added = view.sections.some((section) => !this.view.sections.some((known) => known.id === section.id))
    this.view = view
    if (this.renaming && !view.sections.some((section) => section.id === this.renaming?.id)) this.renaming = null
    this.render()
    // Sections deleted or restored elsewhere change the list of deleted ones too.
    if (removed || added) void this.reloadDeleted()
  }

  private render(): void {
    const focus = this.focusedControl()
    const sections = this.view.sections
    this.count.textContent = t('admin.sections.count', { count: sections.length, document: isolate(this.view.title) })
    replaceChildren(
      this.list,
      ...(sections.length === 0
        ? [h('li', { class: 'panel__empty' }, t('admin.sections.empty'))]
        : sections.map((section, index) => this.row(section, index, sections.length))),
    )
    const chosen = this.position.value
    replaceChildren(
      this.position,
      h('option', { value: '' }, t('admin.sections.atEnd')),
      sections.length > 0 ? h('option', { value: '0' }, t('admin.sections.atStart')) : null,
      ...sections.slice(0, -1).map((section, index) => h('option', { value: String(index + 1) }, t('admin.sections.after', { number: index + 1, title: isolate(section.title) }))),
    )
    if ([...this.position.options].some((option) => option.value === chosen)) this.position.value = chosen
    this.renderDeleted()
    this.restoreFocus(focus)
  }

  private row(section: SectionView, index: number, total: number): HTMLElement {
    const renaming = this.renaming?.id === section.id ? this.renaming : null
    return h(
      'li',
      { class: 'structure-item', 'data-section-id': section.id },
      h('span', { class: 'structure-item__number', 'aria-hidden': 'true' }, formatNumber(index + 1)),
      renaming
        ? this.renameForm(section, renaming.input)
        : h(
            'div',
            { class: 'structure-item__main' },
            h('a', { class: 'structure-item__title', href: sectionHref(section.id), dir: 'auto' }, section.title),
            statusBadge(section.status, 'small'),
          ),
      renaming
        ? null
        : h(
            'div',
            { class: 'structure-item__actions' },
            this.button(t('admin.sections.rename'), 'rename', t('admin.sections.renameName', { title: isolate(section.title) }), () => this.startRename(section), 'pencil', false),
            this.button(t('admin.sections.moveUp'), 'up', t('admin.sections.moveUpName', { title: isolate(section.title) }), () => void this.move(section, -1), 'arrowUp', true, index === 0),
            this.button(
              t('admin.sections.moveDown'),
              'down',
              t('admin.sections.moveDownName', { title: isolate(section.title) }),
              () => void this.move(section, 1),
              'arrowDown',
              true,
              index === total - 1,
            ),
            this.button(t('admin.sections.delete'), 'delete', t('admin.sections.deleteName', { title: isolate(section.title) }), () => void this.remove(section), 'trash', false),
          ),
    )
  }

  private button(
    label: string,
    control: string,
    name: string,
    onClick: () => void,
    iconName: 'pencil' | 'arrowUp' | 'arrowDown' | 'trash',
    iconOnly: boolean,
    disabled = false,
  ): HTMLButtonElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: `button button--quiet button--small${iconOnly ? ' button--icon' : ''}`,
        'data-control': control,
        'aria-label': name,
        title: iconOnly ? label : false,
        disabled,
      },
      icon(iconName),
      iconOnly ? null : h('span', {}, label),
    )
    button.addEventListener('click', onClick)
    return button
  }

  private renameForm(section: SectionView, input: HTMLInputElement): HTMLElement {
    const save = h('button', { type: 'submit', class: 'button button--primary button--small', 'data-control': 'save' }, t('common.save'))
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small', 'data-control': 'cancel' }, t('common.cancel'))
    const form = h(
      'form',
      { class: 'rename-form', novalidate: true },
      h('label', { class: 'visually-hidden', for: input.id }, t('admin.sections.newTitleFor', { title: isolate(section.title) })),
      input,
      save,
      cancel,
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.rename(section, input.value)
    })
    cancel.addEventListener('click', () => this.endRename(section.id))
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.endRename(section.id)
    })
    return form
  }

  private renderDeleted(): void {
    if (this.deleted.length === 0) {
      replaceChildren(
        this.deletedList,
        h('p', { class: 'panel__empty' }, t('admin.sections.noneDeleted')),
      )
      return
    }
    replaceChildren(
      this.deletedList,
      h(
        'ul',
        { class: 'structure-list structure-list--deleted' },
        ...this.deleted.map((section) => {
          const restore = h(
            'button',
            { type: 'button', class: 'button button--quiet button--small', 'data-control': 'restore', 'aria-label': t('admin.sections.restoreName', { title: isolate(section.title) }) },
            t('admin.sections.restore'),
          )
          restore.addEventListener('click', () => void this.restore(section))
          return h(
            'li',
            { class: 'structure-item', 'data-deleted-id': section.id },
            h(
              'div',
              { class: 'structure-item__main' },
              h('span', { class: 'structure-item__title', dir: 'auto' }, section.title),
              h('span', { class: 'structure-item__meta' }, ...withNode(t('admin.sections.deletedOn', { date: SLOT }), timeElement(section.deletedAt))),
            ),
            h('div', { class: 'structure-item__actions' }, restore),
          )
        }),
      ),
    )
  }

  private startRename(section: SectionView): void {
    const input = h('input', { id: `rename-${section.id}`, class: 'text-input text-input--compact', type: 'text', maxlength: 200, value: section.title, 'data-control': 'title', dir: 'auto' })
    this.renaming = { id: section.id, input }
    this.render()
    input.focus()
    input.select()
  }

  private endRename(sectionId: string): void {
    this.renaming = null
    this.render()
    this.list.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(sectionId)}"] [data-control="rename"]`)?.focus()
  }

  private async rename(section: SectionView, value: string): Promise<void> {
    const title = value.trim()
    if (title === '') {
      this.renaming?.input.setAttribute('aria-invalid', 'true')
      this.renaming?.input.setAttribute('aria-describedby', 'structure-problem')
      return this.fail(t('admin.sections.titleMissing'))
    }
    if (title === section.title) return this.endRename(section.id)
    await this.run(async () => {
      const renamed = await renameSection(section.id, title)
      this.view = { ...this.view, sections: this.view.sections.map((known) => (known.id === renamed.id ? renamed : known)) }
      this.endRename(section.id)
      this.say(t('admin.sections.renamed', { before: isolate(section.title), after: isolate(renamed.title) }))
    })
  }

  private async move(section: SectionView, by: -1 | 1): Promise<void> {
    const ids = this.view.sections.map((known) => known.id)
    const from = ids.indexOf(section.id)
    const to = from + by
    if (from < 0 || to < 0 || to >= ids.length) return
    ids.splice(from, 1)
    ids.splice(to, 0, section.id)
    await this.run(async () => {
      this.view = await reorderSections(this.view.id, ids)
      this.render()
      this.say(t('admin.sections.moved', { title: isolate(section.title), position: to + 1, total: ids.length }))
    })
  }

  private async remove(section: SectionView): Promise<void> {
    if (this.busy) return
    const removed = await confirmDialog({
      title: t('admin.sections.deleteTitle', { title: isolate(section.title) }),
      description: t('admin.sections.deleteDescription'),
      confirmLabel: t('admin.sections.deleteConfirm'),
      tone: 'danger',
      action: async () => {
        await deleteSection(section.id)
        return true
      },
    })
    if (!removed) return
    this.view = { ...this.view, sections: this.view.sections.filter((known) => known.id !== section.id) }
    this.render()
    this.say(t('admin.sections.deleted', { title: isolate(section.title) }))
    this.list.querySelector<HTMLElement>('[data-control="rename"]')?.focus()
    await this.reloadDeleted()
  }

  private async restore(section: DeletedSectionView): Promise<void> {
    await this.run(async () => {
      const restored = await restoreSection(section.id)
      this.deleted = this.deleted.filter((known) => known.id !== section.id)
      if (!this.view.sections.some((known) => known.id === restored.id)) this.view = { ...this.view, sections: [...this.view.sections, restored] }
      this.render()
      this.say(t('admin.sections.restored', { title: isolate(restored.title) }))
      this.list.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(restored.id)}"] [data-control="rename"]`)?.focus()
    })
  }

  private async add(): Promise<void> {
    const title = this.title.value.trim()
    if (title === '') {
      this.addError.textContent = t('admin.sections.newTitleMissing')
      this.title.setAttribute('aria-invalid', 'true')
      this.title.setAttribute('aria-describedby', 'add-section-error')
      this.title.focus()
      return
    }
    const position = this.position.value === '' ? undefined : Number(this.position.value)
    this.addButton.disabled = true
    this.addError.textContent = ''
    this.title.removeAttribute('aria-invalid')
    this.title.removeAttribute('aria-describedby')
    try {
      const created = await createSection(this.view.id, title, position)
      // The event stream may have brought the new section already.
      if (!this.view.sections.some((known) => known.id === created.id)) {
        const sections = [...this.view.sections]
        sections.splice(Math.min(position ?? sections.length, sections.length), 0, created)
        this.view = { ...this.view, sections }
      }
      this.title.value = ''
      this.position.value = ''
      this.render()
      this.say(t('admin.sections.added', { title: isolate(created.title), position: this.view.sections.findIndex((known) => known.id === created.id) + 1 }))
    } catch (error) {
      if (this.endedSession(error)) return
      this.addError.textContent = describeProblem(error, { title: t('admin.sections.problemField.title') })
      this.title.setAttribute('aria-invalid', 'true')
      this.title.setAttribute('aria-describedby', 'add-section-error')
      this.title.focus()
    } finally {
      this.addButton.disabled = false
    }
  }

  private async reloadDeleted(): Promise<void> {
    try {
      this.deleted = await fetchDeletedSections(this.view.id)
      this.renderDeleted()
    } catch (error) {
      if (!this.endedSession(error)) this.fail(t('admin.sections.deletedReloadFailed', { problem: describeProblem(error) }))
    }
  }

  // One change at a time: clicks wait while the server answers (buttons stay enabled so focus
  // stays put), and a refusal is shown in words.
  private async run(change: () => Promise<void>): Promise<void> {
    if (this.busy) return
    this.busy = true
    this.list.setAttribute('aria-busy', 'true')
    try {
      await change()
    } catch (error) {
      if (!this.endedSession(error)) this.fail(describeProblem(error, { title: t('admin.sections.problemField.title') }))
    } finally {
      this.busy = false
      this.list.removeAttribute('aria-busy')
    }
  }

  private say(text: string): void {
    this.problem.textContent = ''
    this.said.textContent = text
  }

  private fail(text: string): void {
    this.said.textContent = ''
    this.problem.textContent = text
  }

  private endedSession(error: unknown): boolean {
    if (!(error instanceof ApiError && error.isUnauthorized)) return false
    this.context.sessionEnded()
    return true
  }

  // Which control has focus, by section and role, so a re-render can put it back.
  private focusedControl(): { id: string; control: string; selection: [number, number] | null } | null {
    const active = document.activeElement as HTMLElement | null
    const row = active?.closest<HTMLElement>('[data-section-id], [data-deleted-id]')
    const control = active?.dataset.control
    if (!row || !control || !this.element.contains(row)) return null
    const input = active instanceof HTMLInputElement ? active : null
    return {
      id: row.dataset.sectionId ?? row.dataset.deletedId!,
      control,
      selection: input ? [input.selectionStart ?? 0, input.selectionEnd ?? 0] : null,
    }
  }

  private restoreFocus(focus: ReturnType<SectionsPage['focusedControl']>): void {
    if (!focus) return
    const row = this.element.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(focus.id)}"], [data-deleted-id="${CSS.escape(focus.id)}"]`)
    const target = row?.querySelector<HTMLElement>(`[data-control="${focus.control}"]:not(:disabled)`) ?? row?.querySelector<HTMLElement>('[data-control]:not(:disabled)')
    if (!target) return
    target.focus()
    if (focus.selection && target instanceof HTMLInputElement) target.setSelectionRange(...focus.selection)
  }
}
