import type { SectionView, UserView } from '../../shared/api.js'
import { can } from '../../shared/roles.js'
import { h, replaceChildren } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { describeProblem } from '../problems.js'
import { confirmDialog } from '../shell/dialog.js'
import { approvalRecord, changeRequestNote, previousApproval } from './approvalRecord.js'
import { isolate } from '../i18n/bidi.js'
import { statusBadge } from './sectionStatus.js'
import { approveSection, reopenSection, requestChanges, submitSection } from './workflowApi.js'

/** What the workflow bar reports to its page. */
export interface WorkflowBarActions {
  /** A step succeeded; `section` is the server's answer. */
  changed(section: SectionView): void
}

/**
 * A section's place in the workflow, under its title: the status, one
 * sentence on what happens next for this user, the steps they may take
 * (submit; approve or request changes; reopen), and the record that goes
 * with the status: the approval of an approved section, the approver's note
 * on one sent back to drafting. Buttons mirror the shared role rules; the
 * server decides, and its refusals are shown here in words.
 */
export class WorkflowBar {
  readonly element: HTMLElement
  private section: SectionView | null = null
  private busy = false
  private readonly badge: HTMLElement
  private readonly sentence: HTMLElement
  private readonly buttons: HTMLElement
  private readonly detail: HTMLElement
  private readonly error: HTMLElement
  private readonly announcer: HTMLElement

  constructor(
    private readonly user: UserView,
    private readonly actions: WorkflowBarActions,
  ) {
    this.badge = h('div', { class: 'workflow__badge' })
    this.sentence = h('p', { class: 'workflow__sentence', tabindex: '-1' })
    this.buttons = h('div', { class: 'workflow__actions' })
    this.detail = h('div', { class: 'workflow__detail' })
    this.error = h('p', { class: 'problem-notice', role: 'alert' })
    this.announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' })
    this.element = h(
      'div',
      { class: 'workflow', 'data-testid': 'workflow-bar' },
      h('div', { class: 'workflow__main' }, this.badge, this.sentence, this.buttons),
      this.detail,
      this.error,
      this.announcer,
    )
  }

  /** Shows `section` as the server last described it. */
  update(section: SectionView): void {
    const previous = this.section
    this.section = section
    if (previous && previous.id === section.id && previous.status !== section.status && !this.busy) {
      // Someone else moved the section on: say so to screen readers too.
      this.announcer.textContent = t('section.now', { status: section.status })
    }
    if (previous?.status !== section.status) this.error.textContent = ''
    this.render()
  }

  private render(): void {
    const section = this.section
    if (!section) return
    this.element.dataset.status = section.status
    replaceChildren(this.badge, statusBadge(section.status))
    this.sentence.textContent = this.sentenceFor(section)
    replaceChildren(this.buttons, ...this.buttonsFor(section))
    replaceChildren(this.detail, this.detailFor(section))
  }

  private sentenceFor(section: SectionView): string {
    return t(this.sentenceKey(section))
  }

  private sentenceKey(section: SectionView): MessageKey {
    switch (section.status) {
      case 'drafting':
        return can(this.user, 'section.submit', section) ? 'section.next.drafting.canSubmit' : 'section.next.drafting.other'
      case 'in_review':
        if (can(this.user, 'section.approve', section)) return 'section.next.inReview.canApprove'
        if (can(this.user, 'section.edit', section)) return 'section.next.inReview.canEdit'
        return 'section.next.inReview.other'
      case 'approved':
        return can(this.user, 'section.reopen', section) ? 'section.next.approved.canReopen' : 'section.next.approved.other'
    }
  }

  private buttonsFor(section: SectionView): HTMLButtonElement[] {
    const buttons: HTMLButtonElement[] = []
    if (section.status === 'drafting' && can(this.user, 'section.submit', section)) {
      buttons.push(this.button(t('section.action.submit'), 'primary', () => this.submit(section)))
    }
    if (section.status === 'in_review' && can(this.user, 'section.requestChanges', section)) {
      buttons.push(this.button(t('section.action.requestChanges'), 'quiet', () => this.requestChanges(section)))
    }
    if (section.status === 'in_review' && can(this.user, 'section.approve', section)) {
      buttons.push(this.button(t('section.action.approve'), 'primary', () => this.approve(section)))
    }
    if (section.status === 'approved' && can(this.user, 'section.reopen', section)) {
      buttons.push(this.button(t('section.action.reopen'), 'quiet', () => this.reopen(section)))
    }
    return buttons
  }

  private detailFor(section: SectionView): HTMLElement | null {
    if (section.status === 'approved' && section.approval) return approvalRecord({ ...section, approval: section.approval })
    if (section.status === 'drafting' && section.changeRequest) return changeRequestNote(section.changeRequest)
    if (section.status === 'drafting' && section.approval) return previousApproval(section.approval)
    return null
  }

  private button(label: string, tone: 'primary' | 'quiet', onClick: () => void): HTMLButtonElement {
    const button = h('button', { type: 'button', class: `button button--${tone} button--small`, disabled: this.busy }, label)
    button.addEventListener('click', onClick)
    return button
  }

  private async submit(section: SectionView): Promise<void> {
    this.setBusy(true)
    try {
      this.done(await submitSection(section.id))
    } catch (error) {
      this.error.textContent = describeProblem(error)
    } finally {
      this.setBusy(false)
    }
  }

  private async approve(section: SectionView): Promise<void> {
    const approved = await confirmDialog({
      title: t('section.approve.title', { title: isolate(section.title) }),
      description: t('section.approve.description'),
      confirmLabel: t('section.approve.confirm'),
      action: () => approveSection(section.id),
    })
    if (approved) this.done(approved)
  }

  private async requestChanges(section: SectionView): Promise<void> {
    const sent = await confirmDialog({
      title: t('section.action.requestChanges'),
      description: t('section.requestChanges.description', { title: isolate(section.title) }),
      note: {
        label: t('section.requestChanges.noteLabel'),
        hint: t('section.requestChanges.noteHint'),
        missing: t('section.requestChanges.noteMissing'),
      },
      confirmLabel: t('section.requestChanges.confirm'),
      action: (note) => requestChanges(section.id, note),
      describeError: (error) => describeProblem(error, { note: t('section.field.note') }),
    })
    if (sent) this.done(sent)
  }

  private async reopen(section: SectionView): Promise<void> {
    const reopened = await confirmDialog({
      title: t('section.reopen.title', { title: isolate(section.title) }),
      description: t('section.reopen.description'),
      note: {
        label: t('section.reopen.noteLabel'),
        hint: t('section.reopen.noteHint'),
        missing: t('section.reopen.noteMissing'),
      },
      confirmLabel: t('section.reopen.confirm'),
      action: (reason) => reopenSection(section.id, reason),
      describeError: (error) => describeProblem(error, { reason: t('section.field.reason') }),
    })
    if (reopened) this.done(reopened)
  }

  // The button just used is gone after the step; focus moves to the sentence that says what happens now.
  private done(section: SectionView): void {
    this.error.textContent = ''
    this.section = section
    this.render()
    this.actions.changed(section)
    this.sentence.focus()
  }

  private setBusy(busy: boolean): void {
    this.busy = busy
    for (const button of this.buttons.querySelectorAll('button')) button.disabled = busy
  }
}
