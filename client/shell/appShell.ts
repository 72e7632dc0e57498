import type { UserView } from '../../shared/api.js'
import type { Locale } from '../../shared/locales.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { languagePicker } from '../i18n/languagePicker.js'
import { icon } from '../icons.js'
import { homeHref } from '../router.js'
import { PageLinks } from './pageLinks.js'
import { avatar, roleLabel } from './people.js'
import { StatusIndicator } from './statusIndicator.js'

/** What the shell asks of the app. */
export interface ShellActions {
  signOut(): void
  changeLanguage(locale: Locale): void
}

/** The id of the `<main>` landmark, the skip link's target. */
const CONTENT_ID = 'content'

/**
 * The frame around every signed-in page: a top bar (product, document,
 * save status, who is signed in, sign out), the sections navigation and the
 * main area. Pages fill `nav` and `main`; the shell itself stays in place
 * while the user moves between sections.
 */
export class AppShell {
  readonly element: HTMLElement
  readonly status = new StatusIndicator()
  /** Links to the overview and, for administrators, the administration area. */
  readonly pages: PageLinks
  /** The `<nav aria-label="Sections">` landmark; the outline renders into it. */
  readonly nav: HTMLElement
  /** The `<main>` landmark. */
  readonly main: HTMLElement
  private readonly documentTitle: HTMLElement
  private readonly signOutButton: HTMLButtonElement
  private readonly notice: HTMLElement

  constructor(user: UserView, actions: ShellActions) {
    const meta = t('shell.userMeta', { organisation: user.organisation, role: roleLabel(user.role) })
    this.documentTitle = h('span', { class: 'top-bar__document', dir: 'auto' })
    this.pages = new PageLinks(user)
    this.signOutButton = h(
      'button',
      // Where the top bar is short of room the words are hidden from sight only: they stay the button's name.
      { type: 'button', class: 'button button--quiet top-bar__sign-out', title: t('shell.signOut') },
      icon('signOut', 'icon--mirror'),
      h('span', { class: 'top-bar__sign-out-label' }, t('shell.signOut')),
    )
    this.signOutButton.addEventListener('click', () => actions.signOut())
    this.notice = h('p', { class: 'top-bar__notice', role: 'alert', hidden: true })

    // The href names the target (so that it is a skip link to browsers, assistive technology and axe), but following
    // it would replace the hash route: the click (Enter on the link fires one too) moves focus there instead.
    const skipLink = h('a', { class: 'skip-link', href: `#${CONTENT_ID}` }, t('shell.skipToContent'))
    skipLink.addEventListener('click', (event) => {
      event.preventDefault()
      this.focusContent()
    })

    const header = h(
      'header',
      { class: 'top-bar' },
      h(
        'a',
        { class: 'brand', href: homeHref },
        h('span', { class: 'brand__mark', 'aria-hidden': 'true' }),
        h('span', { class: 'brand__name' }, t('common.productName')),
      ),
      this.documentTitle,
      this.pages.element,
      h('div', { class: 'top-bar__spacer' }),
      this.status.element,
      this.notice,
      h(
        'div',
        { class: 'top-bar__user' },
        avatar(user),
        h(
          'div',
          { class: 'top-bar__who' },
          // Names and titles keep their own direction (a Latin name in the Arabic interface is cut at its end).
          h('span', { class: 'top-bar__name', dir: 'auto' }, user.name),
          h('span', { class: 'top-bar__meta', title: meta }, meta),
        ),
      ),
      languagePicker('shell-language', actions.changeLanguage),
      this.signOutButton,
    )
    this.nav = h('nav', { class: 'sidebar', 'aria-label': t('shell.sectionsNav') })
    this.main = h('main', { class: 'content', id: CONTENT_ID, tabindex: '-1' })
    this.element = h('div', { class: 'app-shell' }, skipLink, header, h('div', { class: 'app-shell__body' }, this.nav, this.main))
  }

  /** Shows the open document's title in the top bar (or nothing). */
  setDocumentTitle(title: string | null): void {
    this.documentTitle.textContent = title ?? ''
    this.documentTitle.hidden = title === null
  }

  /** Hides the navigation when there is nothing to navigate (no document). */
  setNavVisible(visible: boolean): void {
    this.nav.hidden = !visible
    this.element.classList.toggle('app-shell--no-nav', !visible)
  }

  /** Marks sign-out as in progress, so a slow network does not invite a second click. */
  setSigningOut(busy: boolean): void {
    this.signOutButton.disabled = busy
    this.signOutButton.setAttribute('aria-busy', String(busy))
  }

  /** Shows a short problem in the top bar (e.g. sign-out failed), or clears it. */
  showNotice(text: string | null): void {
    this.notice.textContent = text ?? ''
    this.notice.hidden = text === null
  }

  /** Puts keyboard focus on the page's heading, or on `main` when it has none. */
  focusContent(): void {
    const heading = this.main.querySelector<HTMLElement>('h1')
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
      heading.focus()
    } else {
      this.main.focus()
    }
  }
}
