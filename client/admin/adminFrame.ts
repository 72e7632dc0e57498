import { h, type Child } from '../dom.js'
import { adminHref, type AdminTab } from '../router.js'

const TABS: { tab: AdminTab; label: string }[] = [
  { tab: 'users', label: 'Users' },
  { tab: 'sections', label: 'Sections' },
  { tab: 'audit', label: 'Audit log' },
]

/**
 * The frame of every administration page: the area's own navigation (Users,
 * Sections, Audit log, the current one marked), the page's title and one
 * sentence on what it is for, then `content`.
 */
export function adminFrame(current: AdminTab, lead: string, ...content: Child[]): HTMLElement {
  const title = TABS.find((entry) => entry.tab === current)!.label
  return h(
    'div',
    { class: 'page page--wide admin', 'data-testid': `admin-${current}` },
    h(
      'header',
      { class: 'page__header' },
      h('p', { class: 'page__eyebrow' }, 'Administration'),
      h('h1', { class: 'page__title', tabindex: '-1' }, title),
      h('p', { class: 'page__lead' }, lead),
    ),
    h(
      'nav',
      { class: 'tabs', 'aria-label': 'Administration' },
      ...TABS.map(({ tab, label }) =>
        h('a', { class: 'tabs__link', href: adminHref(tab), 'aria-current': tab === current ? 'page' : false }, label),
      ),
    ),
    ...content,
  )
}
