import { currentLocale } from './i18n/i18n.js'

// Formatters are costly to create: one of each per interface language.
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(style: 'dateTime' | 'date'): Intl.DateTimeFormat {
  const key = `${currentLocale()} ${style}`
  let format = formatters.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(currentLocale(), style === 'dateTime' ? { dateStyle: 'long', timeStyle: 'short' } : { dateStyle: 'long' })
    formatters.set(key, format)
  }
  return format
}

/** A moment as the interface language writes it, e.g. "27 November 2026 at 14:32". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : formatter('dateTime').format(date)
}

/** A day as the interface language writes it, e.g. "27 November 2026". */
export function formatDate(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : formatter('date').format(date)
}

/** A count as the interface language writes it, e.g. "1,234" or "1 234". */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(currentLocale()).format(value)
}

/**
 * A `<time>` element showing `iso` in the interface language, with the
 * exact moment as its machine-readable value.
 */
export function timeElement(iso: string): HTMLTimeElement {
  const element = document.createElement('time')
  element.dateTime = iso
  element.textContent = formatDateTime(iso)
  return element
}

/** `text` cut to at most `max` characters, with an ellipsis when cut (a quote in a label or a notice). */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text
}
