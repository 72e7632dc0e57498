import type { ApprovalView, ChangeRequestView, SectionView } from '../../shared/api.js'
import { h } from '../dom.js'
import { timeElement } from '../format.js'
import { icon } from '../icons.js'

/** How many hex digits of a SHA-256 the UI shows: enough to compare by eye. */
const SHORT_HASH_LENGTH = 12

/** The first digits of a content hash, as shown next to an approval. */
export function shortHash(hash: string): string {
  return hash.slice(0, SHORT_HASH_LENGTH)
}

/** Whether the section's text is still the exact text that was approved. */
export function matchesApproval(section: SectionView): boolean {
  return section.approval !== null && section.currentHash === section.approval.hash
}

/**
 * "Text matches the approved version" or "Text differs from the approved
 * version", comparing the section's current hash with the approved one. The
 * words carry the result; icon and colour only repeat it.
 */
export function textCheck(section: SectionView): HTMLElement {
  const matches = matchesApproval(section)
  return h(
    'span',
    { class: `text-check text-check--${matches ? 'match' : 'differs'}`, 'data-testid': 'text-check' },
    icon(matches ? 'check' : 'alert'),
    h('span', {}, matches ? 'Text matches the approved version' : 'Text differs from the approved version'),
  )
}

// The hash in a <code>, shortened, with the whole of it for those who compare it in full.
function fingerprint(hash: string): HTMLElement {
  return h('code', { class: 'fingerprint', title: `SHA-256 ${hash}` }, shortHash(hash))
}

/**
 * An approved section's record: who approved it, when (in the reader's
 * locale), the fingerprint of the approved text, and whether the text still
 * matches it. `compact` is one line for lists; the full form is a small
 * table for the section page.
 */
export function approvalRecord(section: SectionView & { approval: ApprovalView }, compact = false): HTMLElement {
  const { approval } = section
  if (compact) {
    return h(
      'div',
      { class: 'record record--compact', 'data-testid': 'approval-record' },
      h('p', { class: 'record__line' }, 'Approved by ', h('strong', {}, approval.by), ' on ', timeElement(approval.at)),
      h('p', { class: 'record__line record__line--muted' }, 'Fingerprint ', fingerprint(approval.hash), ' · ', textCheck(section)),
    )
  }
  return h(
    'div',
    { class: 'record', 'data-testid': 'approval-record' },
    h(
      'dl',
      { class: 'record__list' },
      h('div', { class: 'record__row' }, h('dt', {}, 'Approved by'), h('dd', {}, approval.by)),
      h('div', { class: 'record__row' }, h('dt', {}, 'Approved on'), h('dd', {}, timeElement(approval.at))),
      h('div', { class: 'record__row' }, h('dt', {}, 'Text fingerprint'), h('dd', {}, h('span', { class: 'record__algorithm' }, 'SHA-256 '), fingerprint(approval.hash))),
    ),
    textCheck(section),
  )
}

/** A reopened section's earlier approval, for context: it no longer binds the text. */
export function previousApproval(approval: ApprovalView): HTMLElement {
  return h(
    'p',
    { class: 'record__line record__line--muted' },
    'Approved earlier by ',
    approval.by,
    ' on ',
    timeElement(approval.at),
    ', then reopened.',
  )
}

/** The approver's note asking for changes: who, when, and what they asked. */
export function changeRequestNote(request: ChangeRequestView, compact = false): HTMLElement {
  return h(
    'div',
    { class: `change-request${compact ? ' change-request--compact' : ''}`, 'data-testid': 'change-request' },
    h('p', { class: 'change-request__heading' }, 'Changes requested by ', h('strong', {}, request.by), ' on ', timeElement(request.at)),
    h('blockquote', { class: 'change-request__note' }, request.note),
  )
}
