import type { DocumentView, PresenceUser, UserView } from '../../shared/api.js'
import type { Presence } from '../documents/documentEvents.js'
import { h, replaceChildren, visuallyHidden } from '../dom.js'
import { sectionHref } from '../router.js'
import { statusBadge } from '../section/sectionStatus.js'
import { avatar } from '../shell/people.js'

const MAX_AVATARS = 3

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

  constructor(private readonly user: UserView) {
    this.element = h('div', { class: 'outline' })
  }

  /** Shows `document`'s sections (again, e.g. after statuses changed). */
  setDocument(document: DocumentView): void {
    if (this.document?.id !== document.id) this.presence = {}
    this.document = document
    this.render()
  }

  /** Highlights the open section (`aria-current="page"`). */
  setCurrent(sectionId: string | null): void {
    if (sectionId === this.currentId) return
    this.currentId = sectionId
    this.render()
    // Opening a section from a link or the address bar keeps its entry in sight.
    this.element.querySelector('.outline__item--current')?.scrollIntoView({ block: 'nearest' })
  }

  /** Shows who is in which section, from the document's event stream. */
  setPresence(presence: Presence): void {
    this.presence = presence
    this.render()
  }

  private render(): void {
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
          h('span', { class: 'outline__number', 'aria-hidden': 'true' }, String(index + 1)),
          h('div', { class: 'outline__body' }, link, h('div', { class: 'outline__meta' }, statusBadge(section.status, 'small'), presenceOf(others))),
        ),
      )
    })
    replaceChildren(
      this.element,
      h('h2', { class: 'outline__heading' }, 'Sections'),
      document.sections.length > 0 ? list : h('p', { class: 'outline__empty' }, 'This document has no sections yet.'),
    )
  }
}

// A few avatars and "+N", with the full list of names for screen readers.
function presenceOf(people: PresenceUser[]): HTMLElement | null {
  if (people.length === 0) return null
  const shown = people.slice(0, MAX_AVATARS).map((person) => avatar(person, 'small'))
  const hidden = people.length - shown.length
  const names = people.map((person) => `${person.name} (${person.organisation})`).join(', ')
  return h(
    'span',
    { class: 'presence', title: names },
    ...shown,
    hidden > 0 ? h('span', { class: 'presence__more', 'aria-hidden': 'true' }, `+${hidden}`) : null,
    visuallyHidden(`Here now: ${names}`),
  )
}
