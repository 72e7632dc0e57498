import type { EditorView } from 'prosemirror-view'
import type { SectionView, UserView } from '../../shared/api.js'
import { COMMENT_MAX_CHARS, type ThreadView } from '../../shared/threads.js'
import { can } from '../../shared/roles.js'
import { ApiError } from '../api.js'
import type { DocumentEvents } from '../documents/documentEvents.js'
import { h, replaceChildren, shortcutLabel } from '../dom.js'
import { anchorFor, textOnly, type AnchorPlace } from '../editor/anchoring.js'
import {
  focusThreadRange,
  setCommentDraft,
  setHighlightedThreads,
  threadPlaces,
  type CommentHooks,
  type ThreadPlaces,
} from '../editor/commentHighlights.js'
import { Shortcuts } from '../editor/keymap.js'
import { icon } from '../icons.js'
import { InputCatalog } from '../inputs/inputCatalog.js'
import { describeProblem } from '../problems.js'
import { Composer } from './composer.js'
import { KnownPeople } from './knownPeople.js'
import { refreshRelativeTimes } from './relativeTime.js'
import { createThread, fetchPeople, fetchThreads } from './threadApi.js'
import { ThreadCard } from './threadCard.js'

/** Which threads the panel lists. */
type Filter = 'open' | 'resolved' | 'all'

const FILTERS: { value: Filter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
]

const TIME_REFRESH_MS = 60_000
const PENDING: AnchorPlace = { kind: 'pending' }

let nextId = 0

/** What the panel needs from the section page. */
export interface CommentsPanelOptions {
  sectionId: string
  documentId: string
  user: UserView
  /** The section now: its status decides what may change. */
  section(): SectionView
  /** The open document's event stream: threads, inputs and presence as they change. */
  events: DocumentEvents
  /** The session is gone (a request answered 401). */
  unauthorized(): void
}

/**
 * The comment threads of a section beside its text, in the order of their
 * text, with a filter for open and resolved ones; threads whose text was
 * deleted are listed apart with their quote. It starts new threads from the
 * editor's selection, keeps the editor's highlights in step with the
 * threads, and follows the document's event stream so that threads others
 * start, answer or resolve appear at once. On narrow screens it is a drawer
 * opened from `toggle`.
 */
export class CommentsPanel {
  readonly element: HTMLElement
  /** The button that opens the panel on narrow screens; the page places it. */
  readonly toggle: HTMLButtonElement
  /** What the editor calls: the comment command, highlight clicks, moved ranges. */
  readonly hooks: CommentHooks
  private readonly id = `comments-${++nextId}`
  private readonly people = new KnownPeople()
  private readonly inputs: InputCatalog
  private readonly threads = new Map<string, ThreadView>()
  private readonly cards = new Map<string, ThreadCard>()
  private readonly heading: HTMLHeadingElement
  private readonly toggleCount: HTMLElement
  private readonly filterCounts = new Map<Filter, HTMLElement>()
  private readonly notice: HTMLElement
  private readonly announcer: HTMLElement
  private readonly composerSlot: HTMLElement
  private readonly list: HTMLElement
  private readonly detached: HTMLElement
  private readonly detachedList: HTMLElement
  private readonly empty: HTMLElement
  private view: EditorView | null = null
  private places: ThreadPlaces = new Map()
  private filter: Filter = 'open'
  private focused: string | null = null
  private composer: Composer | null = null
  private loaded = false
  private destroyed = false
  private readonly unsubscribers: (() => void)[] = []
  private readonly timer: number

