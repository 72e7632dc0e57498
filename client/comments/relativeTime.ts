import { formatDateTime } from '../format.js'
import { currentLocale } from '../i18n/i18n.js'

// Largest unit first; a difference is shown in the first unit it fills.
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/** How long ago (or ahead) `iso` is, in the interface language: "5 minutes ago", "yesterday", "now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return iso
  const seconds = (time - now) / 1000
  const relative = new Intl.RelativeTimeFormat(currentLocale(), { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit)
  }
  return relative.format(0, 'second')
}

/**
 * A `<time>` showing how long ago `iso` was, with the exact moment as its
 * tooltip; `refreshRelativeTimes` keeps it current.
 */
export function relativeTimeElement(iso: string): HTMLTimeElement {
  const element = document.createElement('time')
  element.dateTime = iso
  element.dataset.relative = ''
  element.title = formatDateTime(iso)
  element.textContent = relativeTime(iso)
  return element
}

/** Rewrites every relative `<time>` under `root` for the current moment. */
export function refreshRelativeTimes(root: ParentNode): void {
  const now = Date.now()
  for (const element of root.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    element.textContent = relativeTime(element.dateTime, now)
  }
}
