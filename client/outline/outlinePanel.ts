import type { DocumentView, PresenceUser, UserView } from '../../shared/api.js'
import type { Presence } from '../documents/documentEvents.js'
import { h, replaceChildren, visuallyHidden } from '../dom.js'
import { formatNumber } from '../format.js'
import { currentLocale, t } from '../i18n/i18n.js'
import { sectionHref } from '../router.js'
import { statusBadge } from '../section/sectionStatus.js'
import { announce } from '../shell/announcer.js'
import { avatar } from '../shell/people.js'

const MAX_AVATARS = 3
// More arrivals or departures than this at once are told as a count, not name by name.
const MAX_NAMED_CHANGES = 3

/**
 * The document's sections in order, each a link with its status and the
 * people in it now. Rendered into the shell's `<nav aria-label="Sections">`.
 * Each link's text is only the section title, so it reads (and is found)
 * by that name; status and people follow as separate text.
 */
export class OutlinePanel {
  readonly element: HTMLElement
  private document: DocumentView | null = null
  private currentId: string | null = null
  private presence: Presence = {}
  // Who else was in the open section at the last presence report, to tell screen readers who comes and goes.
  private others: Map<string, PresenceUser> | null = null

  constructor(private readonly user: UserView) {
    this.element = h('div', { class: 'outline' })
  }

  /** Shows `document`'s sections (again, e.g. after statuses changed). */
  setDocument(document: DocumentView): void {
    if (this.document?.id !== document.id) {
      this.presence = {}
      this.others = null
    }
    this.document = document
    this.render()
  }

  /** Highlights the open section (`aria-current="page"`). */
  setCurrent(sectionId: string | null): void {
    if (sectionId === this.currentId) return
    this.currentId = sectionId
    // Those already there when the section opens are shown, not announced.
    this.others = sectionId === null ? null : this.othersIn(this.presence)
    this.render()
    // Opening a section from a link or the address bar keeps its entry in sight.
    this.element.querySelector('.outline__item--current')?.scrollIntoView({ block: 'nearest' })
  }

  /** Shows who is in which section, from the document's event stream. */
  setPresence(presence: Presence): void {
    this.presence = presence
    this.announceComings(presence)
    this.render()
  }

  // The people other than the user in the open section, by id.
  private othersIn(presence: Presence): Map<string, PresenceUser> {
    const people = this.currentId === null ? [] : (presence[this.currentId] ?? [])
    return new Map(people.filter((person) => person.id !== this.user.id).map((person) => [person.id, person]))
  }

  // Tells screen readers, politely, who joined or left the section the user has open.
  private announceComings(presence: Presence): void {
    if (this.currentId === null) return
    const before = this.others
    const now = this.othersIn(presence)
    this.others = now
    if (!before) return
    const joined = [...now.values()].filter((person) => !before.has(person.id))
    const left = [...before.values()].filter((person) => !now.has(person.id))
    if (joined.length + left.length > MAX_NAMED_CHANGES) {
      if (joined.length > 0) announce(t('outline.presence.joinedMany', { count: joined.length }))
      if (left.length > 0) announce(t('outline.presence.leftMany', { count: left.length }))
      return
    }
    for (const person of joined) announce(t('outline.presence.joined', { name: person.name, organisation: person.organisation }))
    for (const person of left) announce(t('outline.presence.left', { name: person.name, organisation: person.organisation }))
  }

  // Rebuilt on every presence report: a keyboard user on one of the links
  // must stay on it when someone joins or leaves a section, not be thrown
  // back to the top of the page.
  private render(): void {
    const focusedSection = this.element.contains(window.document.activeElement)
      ? window.document.activeElement?.closest<HTMLElement>('[data-section-id]')?.dataset['sectionId']
      : undefined
    this.build()
    if (focusedSection === undefined) return
    this.element.querySelector<HTMLElement>(`[data-section-id="${CSS.escape(focusedSection)}"] .outline__link`)?.focus({ preventScroll: true })
  }

  private build(): void {
    const document = this.document
    if (!document) {
      replaceChildren(this.element)
      return
    }
    const list = h('ol', { class: 'outline__list' })
    document.sections.forEach((section, index) => {
      const current = section.id === this.currentId
      const link = h(
        'a',
        { class: 'outline__link', href: sectionHref(section.id), 'aria-current': current ? 'page' : false },
        section.title,
      )
      const others = (this.presence[section.id] ?? []).filter((person) => person.id !== this.user.id)
      list.append(
        h(
          'li',
          { class: `outline__item${current ? ' outline__item--current' : ''}`, 'data-section-id': section.id },
          h('span', { class: 'outline__number', 'aria-hidden': 'true' }, formatNumber(index + 1)),
          h('div', { class: 'outline__body' }, link, h('div', { class: 'outline__meta' }, statusBadge(section.status, 'small'), presenceOf(others))),
        ),
      )
    })
    replaceChildren(
      this.element,
      h('h2', { class: 'outline__heading' }, t('outline.heading')),
      document.sections.length > 0 ? list : h('p', { class: 'outline__empty' }, t('outline.empty')),
    )
  }
}

// A few avatars and "+N", with the full list of names for screen readers.
function presenceOf(people: PresenceUser[]): HTMLElement | null {
  if (people.length === 0) return null
  const shown = people.slice(0, MAX_AVATARS).map((person) => avatar(person, 'small'))
  const hidden = people.length - shown.length
  const names = new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(
    people.map((person) => t('outline.presence.person', { name: person.name, organisation: person.organisation })),
  )
  return h(
    'span',
    { class: 'presence', title: names },
    ...shown,
    hidden > 0 ? h('span', { class: 'presence__more', 'aria-hidden': 'true' }, t('outline.presence.more', { count: hidden })) : null,
    visuallyHidden(t('outline.presence.hereNow', { names })),
  )
}
