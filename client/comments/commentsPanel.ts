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
import { takePageSelection } from '../editor/pageSelection.js'
import { formatNumber, shorten } from '../format.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { InputCatalog } from '../inputs/inputCatalog.js'
import { describeProblem } from '../problems.js'
import { announce } from '../shell/announcer.js'
import { Composer } from './composer.js'
import { KnownPeople } from './knownPeople.js'
import { refreshRelativeTimes } from './relativeTime.js'
import { createThread, fetchPeople, fetchThreads } from './threadApi.js'
import { ThreadCard } from './threadCard.js'

/** Which threads the panel lists. */
type Filter = 'open' | 'resolved' | 'all'

// Keys, not words: the language is chosen after modules load.
const FILTERS: { value: Filter; label: MessageKey }[] = [
  { value: 'open', label: 'comments.filter.open' },
  { value: 'resolved', label: 'comments.filter.resolved' },
  { value: 'all', label: 'comments.filter.all' },
]

/** How much of the commented text an announcement quotes. */
const ANNOUNCED_QUOTE_CHARS = 80

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
  private readonly composerSlot: HTMLElement
  private readonly list: HTMLElement
  private readonly detached: HTMLElement
  private readonly detachedList: HTMLElement
  private readonly listHint: HTMLElement
  private readonly empty: HTMLElement
  private view: EditorView | null = null
  private places: ThreadPlaces = new Map()
  private filter: Filter = 'open'
  private focused: string | null = null
  /** The card that holds the list's tab stop. */
  private current: string | null = null
  private composer: Composer | null = null
  private loaded = false
  private destroyed = false
  private readonly unsubscribers: (() => void)[] = []
  private readonly timer: number

  constructor(private readonly options: CommentsPanelOptions) {
    this.inputs = new InputCatalog(options.documentId)
    this.people.add([{ id: options.user.id, name: options.user.name, organisation: options.user.organisation }])

    this.heading = h('h2', { class: 'comments-panel__title', id: `${this.id}-title`, tabindex: '-1' }, t('comments.title'))
    const close = h('button', { type: 'button', class: 'icon-button comments-panel__close', 'aria-label': t('comments.close') }, icon('close'))
    close.addEventListener('click', () => this.setOpen(false, true))
    const filters = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, t('comments.filter.legend')))
    for (const { value, label } of FILTERS) {
      const input = h('input', { type: 'radio', name: `${this.id}-filter`, value, class: 'segmented__input', checked: value === this.filter })
      const count = h('span', { class: 'segmented__count' })
      input.addEventListener('change', () => {
        this.filter = value
        this.renderList()
        this.updateHighlights()
      })
      filters.append(h('label', { class: 'segmented__option' }, input, h('span', { class: 'segmented__label' }, t(label), count)))
      this.filterCounts.set(value, count)
    }
    this.notice = h('p', { class: 'comments-panel__notice', role: 'status' })
    this.composerSlot = h('div', { class: 'comments-panel__composer' })
    this.list = h('div', { class: 'comments-panel__list', 'data-testid': 'thread-list' })
    this.detachedList = h('div', { class: 'comments-panel__list' })
    // Read as each card's description only (a description may come from a hidden element).
    this.listHint = h('p', { id: `${this.id}-keys`, hidden: true }, t('comments.list.hint'))
    this.detached = h(
      'section',
      { class: 'comments-panel__detached', 'aria-labelledby': `${this.id}-detached`, hidden: true, 'data-testid': 'detached-threads' },
      h('h3', { class: 'comments-panel__group-title', id: `${this.id}-detached` }, t('comments.detached.title')),
      h('p', { class: 'comments-panel__group-hint' }, t('comments.detached.hint')),
      this.detachedList,
    )
    this.empty = h('div', { class: 'comments-panel__empty' }, h('p', {}, t('comments.loading')))
    this.element = h(
      'aside',
      { class: 'comments-panel', id: this.id, 'aria-labelledby': this.heading.id, 'data-testid': 'comments-panel' },
      h('div', { class: 'comments-panel__header' }, h('div', { class: 'comments-panel__heading-row' }, this.heading, close), filters),
      this.notice,
      this.composerSlot,
      this.list,
      this.detached,
      this.empty,
      this.listHint,
    )
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.element.classList.contains('comments-panel--open') && !event.defaultPrevented) {
        this.setOpen(false, true)
      }
    })
    // The threads are one stop in the tab order: the arrow keys move between them.
    this.element.addEventListener('keydown', (event) => this.onListKeydown(event))
    this.element.addEventListener('focusin', (event) => {
      const card = this.cardAround(event.target)
      if (card) this.makeCurrent(card)
    })

    this.toggleCount = h('span', { class: 'comments-toggle__count' })
    this.toggle = h(
      'button',
      { type: 'button', class: 'button button--quiet comments-toggle', 'aria-controls': this.id, 'aria-expanded': 'false' },
      icon('comment'),
      h('span', {}, t('comments.title')),
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
          if (thread.sectionId !== options.sectionId) return
          this.announceArrival(thread)
          this.upsert(thread)
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
      const retry = h('button', { type: 'button', class: 'button button--quiet button--small' }, t('common.tryAgain'))
      retry.addEventListener('click', () => {
        replaceChildren(this.empty, h('p', {}, t('comments.loading')))
        void this.load()
      })
      this.empty.hidden = false
      replaceChildren(this.empty, h('p', {}, t('comments.loadFailed', { problem: describeProblem(error) })), retry)
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

  // Someone else started a thread or answered one: said aloud, since it appears without the user doing anything.
  private announceArrival(thread: ThreadView): void {
    if (!this.loaded) return
    const previous = this.threads.get(thread.id)
    const seen = new Set(previous?.comments.map((comment) => comment.id))
    const arrived = thread.comments.filter((comment) => !seen.has(comment.id) && !comment.deleted && comment.author.id !== this.options.user.id)
    const latest = arrived.at(-1)
    if (!latest) return
    const values = { name: latest.author.name, quote: shorten(thread.anchor.quote, ANNOUNCED_QUOTE_CHARS) }
    announce(t(previous || latest !== thread.comments[0] ? 'comments.announce.newReply' : 'comments.announce.newThread', values))
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
    card.element.setAttribute('aria-describedby', this.listHint.id)
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
    this.updateTabStop()
    this.renderCounts()
    this.renderEmpty()
    // A thread resolved or reopened under a filter that no longer shows it takes focus with it.
    if (holdingFocus && !holdingFocus.element.isConnected) {
      const resolved = this.threads.get(holdingFocus.threadId)!.status === 'resolved'
      this.heading.focus()
      announce(t(resolved ? 'comments.movedToResolved' : 'comments.movedToOpen'))
    }
  }

  private renderCounts(): void {
    const all = [...this.threads.values()]
    const open = all.filter((thread) => thread.status === 'open').length
    const counts: Record<Filter, number> = { open, resolved: all.length - open, all: all.length }
    for (const [filter, count] of this.filterCounts) count.textContent = formatNumber(counts[filter])
    this.toggleCount.textContent = open > 0 ? formatNumber(open) : ''
    this.toggle.setAttribute('aria-label', t('comments.toggle', { count: open }))
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
    if (this.threads.size === 0) {
      return [
        h('p', { class: 'comments-panel__empty-title' }, t('comments.empty.none.title')),
        h('p', {}, canComment ? t('comments.empty.none.how', { shortcut: shortcutLabel(Shortcuts.comment) }) : t('comments.empty.none.readOnly')),
      ]
    }
    if (this.filter === 'open') {
      return [h('p', { class: 'comments-panel__empty-title' }, t('comments.empty.open.title')), h('p', {}, t('comments.empty.open.hint'))]
    }
    return [h('p', { class: 'comments-panel__empty-title' }, t('comments.empty.resolved.title')), h('p', {}, t('comments.empty.resolved.hint'))]
  }

  private showNotice(text: string): void {
    this.notice.textContent = text
  }

  private startComment(view: EditorView): void {
    this.showNotice('')
    this.setOpen(true, false)
    takePageSelection(view)
    const range = textOnly(view.state.doc, view.state.selection)
    if (!range) {
      this.showNotice(t('comments.notice.selectFirst'))
      return
    }
    if (range.to - range.from > COMMENT_MAX_CHARS) {
      this.showNotice(t('comments.notice.tooLong', { max: COMMENT_MAX_CHARS }))
      return
    }
    const anchor = anchorFor(view.state, range)
    if (typeof anchor === 'string') {
      this.showNotice(t(anchor === 'empty' ? 'comments.notice.selectFirst' : 'comments.notice.notText'))
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
        announce(t('comments.added'))
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
    const card = this.cards.get(threadId ?? '')
    card?.setFocused(true)
    if (card) this.makeCurrent(card)
  }

  /** The cards listed now, in the order they are shown. */
  private listedCards(): HTMLElement[] {
    return [...this.list.children, ...this.detachedList.children] as HTMLElement[]
  }

  private cardAround(target: EventTarget | null): ThreadCard | undefined {
    if (!(target instanceof Element)) return undefined
    const element = target.closest('.thread-card')
    return element ? this.cards.get((element as HTMLElement).dataset.threadId ?? '') : undefined
  }

  // Roving tab stop: the current card is reached with Tab, the others with the arrow keys.
  private makeCurrent(card: ThreadCard): void {
    if (this.current === card.threadId) return
    this.current = card.threadId
    this.updateTabStop()
  }

  private updateTabStop(): void {
    const listed = this.listedCards()
    const current = listed.find((element) => element.dataset.threadId === this.current) ?? listed[0]
    for (const card of this.cards.values()) card.element.tabIndex = card.element === current ? 0 : -1
  }

  // Up and down (and Home, End) on a card itself move to the previous or next card.
  private onListKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
    const target = event.target as HTMLElement
    if (!target.classList.contains('thread-card')) return
    const listed = this.listedCards()
    const index = listed.indexOf(target)
    if (index < 0) return
    const moves: Record<string, HTMLElement | undefined> = {
      ArrowDown: listed[index + 1],
      ArrowUp: listed[index - 1],
      Home: listed[0],
      End: listed.at(-1),
    }
    if (!(event.key in moves)) return
    event.preventDefault()
    const next = moves[event.key]
    next?.focus()
    next?.scrollIntoView({ block: 'nearest' })
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