  constructor(private readonly options: CommentsPanelOptions) {
    this.inputs = new InputCatalog(options.documentId)
    this.people.add([{ id: options.user.id, name: options.user.name, organisation: options.user.organisation }])

    this.heading = h('h2', { class: 'comments-panel__title', id: `${this.id}-title`, tabindex: '-1' }, 'Comments')
    const close = h('button', { type: 'button', class: 'icon-button comments-panel__close', 'aria-label': 'Close comments' }, icon('close'))
    close.addEventListener('click', () => this.setOpen(false, true))
    const filters = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, 'Show'))
    for (const { value, label } of FILTERS) {
      const input = h('input', { type: 'radio', name: `${this.id}-filter`, value, class: 'segmented__input', checked: value === this.filter })
      const count = h('span', { class: 'segmented__count' })
      input.addEventListener('change', () => {
        this.filter = value
        this.renderList()
        this.updateHighlights()
      })
      filters.append(h('label', { class: 'segmented__option' }, input, h('span', { class: 'segmented__label' }, label, count)))
      this.filterCounts.set(value, count)
    }
    this.notice = h('p', { class: 'comments-panel__notice', role: 'status' })
    this.announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' })
    this.composerSlot = h('div', { class: 'comments-panel__composer' })
    this.list = h('div', { class: 'comments-panel__list', 'data-testid': 'thread-list' })
    this.detachedList = h('div', { class: 'comments-panel__list' })
    this.detached = h(
      'section',
      { class: 'comments-panel__detached', 'aria-labelledby': `${this.id}-detached`, hidden: true, 'data-testid': 'detached-threads' },
      h('h3', { class: 'comments-panel__group-title', id: `${this.id}-detached` }, 'The text this comment was about was deleted'),
      h('p', { class: 'comments-panel__group-hint' }, 'These threads keep the words they were about, shown crossed out with the text around them.'),
      this.detachedList,
    )
    this.empty = h('div', { class: 'comments-panel__empty' }, h('p', {}, 'Loading comments…'))
    this.element = h(
      'aside',
      { class: 'comments-panel', id: this.id, 'aria-labelledby': this.heading.id, 'data-testid': 'comments-panel' },
      h('div', { class: 'comments-panel__header' }, h('div', { class: 'comments-panel__heading-row' }, this.heading, close), filters),
      this.notice,
      this.composerSlot,
      this.list,
      this.detached,
      this.empty,
      this.announcer,
    )
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.element.classList.contains('comments-panel--open') && !event.defaultPrevented) {
        this.setOpen(false, true)
      }
    })

    this.toggleCount = h('span', { class: 'comments-toggle__count' })
    this.toggle = h(
      'button',
      { type: 'button', class: 'button button--quiet comments-toggle', 'aria-controls': this.id, 'aria-expanded': 'false' },
      icon('comment'),
      h('span', {}, 'Comments'),
      this.toggleCount,
    )
    this.toggle.addEventListener('click', () => this.setOpen(!this.element.classList.contains('comments-panel--open'), true))

    this.hooks = {
      canComment: () => can(options.user, 'comment.create', options.section()),
      startComment: (view) => this.startComment(view),
      threadClicked: (threadId) => this.threadClicked(threadId),
      placesChanged: (places) => {
        this.places = places
        this.renderList()
      },
    }

    this.unsubscribers.push(
      options.events.listen({
        thread: (thread) => {
          if (thread.sectionId === options.sectionId) this.upsert(thread)
        },
        input: (input) => this.inputs.applyInput(input),
        inputMerged: (inputId, into) => this.inputs.applyMerge(inputId, into),
        presence: (presence) => this.people.add(Object.values(presence).flat()),
        resync: () => void this.load(),
      }),
      this.inputs.subscribe(() => {
        this.people.add(this.inputs.all().map((input) => input.addedBy))
        for (const card of this.cards.values()) card.update(this.threads.get(card.threadId)!)
      }),
    )
    this.people.add(Object.values(options.events.presence).flat())
    // Offline the list stays as gathered from presence, threads and inputs.
    fetchPeople().then((people) => this.people.add(people), () => undefined)
    this.timer = window.setInterval(() => refreshRelativeTimes(this.element), TIME_REFRESH_MS)
    void this.load()
  }

  /** Binds the panel to the section's editor (once it exists). */
  attach(view: EditorView): void {
    this.view = view
    this.places = threadPlaces(view.state)
    this.updateHighlights()
  }

  /** The section's status or title changed: what each user may do may have changed too. */
  sectionChanged(): void {
    for (const card of this.cards.values()) card.update(this.threads.get(card.threadId)!)
    this.renderEmpty()
  }

  destroy(): void {
    this.destroyed = true
    window.clearInterval(this.timer)
    for (const unsubscribe of this.unsubscribers) unsubscribe()
    this.composer?.destroy()
    for (const card of this.cards.values()) card.destroy()
    this.element.remove()
    this.toggle.remove()
  }

  private async load(): Promise<void> {
    try {
      const [threads] = await Promise.all([fetchThreads(this.options.sectionId), this.inputs.load()])
      if (this.destroyed) return
      this.loaded = true
      for (const thread of threads) this.upsert(thread, false)
      this.updateHighlights()
      this.renderList()
    } catch (error) {
      if (this.destroyed) return
      if (error instanceof ApiError && error.isUnauthorized) return this.options.unauthorized()
      const retry = h('button', { type: 'button', class: 'button button--quiet button--small' }, 'Try again')
      retry.addEventListener('click', () => {
        replaceChildren(this.empty, h('p', {}, 'Loading comments…'))
        void this.load()
      })
      this.empty.hidden = false
      replaceChildren(this.empty, h('p', {}, `Comments could not be loaded. ${describeProblem(error)}`), retry)
    }
  }

  // Takes in a thread from the server: a new one, or a newer state of one we show.
  private upsert(thread: ThreadView, render = true): void {
    this.threads.set(thread.id, thread)
    this.people.add([
      ...thread.comments.map((comment) => comment.author),
      thread.resolvedBy,
      thread.disposition?.by,
      thread.suggestion?.decidedBy,
    ])
    const card = this.cards.get(thread.id)
    if (card) card.update(thread)
    else this.cards.set(thread.id, this.createCard(thread))
    if (render) {
      this.updateHighlights()
      this.renderList()
    }
  }

  private createCard(thread: ThreadView): ThreadCard {
    const card = new ThreadCard(thread, {
      user: this.options.user,
      documentId: this.options.documentId,
      people: this.people,
      inputs: this.inputs,
      section: () => this.options.section(),
      reveal: (threadId) => this.reveal(threadId),
      updated: (updated) => this.upsert(updated),
    })
    card.setPlace(this.places.get(thread.id) ?? PENDING)
    return card
  }

  private visible(thread: ThreadView): boolean {
    return this.filter === 'all' || thread.status === this.filter
  }

  // Open threads are always highlighted; resolved ones while the panel lists them.
  private updateHighlights(): void {
    if (!this.view || this.view.isDestroyed) return
    setHighlightedThreads(
      this.view,
      [...this.threads.values()].map((thread) => ({ id: thread.id, anchor: thread.anchor, visible: thread.status === 'open' || this.visible(thread) })),
    )
  }

  private renderList(): void {
    const active = document.activeElement
    const holdingFocus = active && this.element.contains(active) ? [...this.cards.values()].find((card) => card.element.contains(active)) : undefined
    const attached: { card: ThreadCard; from: number }[] = []
    const waiting: { card: ThreadCard; createdAt: string }[] = []
    const detached: { card: ThreadCard; createdAt: string }[] = []
    for (const thread of this.threads.values()) {
      const card = this.cards.get(thread.id)!
      const place = this.places.get(thread.id) ?? PENDING
      card.setPlace(place)
      if (!this.visible(thread)) continue
      if (place.kind === 'attached') attached.push({ card, from: place.from })
      else if (place.kind === 'detached') detached.push({ card, createdAt: thread.createdAt })
      else waiting.push({ card, createdAt: thread.createdAt })
    }
    attached.sort((a, b) => a.from - b.from)
    waiting.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    detached.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    placeInOrder(this.list, [...attached, ...waiting].map(({ card }) => card.element))
    placeInOrder(this.detachedList, detached.map(({ card }) => card.element))
    this.detached.hidden = detached.length === 0
    this.renderCounts()
    this.renderEmpty()
    // A thread resolved or reopened under a filter that no longer shows it takes focus with it.
    if (holdingFocus && !holdingFocus.element.isConnected) {
      const moved = this.threads.get(holdingFocus.threadId)!.status === 'resolved' ? 'Resolved' : 'Open'
      this.heading.focus()
      this.announcer.textContent = `The thread is now listed under ${moved}.`
    }
  }

  private renderCounts(): void {
    const all = [...this.threads.values()]
    const open = all.filter((thread) => thread.status === 'open').length
    const counts: Record<Filter, number> = { open, resolved: all.length - open, all: all.length }
    for (const [filter, count] of this.filterCounts) count.textContent = String(counts[filter])
    this.toggleCount.textContent = open > 0 ? String(open) : ''
    this.toggle.setAttribute('aria-label', `Comments, ${open} open`)
  }

  private renderEmpty(): void {
    if (!this.loaded) return
    const shown = this.list.childElementCount + this.detachedList.childElementCount
    this.empty.hidden = shown > 0 || this.composer !== null
    if (this.empty.hidden) return
    const text = this.emptyText()
    // The list is re-sorted as the text changes; rewrite the message only when it says something new.
    if (this.empty.textContent !== text.map((element) => element.textContent).join('')) replaceChildren(this.empty, ...text)
  }

  private emptyText(): HTMLElement[] {
    const canComment = this.hooks.canComment()
    const how = `Select text in the section, then choose Comment or press ${shortcutLabel(Shortcuts.comment)}.`
    if (this.threads.size === 0) {
      return [
        h('p', { class: 'comments-panel__empty-title' }, 'No comments yet'),
        h('p', {}, canComment ? how : 'Comments from reviewers and the drafting committee will appear here.'),
      ]
    }
    if (this.filter === 'open') {
      return [h('p', { class: 'comments-panel__empty-title' }, 'No open comments'), h('p', {}, 'Every thread here is resolved; choose Resolved to read them.')]
    }
    return [h('p', { class: 'comments-panel__empty-title' }, 'No resolved comments'), h('p', {}, 'Threads appear here once someone resolves them.')]
  }

  private showNotice(text: string): void {
    this.notice.textContent = text
  }

  private startComment(view: EditorView): void {
    this.showNotice('')
    this.setOpen(true, false)
    const range = textOnly(view.state.doc, view.state.selection)
    if (!range) {
      this.showNotice('Select the words you want to comment on first, then choose Comment.')
      return
    }
    if (range.to - range.from > COMMENT_MAX_CHARS) {
      this.showNotice(`Select at most ${COMMENT_MAX_CHARS.toLocaleString()} characters to comment on; a shorter passage is easier to discuss.`)
      return
    }
    const anchor = anchorFor(view.state, range)
    if (typeof anchor === 'string') {
      this.showNotice('Comments can only be tied to text. Select some words of the section and try again.')
      return
    }
    this.closeComposer(false)
    const composer = new Composer({
      anchor,
      documentId: this.options.documentId,
      people: this.people,
      canSuggest: can(this.options.user, 'suggestion.create', this.options.section()),
      withinOneParagraph: view.state.doc.resolve(range.from).sameParent(view.state.doc.resolve(range.to)),
      submit: async (thread) => {
        const created = await createThread(this.options.sectionId, thread)
        this.closeComposer(false)
        this.upsert(created)
        this.focusCard(created.id)
        if (this.view && !this.view.isDestroyed) focusThreadRange(this.view, created.id, false)
        this.announcer.textContent = 'Comment added.'
        this.returnToText()
      },
      cancel: () => this.closeComposer(true),
    })
    this.composer = composer
    replaceChildren(this.composerSlot, composer.element)
    this.empty.hidden = true
    setCommentDraft(view, anchor)
    composer.element.scrollIntoView({ block: 'nearest' })
    composer.focus()
  }

  private closeComposer(returnFocus: boolean): void {
    if (!this.composer) return
    this.composer.destroy()
    this.composer = null
    replaceChildren(this.composerSlot)
    if (this.view && !this.view.isDestroyed) {
      setCommentDraft(this.view, null)
      if (returnFocus) this.returnToText()
    }
    this.renderEmpty()
  }

  // ProseMirror's focus() leaves a read-only view alone; reviewers read and comment there too.
  private returnToText(): void {
    if (!this.view || this.view.isDestroyed) return
    this.view.dom.focus({ preventScroll: true })
    this.view.focus()
  }

  // A click on highlighted text (or elsewhere in the text, which clears the emphasis);
  // the editor has already emphasised the text.
  private threadClicked(threadId: string | null): void {
    this.focusCard(threadId)
    const card = threadId ? this.cards.get(threadId) : undefined
    if (card) {
      this.setOpen(true, false)
      card.element.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
    }
  }

  private reveal(threadId: string): void {
    this.focusCard(threadId)
    if (this.view && !this.view.isDestroyed) focusThreadRange(this.view, threadId, true)
  }

  private focusCard(threadId: string | null): void {
    if (this.focused === threadId) return
    this.cards.get(this.focused ?? '')?.setFocused(false)
    this.focused = threadId
    this.cards.get(threadId ?? '')?.setFocused(true)
  }

  // Only matters on narrow screens, where the panel is a drawer.
  private setOpen(open: boolean, moveFocus: boolean): void {
    const wasOpen = this.element.classList.contains('comments-panel--open')
    this.element.classList.toggle('comments-panel--open', open)
    this.toggle.setAttribute('aria-expanded', String(open))
    if (!moveFocus || open === wasOpen) return
    if (open) this.heading.focus()
    else this.toggle.focus()
  }
}

// Puts `elements` into `parent` in this order, moving only what is out of place,
// so that focus and typing inside a card survive a re-sort.
function placeInOrder(parent: HTMLElement, elements: HTMLElement[]): void {
  const wanted = new Set(elements)
  for (const child of [...parent.children]) if (!wanted.has(child as HTMLElement)) child.remove()
  let expected = parent.firstElementChild
  for (const element of elements) {
    if (element === expected) {
      expected = element.nextElementSibling
      continue
    }
    parent.insertBefore(element, expected)
  }
}
