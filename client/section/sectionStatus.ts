import type { SectionStatus } from '../../shared/roles.js'
import { h } from '../dom.js'

const LABELS: Record<SectionStatus, string> = {
  drafting: 'Drafting',
  in_review: 'In review',
  approved: 'Approved',
}

/** The word the UI uses for a section status. */
export function statusLabel(status: SectionStatus): string {
  return LABELS[status]
}

/**
 * A badge naming a section's status. The text carries the meaning; the colour
 * (from `data-status`) only helps scanning.
 */
export function statusBadge(status: SectionStatus, size: 'small' | 'regular' = 'regular'): HTMLSpanElement {
  return h('span', { class: `status-badge status-badge--${size}`, 'data-status': status }, statusLabel(status))
}
