import { h, type Child } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'
import { adminHref, type AdminTab } from '../router.js'

const TABS: { tab: AdminTab; label: MessageKey }[] = [
  { tab: 'users', label: 'admin.tabs.users' },
  { tab: 'sections', label: 'admin.tabs.sections' },
  { tab: 'audit', label: 'admin.tabs.audit' },
]

/**
 * The frame of every administration page: the area's own navigation (Users,
 * Sections, Audit log, the current one marked), the page's title and one
 * sentence on what it is for, then `content`.
 */
export function adminFrame(current: AdminTab, lead: string, ...content: Child[]): HTMLElement {
  const title = t(TABS.find((entry) => entry.tab === current)!.label)
  return h(
    'div',
    { class: 'page page--wide admin', 'data-testid': `admin-${current}` },
    h(
      'header',
      { class: 'page__header' },
      h('p', { class: 'page__eyebrow' }, t('admin.eyebrow')),
      h('h1', { class: 'page__title', tabindex: '-1' }, title),
      h('p', { class: 'page__lead' }, lead),
    ),
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('admin.eyebrow') },
      ...TABS.map(({ tab, label }) =>
        h('a', { class: 'tabs__link', href: adminHref(tab), 'aria-current': tab === current ? 'page' : false }, t(label)),
      ),
    ),
    ...content,
  )
}
