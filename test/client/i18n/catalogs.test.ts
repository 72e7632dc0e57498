import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { IntlMessageFormat } from 'intl-messageformat'
import { describe, expect, it } from 'vitest'
import { LOCALES } from '../../../shared/locales.js'

const CATALOGS = join(import.meta.dirname, '../../../client/i18n/catalogs')

type Catalog = Record<string, string>

function readCatalog(locale: string, area: string): Catalog {
  return JSON.parse(readFileSync(join(CATALOGS, locale, `${area}.json`), 'utf8')) as Catalog
}

const areas = readdirSync(join(CATALOGS, 'en')).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -5)).sort()

/** The names of a message's placeholders (`{count}`, `{name}`, and those inside plurals and selects). */
function placeholders(message: string, locale: string): string[] {
  const names = new Set<string>()
  const walk = (elements: unknown[]): void => {
    for (const element of elements as { value?: unknown; options?: Record<string, { value: unknown[] }>; children?: unknown[] }[]) {
      if (typeof element.value === 'string' && 'type' in element && (element as { type: number }).type !== 0) names.add(element.value)
      for (const option of Object.values(element.options ?? {})) walk(option.value)
      if (element.children) walk(element.children)
    }
  }
  walk(new IntlMessageFormat(message, locale).getAst())
  return [...names].sort()
}

/** The forms (`one`, `few`, `other`…) of each cardinal plural in a message. */
function pluralForms(message: string, locale: string): string[][] {
  const found: string[][] = []
  const walk = (elements: unknown[]): void => {
    for (const element of elements as { type: number; pluralType?: string; options?: Record<string, { value: unknown[] }>; children?: unknown[] }[]) {
      if (element.options && element.pluralType === 'cardinal') found.push(Object.keys(element.options))
      for (const option of Object.values(element.options ?? {})) walk(option.value)
      if (element.children) walk(element.children)
    }
  }
  walk(new IntlMessageFormat(message, locale).getAst())
  return found
}

describe('message catalogs', () => {
  it('English has messages, and every one of them is a valid message', () => {
    const total = areas.reduce((sum, area) => sum + Object.keys(readCatalog('en', area)).length, 0)
    expect(total).toBeGreaterThan(100)
    for (const area of areas) {
      for (const [key, message] of Object.entries(readCatalog('en', area))) {
        expect(message.trim(), `en ${area}.${key} is empty`).not.toBe('')
        expect(() => placeholders(message, 'en'), `en ${area}.${key}`).not.toThrow()
      }
    }
  })

  for (const locale of LOCALES.filter((locale) => locale !== 'en')) {
    it(`${locale} has every message English has, no others, with the same placeholders`, () => {
      expect(readdirSync(join(CATALOGS, locale)).filter((file) => file.endsWith('.json')).sort()).toEqual(areas.map((area) => `${area}.json`))
      const missing: string[] = []
      const extra: string[] = []
      const mismatched: string[] = []
      for (const area of areas) {
        const english = readCatalog('en', area)
        const translated = readCatalog(locale, area)
        for (const key of Object.keys(english)) {
          const message = translated[key]
          if (message === undefined || message.trim() === '') {
            missing.push(`${area}.${key}`)
            continue
          }
          let names: string[]
          try {
            names = placeholders(message, locale)
          } catch (error) {
            mismatched.push(`${area}.${key}: ${(error as Error).message}`)
            continue
          }
          const expected = placeholders(english[key]!, 'en')
          if (names.join() !== expected.join()) mismatched.push(`${area}.${key}: {${names.join(', ')}} instead of {${expected.join(', ')}}`)
        }
        for (const key of Object.keys(translated)) if (!(key in english)) extra.push(`${area}.${key}`)
      }
      expect(missing, `${locale} lacks these messages`).toEqual([])
      expect(extra, `${locale} has messages English does not`).toEqual([])
      expect(mismatched, `${locale} messages whose placeholders differ from English`).toEqual([])
    })
  }

  it('plural messages give every form each language needs', () => {
    // Arabic has six plural forms and Russian four: a message that only knows
    // "one" and "other" still formats there, but reads wrong for 2, 3 or 11.
    // French and Spanish "many" (for millions) may fall back to "other".
    const problems: string[] = []
    for (const locale of LOCALES) {
      const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.filter((form) => locale === 'ar' || locale === 'ru' || form !== 'many')
      for (const area of areas) {
        for (const [key, message] of Object.entries(readCatalog(locale, area))) {
          for (const forms of pluralForms(message, locale)) {
            const lacking = needed.filter((form) => !forms.includes(form))
            if (lacking.length > 0) problems.push(`${locale} ${area}.${key} lacks ${lacking.join(', ')}`)
          }
        }
      }
    }
    expect(problems).toEqual([])
  })
})
