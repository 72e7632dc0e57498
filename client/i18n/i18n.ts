import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat'
import { DEFAULT_LOCALE, directionOf, type Locale } from '../../shared/locales.js'
import { english, type MessageKey } from './english.js'

/*
 * The interface's words. Every string the user reads comes from the
 * catalogs in ./catalogs/<locale>/<area>.json, written in ICU MessageFormat
 * (plurals, selects, numbers and dates follow the language's own rules).
 * English is bundled; another language's catalogs are fetched when chosen.
 */

type Catalog = Record<string, Record<string, string>>

const otherLanguages = import.meta.glob<Record<string, string>>('./catalogs/*/*.json', { import: 'default' })

let current: Locale = DEFAULT_LOCALE
let catalog: Catalog = english
const compiled = new Map<string, IntlMessageFormat>()

/** The interface language now in use. */
export function currentLocale(): Locale {
  return current
}

/**
 * Switches the interface to `locale`: loads its catalogs and sets the
 * page's `lang` and `dir`, so that the whole layout mirrors for Arabic.
 * Pages built afterwards speak the new language.
 */
export async function useLocale(locale: Locale): Promise<void> {
  if (locale !== current) {
    catalog = locale === DEFAULT_LOCALE ? english : await loadCatalog(locale)
    current = locale
    compiled.clear()
  }
  document.documentElement.lang = locale
  document.documentElement.dir = directionOf(locale)
}

async function loadCatalog(locale: Locale): Promise<Catalog> {
  const prefix = `./catalogs/${locale}/`
  const areas = Object.entries(otherLanguages).filter(([path]) => path.startsWith(prefix))
  const loaded = await Promise.all(areas.map(async ([path, load]) => [path.slice(prefix.length, -'.json'.length), await load()] as const))
  return Object.fromEntries(loaded)
}

/**
 * The message `key` in the current language, with `values` put in its
 * placeholders: `t('comments.replies', { count: 3 })`. A message missing
 * from a translation falls back to English (the catalog test keeps that
 * from shipping).
 */
export function t(key: MessageKey, values?: Record<string, PrimitiveType>): string {
  let format = compiled.get(key)
  if (!format) {
    const dot = key.indexOf('.')
    const area = key.slice(0, dot)
    const name = key.slice(dot + 1)
    const source = catalog[area]?.[name] ?? (english as Catalog)[area]?.[name] ?? key
    format = new IntlMessageFormat(source, current)
    compiled.set(key, format)
  }
  return String(format.format(values))
}
