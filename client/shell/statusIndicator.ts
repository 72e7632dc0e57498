import type { ConnectionState } from '../collab/sectionConnection.js'
import { h, replaceChildren } from '../dom.js'
import { icon, type IconName } from '../icons.js'

/** The states the indicator shows; `data-state` carries the same word for tests and styles. */
export type IndicatorState = 'idle' | 'saved' | 'saving' | 'connecting' | 'reconnecting' | 'offline' | 'readonly' | 'error'

/** What the indicator shows: a state, its words, and a longer explanation for the tooltip. */
export interface Indication {
  state: IndicatorState
  text: string
  detail: string
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
 * only when the server has written every local change to disk.
 */
export function indicationFor(state: ConnectionState, readOnly: boolean): Indication {
  if (state.closed) {
    return { state: 'error', text: 'Not connected', detail: 'This section is closed; see the message on the page.' }
  }
  switch (state.status) {
    case 'offline':
      return readOnly
        ? { state: 'offline', text: 'Offline', detail: 'You are offline. The text will update when you are back online.' }
        : {
            state: 'offline',
            text: 'Offline — changes kept in this tab',
            detail: 'You are offline. Keep this tab open: your changes are sent when the connection returns.',
          }
    case 'connecting':
      return { state: 'connecting', text: 'Connecting…', detail: 'Opening the section.' }
    case 'reconnecting':
      return {
        state: 'reconnecting',
        text: 'Reconnecting…',
        detail: readOnly
          ? 'The connection was lost; trying again.'
          : 'The connection was lost; trying again. Keep this tab open: your changes are sent when it returns.',
      }
    case 'connected':
      if (readOnly) return { state: 'readonly', text: 'View only', detail: 'You can read this section but not change its text.' }
      return state.unsaved
        ? { state: 'saving', text: 'Saving…', detail: 'Your latest changes are being saved.' }
        : { state: 'saved', text: 'Saved', detail: 'All changes are saved on the server.' }
  }
}

/**
 * The save and connection status in the top bar: an icon and a few words,
 * announced politely to screen readers.
 */
export class StatusIndicator {
  readonly element: HTMLElement
  private current: Indication = { state: 'idle', text: '', detail: '' }

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
    if (next.state === this.current.state && next.text === this.current.text) return
    this.current = next
    this.element.dataset.state = next.state
    this.element.title = next.detail
    if (next.state === 'idle') {
      replaceChildren(this.element)
      return
    }
    replaceChildren(this.element, icon(ICONS[next.state], 'status-indicator__icon'), h('span', { class: 'status-indicator__text' }, next.text))
  }
}
