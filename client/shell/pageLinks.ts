import type { UserView } from '../../shared/api.js'
import { can } from '../../shared/roles.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { adminHref, coverageHref, documentHref, inputsHref, overviewHref, type Route } from '../router.js'

/**
 * The links to the app's pages in the top bar: the overview, the input
 * library and the reports for everyone, the administration area for administrators. The link of the page shown
 * carries `aria-current="page"`.
 */
export class PageLinks {
  readonly element: HTMLElement
  private readonly links: { route: Route['name']; element: HTMLAnchorElement }[]

  constructor(user: UserView) {
    this.links = [{ route: 'overview', element: h('a', { class: 'page-links__link', href: overviewHref }, t('shell.nav.overview')) }]
    // One "Reports" link leads to both reports (coverage and dispositions), which link to each other.
    const reports = h('a', { class: 'page-links__link', href: coverageHref }, t('shell.nav.reports'))
    this.links.push(
      { route: 'document', element: h('a', { class: 'page-links__link', href: documentHref }, t('shell.nav.document')) },
      { route: 'inputs', element: h('a', { class: 'page-links__link', href: inputsHref }, t('shell.nav.inputs')) },
      { route: 'coverage', element: reports },
      { route: 'dispositions', element: reports },
    )
    if (can(user, 'users.manage')) {
      this.links.push({ route: 'admin', element: h('a', { class: 'page-links__link', href: adminHref('users') }, t('shell.nav.admin')) })
    }
    this.element = h(
      'nav',
      { class: 'page-links', 'aria-label': t('shell.nav.label') },
      h('ul', { class: 'page-links__list' }, ...[...new Set(this.links.map((link) => link.element))].map((element) => h('li', {}, element))),
    )
  }

  /** Marks the link of the page now shown, if it has one. */
  setCurrent(route: Route['name']): void {
    const current = this.links.find((link) => link.route === route)?.element
    for (const { element } of this.links) {
      if (element === current) element.setAttribute('aria-current', 'page')
      else element.removeAttribute('aria-current')
    }
  }
}
