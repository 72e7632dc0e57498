import { ANCHOR_CONTEXT_CHARS } from '../../shared/anchors.js'
import type { SectionView, UserView } from '../../shared/api.js'
import { can } from '../../shared/roles.js'
import { DISPOSITIONS, type CommentView, type Disposition, type ThreadView } from '../../shared/threads.js'
import { h, replaceChildren, type Child } from '../dom.js'
import { shorten } from '../format.js'
import type { AnchorPlace } from '../editor/anchoring.js'
import { isolate } from '../i18n/bidi.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { messageNodes } from '../i18n/messageNodes.js'
import type { InputCatalog } from '../inputs/inputCatalog.js'
import { kindTag } from '../inputs/inputLabels.js'
import { icon } from '../icons.js'
import { describeProblem } from '../problems.js'
import { announce } from '../shell/announcer.js'
import { confirmDialog } from '../shell/dialog.js'
import { CommentField } from './commentField.js'
import { renderCommentBody } from './commentText.js'
import { InputPicker } from './inputPicker.js'
import type { KnownPeople } from './knownPeople.js'
import { relativeTimeElement } from './relativeTime.js'
import {
  acceptSuggestion,
  deleteComment,
  editComment,
  recordDisposition,
  rejectSuggestion,
  replyToThread,
  setThreadInputs,
  setThreadResolved,
} from './threadApi.js'

let nextId = 0

const DISPOSITION_LABELS: Record<Disposition, MessageKey> = {
  accepted: 'comments.disposition.accepted',
  accepted_with_changes: 'comments.disposition.accepted_with_changes',
  not_retained: 'comments.disposition.not_retained',
  noted: 'comments.disposition.noted',
}

/** The words for a disposition, in the interface language. */
export function dispositionLabel(value: Disposition): string {
  return t(DISPOSITION_LABELS[value])
}

const QUOTE_PREVIEW_CHARS = 280
const LABEL_QUOTE_CHARS = 80

/** The thread API's field names as a problem with them names them. */
function fields(): Record<string, string> {
  return { body: t('comments.field.body'), rationale: t('comments.field.rationale') }
}

/** What a card needs from the panel around it. */
export interface ThreadCardContext {
  user: UserView
  documentId: string
  people: KnownPeople
  inputs: InputCatalog
  /** The section now (its status decides what may change). */
  section(): SectionView
  /** The user chose this thread: show and select its text. */
  reveal(threadId: string): void
  /** The server answered with the thread's new state. */
  updated(thread: ThreadView): void
}

/**
 * One comment thread beside the text: the quoted text (a button that shows
 * it in the section), linked conference inputs, a suggested replacement,
 * the comments with reply, edit and delete, resolve or reopen, and the
 * drafting committee's disposition. Live changes re-render it without
 * losing what the user is typing.
 */
export class ThreadCard {
  readonly element: HTMLElement
  private readonly id = `thread-${++nextId}`
  private readonly quotePart = h('div', { class: 'thread-card__quote-part' })
  private readonly statePart = h('div', { class: 'thread-card__state' })
  private readonly inputsPart = h('div', { class: 'thread-card__inputs' })
  private readonly suggestionPart = h('div', { class: 'thread-card__suggestion' })
  private readonly comments = h('ol', { class: 'thread-card__comments' })
  private readonly dispositionPart = h('div', { class: 'thread-card__disposition' })
  private readonly replyPart = h('div', { class: 'thread-card__reply' })
  private readonly actions = h('div', { class: 'thread-card__actions' })
  private readonly problem = h('p', { class: 'form-error', role: 'alert' })
  private readonly reply: CommentField
  private readonly replyButtons: HTMLElement
  private place: AnchorPlace = { kind: 'pending' }
  private editing: { commentId: string; element: HTMLElement } | null = null
  private inputEditor: InputPicker | null = null
  private rejecting = false
  private disposition: { select: HTMLSelectElement; rationale: HTMLInputElement; save: HTMLButtonElement; meta: HTMLElement } | null = null

