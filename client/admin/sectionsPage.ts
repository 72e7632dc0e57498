import type { DeletedSectionView, DocumentView, SectionView } from '../../shared/api.js'
import { ApiError } from '../api.js'
import { h, replaceChildren } from '../dom.js'
import { timeElement } from '../format.js'
import { icon } from '../icons.js'
import { describeProblem } from '../problems.js'
import { sectionHref } from '../router.js'
import { statusBadge } from '../section/sectionStatus.js'
import type { AppPage, PageContext } from '../shell/appPage.js'
import { confirmDialog } from '../shell/dialog.js'
import { adminFrame } from './adminFrame.js'
import { createSection, deleteSection, fetchDeletedSections, renameSection, reorderSections, restoreSection } from './adminApi.js'

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
    this.addButton = h('button', { type: 'submit', class: 'button button--primary' }, 'Add section')
    this.addError = h('p', { class: 'form-error', role: 'alert' })
    const form = h(
      'form',
      { class: 'add-section-form', novalidate: true, 'aria-labelledby': 'add-section-heading' },
      h('div', { class: 'field add-section-form__title' }, h('label', { class: 'field__label', for: 'new-section-title' }, 'Title'), this.title),
      h('div', { class: 'field' }, h('label', { class: 'field__label', for: 'new-section-position' }, 'Place'), this.position),
      h('div', { class: 'invite-form__submit' }, this.addButton),
    )
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      void this.add()
    })
    this.list = h('ol', { class: 'structure-list' })
    this.deletedList = h('div', {})
    this.count = h('span', { class: 'panel__count' })
    this.said = h('p', { class: 'panel__status', role: 'status' })
    this.problem = h('p', { class: 'form-error', role: 'alert' })
    this.element = adminFrame(
      'sections',
      'The sections of the document and their order, as everyone sees them in the list of sections.',
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'structure-heading' },
        h('h2', { class: 'panel__title', id: 'structure-heading' }, 'Sections', this.count),
        this.said,
        this.problem,
        this.list,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'add-section-heading' },
        h('h2', { class: 'panel__title', id: 'add-section-heading' }, 'Add a section'),
        h('p', { class: 'panel__lead' }, 'A new section starts empty, in drafting.'),
        form,
        this.addError,
      ),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'deleted-heading' },
        h('h2', { class: 'panel__title', id: 'deleted-heading' }, 'Deleted sections'),
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
    this.count.textContent = `${sections.length} in “${this.view.title}”`
    replaceChildren(
      this.list,
      ...(sections.length === 0
        ? [h('li', { class: 'panel__empty' }, 'This document has no sections yet. Add the first one below.')]
        : sections.map((section, index) => this.row(section, index, sections.length))),
    )
    const chosen = this.position.value
    replaceChildren(
      this.position,
      h('option', { value: '' }, 'At the end'),
      sections.length > 0 ? h('option', { value: '0' }, 'At the start') : null,
      ...sections.slice(0, -1).map((section, index) => h('option', { value: String(index + 1) }, `After ${index + 1}. ${section.title}`)),
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
      h('span', { class: 'structure-item__number', 'aria-hidden': 'true' }, String(index + 1)),
      renaming
        ? this.renameForm(section, renaming.input)
        : h(
            'div',
            { class: 'structure-item__main' },
            h('a', { class: 'structure-item__title', href: sectionHref(section.id) }, section.title),
            statusBadge(section.status, 'small'),
          ),
      renaming
        ? null
        : h(
            'div',
            { class: 'structure-item__actions' },
            this.button('Rename', 'rename', `Rename “${section.title}”`, () => this.startRename(section), 'pencil', false),
            this.button('Move up', 'up', `Move “${section.title}” up`, () => void this.move(section, -1), 'arrowUp', true, index === 0),
            this.button('Move down', 'down', `Move “${section.title}” down`, () => void this.move(section, 1), 'arrowDown', true, index === total - 1),
            this.button('Delete', 'delete', `Delete “${section.title}”`, () => void this.remove(section), 'trash', false),
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
    const save = h('button', { type: 'submit', class: 'button button--primary button--small', 'data-control': 'save' }, 'Save')
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small', 'data-control': 'cancel' }, 'Cancel')
    const form = h(
      'form',
      { class: 'rename-form', novalidate: true },
      h('label', { class: 'visually-hidden', for: input.id }, `New title for “${section.title}”`),
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
        h('p', { class: 'panel__empty' }, 'No deleted sections. When a section is deleted, it is listed here with its text and can be restored.'),
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
            { type: 'button', class: 'button button--quiet button--small', 'data-control': 'restore', 'aria-label': `Restore “${section.title}”` },
            'Restore',
          )
          restore.addEventListener('click', () => void this.restore(section))
          return h(
            'li',
            { class: 'structure-item', 'data-deleted-id': section.id },
            h(
              'div',
              { class: 'structure-item__main' },
              h('span', { class: 'structure-item__title' }, section.title),
              h('span', { class: 'structure-item__meta' }, 'Deleted on ', timeElement(section.deletedAt)),
            ),
            h('div', { class: 'structure-item__actions' }, restore),
          )
        }),
      ),
    )
  }

  private startRename(section: SectionView): void {
    const input = h('input', { id: `rename-${section.id}`, class: 'text-input text-input--compact', type: 'text', maxlength: 200, value: section.title, 'data-control': 'title' })
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
    if (title === '') return this.fail('Enter a title for the section.')
    if (title === section.title) return this.endRename(section.id)
    await this.run(async () => {
      const renamed = await renameSection(section.id, title)
      this.view = { ...this.view, sections: this.view.sections.map((known) => (known.id === renamed.id ? renamed : known)) }
      this.endRename(section.id)
      this.say(`“${section.title}” is now called “${renamed.title}”.`)
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
      this.say(`“${section.title}” is now section ${to + 1} of ${ids.length}.`)
    })
  }

  private async remove(section: SectionView): Promise<void> {
    if (this.busy) return
    const removed = await confirmDialog({
      title: `Delete “${section.title}”?`,
      description:
        'The section disappears from the document for everyone, and anyone who has it open is told. Its text is kept: you can restore the section from “Deleted sections” on this page.',
      confirmLabel: 'Delete section',
      tone: 'danger',
      action: async () => {
        await deleteSection(section.id)
        return true
      },
    })
    if (!removed) return
    this.view = { ...this.view, sections: this.view.sections.filter((known) => known.id !== section.id) }
    this.render()
    this.say(`“${section.title}” was deleted. You can restore it below.`)
    this.list.querySelector<HTMLElement>('[data-control="rename"]')?.focus()
    await this.reloadDeleted()
  }

  private async restore(section: DeletedSectionView): Promise<void> {
    await this.run(async () => {
      const restored = await restoreSection(section.id)
      this.deleted = this.deleted.filter((known) => known.id !== section.id)
      if (!this.view.sections.some((known) => known.id === restored.id)) this.view = { ...this.view, sections: [...this.view.sections, restored] }
      this.render()
      this.say(`“${restored.title}” was restored as the last section.`)
      this.list.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(restored.id)}"] [data-control="rename"]`)?.focus()
    })
  }

  private async add(): Promise<void> {
    const title = this.title.value.trim()
    if (title === '') {
      this.addError.textContent = 'Enter a title for the new section.'
      this.title.setAttribute('aria-invalid', 'true')
      this.title.focus()
      return
    }
    const position = this.position.value === '' ? undefined : Number(this.position.value)
    this.addButton.disabled = true
    this.addError.textContent = ''
    this.title.removeAttribute('aria-invalid')
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
      this.say(`“${created.title}” was added as section ${this.view.sections.findIndex((known) => known.id === created.id) + 1}.`)
    } catch (error) {
      if (this.endedSession(error)) return
      this.addError.textContent = describeProblem(error, { title: 'The title' })
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
      if (!this.endedSession(error)) this.fail(`The list of deleted sections could not be updated. ${describeProblem(error)}`)
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
      if (!this.endedSession(error)) this.fail(describeProblem(error, { title: 'The title' }))
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
