import type { SectionStatus } from '../../shared/roles.js'
import { h } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'

const LABELS: Record<SectionStatus, MessageKey> = {
  drafting: 'common.status.drafting',
  in_review: 'common.status.in_review',
  approved: 'common.status.approved',
}

/** The word the UI uses for a section status, in the interface language. */
export function statusLabel(status: SectionStatus): string {
  return t(LABELS[status])
}

/**
 * A badge naming a section's status. The text carries the meaning; the colour
 * (from `data-status`) only helps scanning.
 */
export function statusBadge(status: SectionStatus, size: 'small' | 'regular' = 'regular'): HTMLSpanElement {
  return h('span', { class: `status-badge status-badge--${size}`, 'data-status': status }, statusLabel(status))
}