  constructor(
    private thread: ThreadView,
    private readonly context: ThreadCardContext,
  ) {
    this.reply = new CommentField({
      label: t('comments.reply.label'),
      labelHidden: true,
      placeholder: t('comments.reply.placeholder'),
      rows: 1,
      people: context.people,
      onSubmit: () => void this.sendReply(),
      onCancel: () => this.closeReply(),
    })
    const send = h('button', { type: 'button', class: 'button button--primary button--small' }, t('comments.reply.send'))
    send.addEventListener('click', () => void this.sendReply())
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.cancel'))
    cancel.addEventListener('click', () => this.closeReply())
    this.replyButtons = h('div', { class: 'thread-card__reply-actions', hidden: true }, cancel, send)
    this.reply.textarea.addEventListener('focus', () => this.expandReply(true))
    // An empty reply box folds away again when the user moves on.
    this.replyPart.addEventListener('focusout', (event) => {
      const next = event.relatedTarget
      if (this.reply.value === '' && !(next instanceof Node && this.replyPart.contains(next))) this.expandReply(false)
    })
    this.replyPart.append(this.reply.element, this.replyButtons)

    this.element = h(
      'article',
      { class: 'thread-card', tabindex: '-1', 'data-thread-id': thread.id, 'data-testid': 'thread-card', 'aria-labelledby': `${this.id}-label` },
      this.quotePart,
      this.statePart,
      this.inputsPart,
      this.suggestionPart,
      this.comments,
      this.dispositionPart,
      h('div', { class: 'thread-card__footer' }, this.replyPart, this.actions),
      this.problem,
    )
    // A click on the card's own surface (not on a control or a link) shows its text.
    this.element.addEventListener('click', (event) => {
      const target = event.target as Element
      if (target.closest('button, a, input, textarea, select, label, .chip-list, .thread-card__comments')) return
      if (window.getSelection()?.isCollapsed === false) return
      this.context.reveal(this.thread.id)
    })
    // Enter on the card itself (reached with the arrow keys) shows its text, as a click does.
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.target !== this.element || event.defaultPrevented) return
      event.preventDefault()
      this.context.reveal(this.thread.id)
    })
    this.render()
  }

  /** The thread this card shows. */
  get threadId(): string {
    return this.thread.id
  }

  /** Shows a newer state of the thread. */
  update(thread: ThreadView): void {
    this.thread = thread
    this.render()
  }

  /** Shows where the thread's text is now (attached, detached or still arriving). */
  setPlace(place: AnchorPlace): void {
    if (place.kind === this.place.kind) {
      this.place = place
      return
    }
    this.place = place
    this.renderQuote()
  }

  /** Marks the card as the one whose text is emphasised. */
  setFocused(focused: boolean): void {
    this.element.classList.toggle('thread-card--focused', focused)
    if (focused) this.element.setAttribute('aria-current', 'true')
    else this.element.removeAttribute('aria-current')
  }

  destroy(): void {
    this.inputEditor?.destroy()
  }

  private get section(): SectionView {
    return this.context.section()
  }

  private get isStarter(): boolean {
    return this.thread.comments[0]?.author.id === this.context.user.id
  }

  private render(): void {
    this.renderQuote()
    this.renderState()
    if (!this.inputEditor) this.renderInputs()
    if (!this.rejecting) this.renderSuggestion()
    this.renderComments()
    this.renderDisposition()
    this.renderActions()
    this.replyPart.hidden = !can(this.context.user, 'comment.create', this.section)
    this.element.classList.toggle('thread-card--resolved', this.thread.status === 'resolved')
  }

  private renderQuote(): void {
    const { quote, prefix, suffix } = this.thread.anchor
    const starter = this.thread.comments[0]?.author.name
    const labelQuote = shorten(quote, LABEL_QUOTE_CHARS)
    const label = h(
      'span',
      { class: 'visually-hidden', id: `${this.id}-label` },
      starter ? t('comments.card.label', { name: starter, quote: labelQuote }) : t('comments.card.labelUnknown', { quote: labelQuote }),
    )
    if (this.place.kind === 'detached') {
      replaceChildren(
        this.quotePart,
        label,
        h(
          'p',
          { class: 'thread-quote thread-quote--detached', dir: 'auto' },
          // Context cut at its limit continues beyond it; shorter context reaches the paragraph's edge.
          prefix ? h('span', { class: 'thread-quote__context' }, `${prefix.length >= ANCHOR_CONTEXT_CHARS ? '…' : ''}${prefix}`) : null,
          h('del', { class: 'thread-quote__deleted' }, shorten(quote, QUOTE_PREVIEW_CHARS)),
          suffix ? h('span', { class: 'thread-quote__context' }, `${suffix}${suffix.length >= ANCHOR_CONTEXT_CHARS ? '…' : ''}`) : null,
        ),
      )
      return
    }
    if (this.place.kind === 'pending') {
      replaceChildren(this.quotePart, label, h('p', { class: 'thread-quote', dir: 'auto' }, shorten(quote, QUOTE_PREVIEW_CHARS)))
      return
    }
    const show = h(
      'button',
      { type: 'button', class: 'thread-quote thread-quote--button', dir: 'auto', title: t('comments.quote.show') },
      shorten(quote, QUOTE_PREVIEW_CHARS),
      h('span', { class: 'visually-hidden' }, ` ${t('comments.quote.showHidden')}`),
    )
    show.addEventListener('click', () => this.context.reveal(this.thread.id))
    replaceChildren(this.quotePart, label, show)
  }

  private renderState(): void {
    const thread = this.thread
    if (thread.status !== 'resolved') {
      replaceChildren(this.statePart)
      this.statePart.hidden = true
      return
    }
    this.statePart.hidden = false
    replaceChildren(
      this.statePart,
      h('span', { class: 'thread-badge thread-badge--resolved' }, icon('check'), t('comments.state.resolved')),
      h('span', { class: 'thread-card__meta' }, ...this.resolvedMeta()),
    )
  }

  private resolvedMeta(): Child[] {
    const { resolvedBy, resolvedAt } = this.thread
    if (resolvedBy && resolvedAt) return messageNodes('comments.state.resolvedByAt', { name: isolate(resolvedBy.name), time: relativeTimeElement(resolvedAt) })
    if (resolvedBy) return [t('comments.state.resolvedBy', { name: isolate(resolvedBy.name) })]
    return resolvedAt ? [relativeTimeElement(resolvedAt)] : []
  }

  private renderInputs(): void {
    const catalog = this.context.inputs
    const linked = this.thread.inputIds.map((id) => catalog.get(id)).filter((input) => input !== undefined)
    const mayEdit = this.isStarter || can(this.context.user, 'disposition.record', this.section)
    const chips =
      linked.length > 0
        ? h(
            'ul',
            { class: 'chip-list', 'aria-label': t('comments.inputs.label') },
            ...linked.map((input) =>
              h('li', { class: 'chip', title: `${input.title} — ${input.source}` }, kindTag(input.kind), h('span', { class: 'chip__text', dir: 'auto' }, input.title)),
            ),
          )
        : null
    let edit: HTMLButtonElement | null = null
    if (mayEdit) {
      edit = h('button', { type: 'button', class: 'link-button' }, t(linked.length > 0 ? 'comments.inputs.change' : 'comments.inputs.link'))
      edit.addEventListener('click', () => this.openInputEditor(linked))
    }
    this.inputsPart.hidden = chips === null && edit === null
    replaceChildren(this.inputsPart, chips, edit)
  }

  private openInputEditor(linked: NonNullable<ReturnType<InputCatalog['get']>>[]): void {
    const picker = new InputPicker({ documentId: this.context.documentId, label: t('comments.inputs.label'), selected: linked })
    this.inputEditor = picker
    const error = h('p', { class: 'form-error', role: 'alert' })
    const save = h('button', { type: 'button', class: 'button button--primary button--small' }, t('comments.inputs.save'))
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.cancel'))
    const close = (): void => {
      picker.destroy()
      this.inputEditor = null
      this.renderInputs()
    }
    const closeAndReturn = (): void => {
      close()
      this.inputsPart.querySelector('button')?.focus()
    }
    cancel.addEventListener('click', closeAndReturn)
    // Escape in the search box closes its list first (and stops the key); a second Escape gives up.
    picker.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      event.preventDefault()
      closeAndReturn()
    })
    save.addEventListener('click', async () => {
      save.disabled = true
      try {
        this.context.updated(await setThreadInputs(this.thread.id, picker.inputIds))
        closeAndReturn()
        announce(t('comments.inputs.saved'))
      } catch (failure) {
        save.disabled = false
        error.textContent = describeProblem(failure)
      }
    })
    replaceChildren(this.inputsPart, picker.element, error, h('div', { class: 'thread-card__form-actions' }, cancel, save))
    this.inputsPart.hidden = false
    this.inputsPart.querySelector('input')?.focus()
  }

  private renderSuggestion(): void {
    const suggestion = this.thread.suggestion
    if (!suggestion) {
      this.suggestionPart.hidden = true
      replaceChildren(this.suggestionPart)
      return
    }
    this.suggestionPart.hidden = false
    const status =
      suggestion.status === 'pending'
        ? h('span', { class: 'thread-badge' }, t('comments.suggestion.pending'))
        : h('span', { class: `thread-badge thread-badge--${suggestion.status}` }, this.decisionText(suggestion.status === 'accepted', suggestion.decidedBy?.name))
    const decide = suggestion.status === 'pending' && can(this.context.user, 'suggestion.decide', this.section)
    let buttons: HTMLElement | null = null
    if (decide) {
      const accept = h('button', { type: 'button', class: 'button button--primary button--small' }, t('comments.suggestion.accept'))
      accept.addEventListener('click', () => void this.run(accept, () => acceptSuggestion(this.thread.id), t('comments.suggestion.acceptedNotice')))
      const reject = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('comments.suggestion.reject'))
      reject.addEventListener('click', () => this.openRejectForm())
      buttons = h('div', { class: 'thread-card__form-actions thread-card__form-actions--start' }, accept, reject)
    }
    replaceChildren(
      this.suggestionPart,
      h('p', { class: 'thread-card__label' }, t('comments.suggestion.label')),
      // Once accepted, the thread's quote is the new text itself: only the replacement is left to show.
      h(
        'p',
        { class: 'suggestion-text' },
        suggestion.status === 'accepted' ? null : h('del', { dir: 'auto' }, shorten(this.thread.anchor.quote, QUOTE_PREVIEW_CHARS)),
        suggestion.text === '' ? h('ins', {}, t('comments.suggestion.deleteText')) : h('ins', { dir: 'auto' }, suggestion.text),
      ),
      status,
      buttons,
    )
  }

  private decisionText(accepted: boolean, by: string | undefined): string {
    if (by) return t(accepted ? 'comments.suggestion.acceptedBy' : 'comments.suggestion.notRetainedBy', { name: isolate(by) })
    return t(accepted ? 'comments.suggestion.accepted' : 'comments.suggestion.notRetained')
  }

  private openRejectForm(): void {
    this.rejecting = true
    const id = `${this.id}-reject`
    const rationale = h('input', { id, class: 'text-input text-input--compact', type: 'text', maxlength: 2000, autocomplete: 'off' })
    const error = h('p', { class: 'form-error', role: 'alert' })
    const confirm = h('button', { type: 'submit', class: 'button button--primary button--small' }, t('comments.suggestion.rejectConfirm'))
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.cancel'))
    const form = h(
      'form',
      { class: 'thread-card__inline-form', novalidate: true },
      h('label', { class: 'field__label', for: id }, t('comments.suggestion.rejectReason')),
      rationale,
      error,
      h('div', { class: 'thread-card__form-actions' }, cancel, confirm),
    )
    const close = (): void => {
      this.rejecting = false
      this.renderSuggestion()
    }
    cancel.addEventListener('click', close)
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      confirm.disabled = true
      try {
        this.context.updated(await rejectSuggestion(this.thread.id, rationale.value))
        close()
        announce(t('comments.suggestion.rejectedNotice'))
      } catch (failure) {
        confirm.disabled = false
        error.textContent = describeProblem(failure, fields())
      }
    })
    this.suggestionPart.append(form)
    rationale.focus()
  }

  private renderComments(): void {
    const names = this.context.people.names()
    replaceChildren(
      this.comments,
      ...this.thread.comments.map((comment) =>
        this.editing?.commentId === comment.id ? this.editing.element : this.commentItem(comment, names),
      ),
    )
  }

  private commentItem(comment: CommentView, names: string[]): HTMLLIElement {
    const own = comment.author.id === this.context.user.id && !comment.deleted
    let actions: HTMLElement | null = null
    if (own) {
      const edit = h('button', { type: 'button', class: 'link-button' }, t('comments.comment.edit'))
      edit.addEventListener('click', () => this.startEditing(comment))
      const remove = h('button', { type: 'button', class: 'link-button' }, t('comments.comment.delete'))
      remove.addEventListener('click', () => void this.confirmDelete(comment))
      actions = h('div', { class: 'comment__actions' }, edit, remove)
    }
    return h(
      'li',
      { class: 'comment', 'data-comment-id': comment.id },
      h(
        'p',
        { class: 'comment__head' },
        h('bdi', { class: 'comment__author' }, comment.author.name),
        comment.author.organisation ? h('span', { class: 'comment__organisation' }, ' · ', h('bdi', {}, comment.author.organisation)) : null,
        h('span', { class: 'comment__time' }, ' · ', relativeTimeElement(comment.createdAt), comment.editedAt && !comment.deleted ? ` · ${t('comments.comment.edited')}` : ''),
      ),
      comment.deleted
        ? h('p', { class: 'comment__body comment__body--deleted' }, t('comments.comment.deleted'))
        : h('p', { class: 'comment__body', dir: 'auto', 'data-testid': 'comment-body' }, renderCommentBody(comment.body, names)),
      actions,
    )
  }

  private startEditing(comment: CommentView): void {
    const save = h('button', { type: 'button', class: 'button button--primary button--small' }, t('common.save'))
    const cancel = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.cancel'))
    const stop = (): void => {
      this.editing = null
      this.renderComments()
    }
    const submit = async (): Promise<void> => {
      field.showError('')
      save.disabled = true
      try {
        const thread = await editComment(this.thread.id, comment.id, field.value)
        this.editing = null
        this.context.updated(thread)
        announce(t('comments.comment.saved'))
      } catch (failure) {
        save.disabled = false
        field.showError(describeProblem(failure, fields()))
        field.focus()
      }
    }
    const field = new CommentField({
      label: t('comments.comment.editLabel'),
      value: comment.body,
      rows: 3,
      people: this.context.people,
      onSubmit: () => void submit(),
      onCancel: stop,
    })
    save.addEventListener('click', () => void submit())
    cancel.addEventListener('click', stop)
    const element = h('li', { class: 'comment comment--editing', 'data-comment-id': comment.id }, field.element, h('div', { class: 'thread-card__form-actions' }, cancel, save))
    this.editing = { commentId: comment.id, element }
    this.renderComments()
    field.focus()
  }

  private async confirmDelete(comment: CommentView): Promise<void> {
    const thread = await confirmDialog({
      title: t('comments.delete.title'),
      description: t('comments.delete.description'),
      confirmLabel: t('comments.delete.confirm'),
      tone: 'danger',
      action: () => deleteComment(this.thread.id, comment.id),
    })
    if (thread) {
      this.context.updated(thread)
      announce(t('comments.delete.done'))
    }
  }

  private renderDisposition(): void {
    const disposition = this.thread.disposition
    if (!can(this.context.user, 'disposition.record', this.section)) {
      this.disposition = null
      this.dispositionPart.hidden = disposition === null
      if (disposition) {
        replaceChildren(
          this.dispositionPart,
          h('p', { class: 'thread-card__label' }, t('comments.disposition.label')),
          h(
            'p',
            { class: 'disposition-value' },
            h('span', { class: 'thread-badge', 'data-disposition': disposition.value }, dispositionLabel(disposition.value)),
            disposition.rationale ? ' ' : '',
            disposition.rationale ? h('bdi', {}, disposition.rationale) : null,
          ),
          h('p', { class: 'thread-card__meta' }, ...messageNodes('comments.disposition.byAt', { name: isolate(disposition.by.name), time: relativeTimeElement(disposition.at) })),
        )
      }
      return
    }
    if (!this.disposition) this.buildDispositionForm()
    const form = this.disposition!
    // What the drafter is changing is left alone; only a settled form follows the server.
    if (form.save.disabled) {
      form.select.value = disposition?.value ?? ''
      form.rationale.value = disposition?.rationale ?? ''
    }
    replaceChildren(
      form.meta,
      ...(disposition
        ? messageNodes('comments.disposition.recordedByAt', { name: isolate(disposition.by.name), time: relativeTimeElement(disposition.at) })
        : [t('comments.disposition.undecided')]),
    )
    this.dispositionPart.hidden = false
  }

  private buildDispositionForm(): void {
    const id = `${this.id}-disposition`
    const select = h('select', { id, class: 'text-input text-input--compact' }, h('option', { value: '', disabled: true }, t('comments.disposition.choose')))
    for (const value of DISPOSITIONS) select.append(h('option', { value }, dispositionLabel(value)))
    const rationale = h('input', {
      id: `${id}-rationale`,
      class: 'text-input text-input--compact',
      type: 'text',
      maxlength: 2000,
      autocomplete: 'off',
      placeholder: t('comments.disposition.rationalePlaceholder'),
    })
    const save = h('button', { type: 'submit', class: 'button button--quiet button--small', disabled: true }, t('common.save'))
    const meta = h('p', { class: 'thread-card__meta' })
    const error = h('p', { class: 'form-error', role: 'alert' })
    const form = h(
      'form',
      { class: 'disposition-form', novalidate: true },
      h('label', { class: 'thread-card__label', for: id }, t('comments.disposition.label')),
      h('div', { class: 'disposition-form__row' }, select, save),
      h('label', { class: 'visually-hidden', for: rationale.id }, t('comments.disposition.rationale')),
      rationale,
      meta,
      error,
    )
    const dirty = (): void => {
      const current = this.thread.disposition
      save.disabled = select.value === '' || (select.value === current?.value && rationale.value.trim() === (current?.rationale ?? ''))
    }
    select.addEventListener('change', dirty)
    rationale.addEventListener('input', dirty)
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      if (save.disabled) return
      save.disabled = true
      error.textContent = ''
      try {
        this.context.updated(await recordDisposition(this.thread.id, select.value as Disposition, rationale.value))
        announce(t('comments.disposition.saved'))
      } catch (failure) {
        save.disabled = false
        error.textContent = describeProblem(failure, fields())
      }
    })
    this.disposition = { select, rationale, save, meta }
    replaceChildren(this.dispositionPart, form)
  }

  private renderActions(): void {
    const resolved = this.thread.status === 'resolved'
    const mayResolve = this.isStarter || can(this.context.user, 'thread.resolveAny', this.section)
    if (!mayResolve) {
      replaceChildren(this.actions)
      this.actions.hidden = true
      return
    }
    const button = h('button', { type: 'button', class: 'button button--quiet button--small' }, t(resolved ? 'comments.thread.reopen' : 'comments.thread.resolve'))
    button.addEventListener('click', () =>
      void this.run(button, () => setThreadResolved(this.thread.id, !resolved), t(resolved ? 'comments.thread.reopenedNotice' : 'comments.thread.resolvedNotice')),
    )
    this.actions.hidden = false
    replaceChildren(this.actions, button)
  }

  private async sendReply(): Promise<void> {
    if (this.reply.value.trim() === '') {
      this.reply.showError(t('comments.reply.empty'))
      return
    }
    this.reply.showError('')
    this.reply.setDisabled(true)
    try {
      const thread = await replyToThread(this.thread.id, this.reply.value)
      this.reply.value = ''
      this.context.updated(thread)
      announce(t('comments.reply.sent'))
    } catch (failure) {
      this.reply.showError(describeProblem(failure, fields()))
    } finally {
      this.reply.setDisabled(false)
      this.reply.focus()
    }
  }

  private closeReply(): void {
    this.reply.value = ''
    this.reply.showError('')
    this.expandReply(false)
    this.element.focus()
  }

  private expandReply(expanded: boolean): void {
    this.replyButtons.hidden = !expanded
    this.reply.textarea.rows = expanded ? 3 : 1
    this.element.classList.toggle('thread-card--replying', expanded)
  }

  // Runs a one-click request, showing its problem on the card. What it did is said through
  // the page's live region: a card resolved under the Open filter leaves the page at once.
  private async run(button: HTMLButtonElement, action: () => Promise<ThreadView>, done: string): Promise<void> {
    button.disabled = true
    this.problem.textContent = ''
    try {
      this.context.updated(await action())
      announce(done)
    } catch (failure) {
      this.problem.textContent = describeProblem(failure)
    } finally {
      button.disabled = false
    }
  }
}
