import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'
import { coverageHref, dispositionsHref } from '../router.js'

/** The navigation between the two reports, the current one marked. */
export function reportTabs(current: 'coverage' | 'dispositions'): HTMLElement {
  const tab = (name: 'coverage' | 'dispositions', href: string, label: string) =>
    h('a', { class: 'tabs__link', href, 'aria-current': name === current ? 'page' : false }, label)
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('reports.tabs.label') },
    tab('coverage', coverageHref, t('reports.tabs.coverage')),
    tab('dispositions', dispositionsHref, t('reports.tabs.dispositions')),
  )
}
