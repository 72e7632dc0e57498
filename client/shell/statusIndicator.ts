import type { ConnectionState } from '../collab/sectionConnection.js'
import { h, replaceChildren, visuallyHidden } from '../dom.js'
import { t } from '../i18n/i18n.js'
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
 * Words for a section connection's state, in the interface language.
 * Connection problems come first (they are what the user must know), then
 * read-only, then saving. "Saved" only when the server has written every
 * local change to disk; offline, how many changes wait and where they are
 * kept.
 */
export function indicationFor(state: ConnectionState, readOnly: boolean): Indication {
  if (state.closed) {
    return { state: 'error', text: t('offline.notConnected.text'), detail: t('offline.notConnected.detail') }
  }
  const device = state.keptOnDevice
  const count = state.changes
  switch (state.status) {
    case 'offline':
      if (readOnly) return { state: 'offline', text: t('offline.offline.text'), detail: t('offline.offline.readOnlyDetail') }
      if (count === 0) {
        return {
          state: 'offline',
          text: t('offline.offline.text'),
          detail: t(device ? 'offline.offline.savedDetail.device' : 'offline.offline.savedDetail.tab'),
        }
      }
      return {
        state: 'offline',
        text: t(device ? 'offline.offline.pending.device' : 'offline.offline.pending.tab', { count }),
        detail: t(device ? 'offline.offline.pendingDetail.device' : 'offline.offline.pendingDetail.tab'),
        spoken: t(device ? 'offline.offline.pendingSpoken.device' : 'offline.offline.pendingSpoken.tab'),
      }
    case 'connecting':
      return { state: 'connecting', text: t('offline.connecting.text'), detail: t('offline.connecting.detail') }
    case 'reconnecting':
      return {
        state: 'reconnecting',
        text: t('offline.reconnecting.text'),
        detail:
          readOnly || count === 0
            ? t('offline.reconnecting.detail')
            : t(device ? 'offline.reconnecting.pendingDetail.device' : 'offline.reconnecting.pendingDetail.tab', { count }),
      }
    case 'connected':
      if (readOnly) return { state: 'readonly', text: t('offline.readOnly.text'), detail: t('offline.readOnly.detail') }
      return state.unsaved
        ? { state: 'saving', text: t('offline.saving.text'), detail: t('offline.saving.detail') }
        : { state: 'saved', text: t('offline.saved.text'), detail: t('offline.saved.detail') }
  }
}

// States told to screen readers at once: the user must know them now.
const URGENT: ReadonlySet<IndicatorState> = new Set(['offline', 'readonly', 'error'])
// States after which "Saved" means the connection is back.
const OUTAGES: ReadonlySet<IndicatorState> = new Set(['offline', 'reconnecting', 'error'])
// Other states are told once they have lasted this long, so that the
// "Saving…" and "Saved" of every keystroke, or a brief reconnection, are not read out.
const SETTLE_MS = 1_500

const IDLE: Indication = { state: 'idle', text: '', detail: '' }

/**
 * The save and connection status in the top bar: an icon and a few words,
 * shown at once. Screen readers are told through the same polite live
 * region, with words of their own (`spoken`, without the count that changes
 * at every keystroke): at once when the connection is lost or the section
 * becomes read-only, otherwise only once a state has settled ("Saved",
 * "Back online — all changes saved").
 */
export class StatusIndicator {
  readonly element: HTMLElement
  private current: Indication = IDLE
  private readonly iconSlot: HTMLElement
  private readonly textElement: HTMLElement
  private readonly spokenElement: HTMLElement
  // What screen readers were last told, and about which state.
  private spokenState: IndicatorState = 'idle'
  private settleTimer: number | null = null

  constructor() {
    this.iconSlot = h('span', { class: 'status-indicator__icon-slot', 'aria-hidden': 'true' })
    this.textElement = h('span', { class: 'status-indicator__text', 'aria-hidden': 'true' })
    this.spokenElement = visuallyHidden('')
    this.element = h(
      'div',
      {
        class: 'status-indicator',
        role: 'status',
        'aria-live': 'polite',
        'aria-atomic': 'true',
        'data-state': 'idle',
      },
      this.iconSlot,
      this.textElement,
      this.spokenElement,
    )
  }

  /** Shows `indication`, or nothing (`null`) when no section is open. */
  show(indication: Indication | null): void {
    const next = indication ?? IDLE
    const previous = this.current
    this.current = next
    this.element.title = next.detail
    if (this.textElement.textContent !== next.text) this.textElement.textContent = next.text
    if (next.state !== previous.state) {
      this.element.dataset.state = next.state
      replaceChildren(this.iconSlot, next.state === 'idle' ? null : icon(ICONS[next.state], 'status-indicator__icon'))
    }
    this.tell(next)
  }

  // Puts the spoken words in the live region, now or once the state has settled.
  private tell(next: Indication): void {
    if (this.settleTimer !== null) window.clearTimeout(this.settleTimer)
    this.settleTimer = null
    if (next.state === 'idle') {
      this.spokenState = 'idle'
      this.spokenElement.textContent = ''
      return
    }
    const say = (): void => {
      const words = this.spokenWords(next)
      this.spokenState = next.state
      if (this.spokenElement.textContent !== words) this.spokenElement.textContent = words
    }
    if (URGENT.has(next.state)) say()
    else if (this.spokenWords(next) !== this.spokenElement.textContent) this.settleTimer = window.setTimeout(say, SETTLE_MS)
  }

  private spokenWords(indication: Indication): string {
    if (indication.state === 'saved') {
      if (OUTAGES.has(this.spokenState)) return t('offline.spoken.backOnline')
      // "Back online" stays until something else happens; it is still true.
      if (this.spokenState === 'saved') return this.spokenElement.textContent ?? ''
      return t('offline.spoken.saved')
    }
    return indication.spoken ?? indication.text
  }
}
