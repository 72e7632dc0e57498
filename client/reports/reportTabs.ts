import { h } from '../dom.js'
import { coverageHref, dispositionsHref } from '../router.js'

/** The navigation between the two reports, the current one marked. */
export function reportTabs(current: 'coverage' | 'dispositions'): HTMLElement {
  const tab = (name: 'coverage' | 'dispositions', href: string, label: string) =>
    h('a', { class: 'tabs__link', href, 'aria-current': name === current ? 'page' : false }, label)
  return h(
    'nav',
    { class: 'tabs', 'aria-label': 'Reports' },
    tab('coverage', coverageHref, 'Coverage of inputs'),
    tab('dispositions', dispositionsHref, 'Dispositions'),
  )
}
