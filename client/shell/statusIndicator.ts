import type { ConnectionState } from '../collab/sectionConnection.js'
import { h, replaceChildren, visuallyHidden } from '../dom.js'
import { icon, type IconName } from '../icons.js'

/** The states the indicator shows; `data-state` carries the same word for tests and styles. */
export type IndicatorState = 'idle' | 'saved' | 'saving' | 'connecting' | 'reconnecting' | 'offline' | 'readonly' | 'error'

/** What the indicator shows: a state, its words, and a longer explanation for the tooltip. */
export interface Indication {
  state: IndicatorState
  text: string
  detail: string
  /**
   * What screen readers are told instead of `text`, when `text` holds a
   * count that changes at every keystroke and would be announced as often.
   */
  spoken?: string
}

const ICONS: Record<Exclude<IndicatorState, 'idle'>, IconName> = {
  saved: 'check',
  saving: 'spinner',
  connecting: 'spinner',
  reconnecting: 'refresh',
  offline: 'cloudOff',
  readonly: 'eye',
  error: 'alert',
}

/**
 * Words for a section connection's state. Connection problems come first
 * (they are what the user must know), then read-only, then saving. "Saved"
 * only when the server has written every local change to disk; offline, how
 * many changes wait and where they are kept.
 */
export function indicationFor(state: ConnectionState, readOnly: boolean): Indication {
  if (state.closed) {
    return { state: 'error', text: 'Not connected', detail: 'This section is closed; see the message on the page.' }
  }
  const where = state.keptOnDevice ? 'on this device' : 'in this tab'
  const keep = state.keptOnDevice
    ? 'They are kept on this device, even if you close this tab,'
    : 'Keep this tab open: they are kept only here,'
  switch (state.status) {
    case 'offline':
      if (readOnly) return { state: 'offline', text: 'Offline', detail: 'You are offline. The text will update when you are back online.' }
      if (state.changes === 0) {
        return {
          state: 'offline',
          text: 'Offline',
          detail: `You are offline. Everything you wrote is saved; what you type now is kept ${where} and sent when the connection returns.`,
        }
      }
      return {
        state: 'offline',
        text: `Offline — ${countOf(state.changes, 'change')} kept ${where}`,
        detail: `You are offline. ${keep} and sent when the connection returns.`,
        spoken: `Offline — your changes are kept ${where}`,
      }
    case 'connecting':
      return { state: 'connecting', text: 'Connecting…', detail: 'Opening the section.' }
    case 'reconnecting':
      return {
        state: 'reconnecting',
        text: 'Reconnecting…',
        detail:
          readOnly || state.changes === 0
            ? 'The connection was lost; trying again.'
            : `The connection was lost; trying again. ${countOf(state.changes, 'change')} to send. ${keep} and sent when it returns.`,
      }
    case 'connected':
      if (readOnly) return { state: 'readonly', text: 'View only', detail: 'You can read this section but not change its text.' }
      return state.unsaved
        ? { state: 'saving', text: 'Saving…', detail: 'Your latest changes are being saved.' }
        : { state: 'saved', text: 'Saved', detail: 'All changes are saved on the server.' }
  }
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/**
 * The save and connection status in the top bar: an icon and a few words,
 * announced politely to screen readers.
 */
export class StatusIndicator {
  readonly element: HTMLElement
  private current: Indication = { state: 'idle', text: '', detail: '' }
  private textElement: HTMLElement | null = null

  constructor() {
    this.element = h('div', {
      class: 'status-indicator',
      role: 'status',
      'aria-live': 'polite',
      'aria-atomic': 'true',
      'data-state': 'idle',
    })
  }

  /** Shows `indication`, or nothing (`null`) when no section is open. */
  show(indication: Indication | null): void {
    const next = indication ?? { state: 'idle', text: '', detail: '' }
    const previous = this.current
    this.current = next
    this.element.title = next.detail
    if (next.state === previous.state && next.spoken !== undefined && next.spoken === previous.spoken) {
      // Only the count changed: update the words shown without a new announcement.
      if (this.textElement) this.textElement.textContent = next.text
      return
    }
    if (next.state === previous.state && next.text === previous.text && next.spoken === previous.spoken) return
    this.element.dataset.state = next.state
    if (next.state === 'idle') {
      this.textElement = null
      replaceChildren(this.element)
      return
    }
    this.textElement = h('span', { class: 'status-indicator__text', 'aria-hidden': next.spoken === undefined ? null : 'true' }, next.text)
    replaceChildren(
      this.element,
      icon(ICONS[next.state], 'status-indicator__icon'),
      this.textElement,
      next.spoken === undefined ? null : visuallyHidden(next.spoken),
    )
  }
}
