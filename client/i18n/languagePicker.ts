import { LOCALES, LOCALE_NAMES, type Locale } from '../../shared/locales.js'
import { h, visuallyHidden } from '../dom.js'
import { icon } from '../icons.js'
import { currentLocale, t } from './i18n.js'

/**
 * A labelled choice of interface language, each listed in its own language
 * and script so that anyone can find theirs. `onChoose` runs with the new
 * language; the picker shows the current one.
 */
export function languagePicker(id: string, onChoose: (locale: Locale) => void): HTMLElement {
  const select = h(
    'select',
    // The hint is a tooltip and, for screen readers, the select's description.
    { id, class: 'language-picker__select', title: t('common.languageHint') },
    ...LOCALES.map((locale) => h('option', { value: locale, lang: locale, selected: locale === currentLocale() }, LOCALE_NAMES[locale])),
  )
  select.addEventListener('change', () => onChoose(select.value as Locale))
  return h(
    'div',
    { class: 'language-picker' },
    h('label', { for: id, class: 'language-picker__label' }, icon('globe'), visuallyHidden(t('common.language'))),
    select,
  )
}
