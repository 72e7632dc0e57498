// One formatter each, in the browser's language, created once.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' })

/** A moment as the reader's locale writes it, e.g. "27 November 2026 at 14:32". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

/** A day as the reader's locale writes it, e.g. "27 November 2026". */
export function formatDate(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date)
}

/**
 * A `<time>` element showing `iso` in the reader's locale, with the exact
 * moment as its machine-readable value.
 */
export function timeElement(iso: string): HTMLTimeElement {
  const element = document.createElement('time')
  element.dateTime = iso
  element.textContent = formatDateTime(iso)
  return element
}
