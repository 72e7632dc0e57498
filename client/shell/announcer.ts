import { h } from '../dom.js'

/*
 * One polite live region for the whole app, for news that has no place of
 * its own on the screen, or whose place is not where the user is: someone
 * joined the section, the connection came back. Screen readers read it when
 * they finish what they are saying; nothing moves focus.
 */

// Announcements made within this time are read together, in order.
const GATHER_MS = 150
// Between emptying the region and filling it: long enough for the accessibility tree to see both.
const REFILL_MS = 50
// Long enough for screen readers to have read it; the region is then emptied,
// so that the text does not linger for someone reading the page in browse mode.
const CLEAR_MS = 10_000

let region: HTMLElement | null = null
let pending: string[] = []
let gatherTimer: number | null = null
let clearTimer: number | null = null

// The region must be in the page before its text changes, or some screen readers miss the first announcement.
function liveRegion(): HTMLElement {
  if (!region || !region.isConnected) {
    region = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-announcer': '' })
    document.body.append(region)
  }
  return region
}

/**
 * Tells screen-reader users `text` politely (after what they hear now), e.g.
 * `announce(t('outline.joined', { name }))`. Give a whole sentence in the
 * interface language. Several announcements made at once are read together;
 * the same text announced twice is read twice.
 */
export function announce(text: string): void {
  const words = text.trim()
  if (words === '' || typeof document === 'undefined') return
  liveRegion()
  pending.push(words)
  if (gatherTimer !== null) return
  gatherTimer = window.setTimeout(() => {
    gatherTimer = null
    const target = liveRegion()
    const sentence = pending.join(' ')
    pending = []
    // Emptied first and filled a moment later: a change, even to the same words, is what is read.
    target.textContent = ''
    window.setTimeout(() => {
      target.textContent = sentence
      if (clearTimer !== null) window.clearTimeout(clearTimer)
      clearTimer = window.setTimeout(() => {
        clearTimer = null
        target.textContent = ''
      }, CLEAR_MS)
    }, REFILL_MS)
  }, GATHER_MS)
}
