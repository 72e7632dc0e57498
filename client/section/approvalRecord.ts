import type { ApprovalView, ChangeRequestView, SectionView } from '../../shared/api.js'
import { h } from '../dom.js'
import { timeElement } from '../format.js'
import { t } from '../i18n/i18n.js'
import { icon } from '../icons.js'
import { messageNodes } from '../i18n/messageNodes.js'

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
    h('span', {}, t(matches ? 'section.record.matches' : 'section.record.differs')),
  )
}

// The hash in a <code>, shortened, with the whole of it for those who compare it in full.
export function fingerprint(hash: string): HTMLElement {
  return h('code', { class: 'fingerprint', title: `SHA-256 ${hash}`, dir: 'ltr' }, shortHash(hash))
}

// A person's name inside a sentence of another language: isolated, so that it keeps its own reading order.
function person(name: string, strong = false): HTMLElement {
  return strong ? h('strong', {}, h('bdi', {}, name)) : h('bdi', {}, name)
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
      h('p', { class: 'record__line' }, ...messageNodes('section.record.approvedBy', { name: person(approval.by, true), date: timeElement(approval.at) })),
      h('p', { class: 'record__line record__line--muted' }, ...messageNodes('section.record.fingerprintLine', { fingerprint: fingerprint(approval.hash), check: textCheck(section) })),
    )
  }
  return h(
    'div',
    { class: 'record', 'data-testid': 'approval-record' },
    h(
      'dl',
      { class: 'record__list' },
      h('div', { class: 'record__row' }, h('dt', {}, t('section.record.approvedByLabel')), h('dd', {}, person(approval.by))),
      h('div', { class: 'record__row' }, h('dt', {}, t('section.record.approvedOnLabel')), h('dd', {}, timeElement(approval.at))),
      h('div', { class: 'record__row' }, h('dt', {}, t('section.record.fingerprintLabel')), h('dd', {}, h('span', { class: 'record__algorithm' }, 'SHA-256 '), fingerprint(approval.hash))),
    ),
    textCheck(section),
  )
}

/** A reopened section's earlier approval, for context: it no longer binds the text. */
export function previousApproval(approval: ApprovalView): HTMLElement {
  return h(
    'p',
    { class: 'record__line record__line--muted' },
    ...messageNodes('section.record.previous', { name: person(approval.by), date: timeElement(approval.at) }),
  )
}

/** The approver's note asking for changes: who, when, and what they asked. */
export function changeRequestNote(request: ChangeRequestView, compact = false): HTMLElement {
  return h(
    'div',
    { class: `change-request${compact ? ' change-request--compact' : ''}`, 'data-testid': 'change-request' },
    h('p', { class: 'change-request__heading' }, ...messageNodes('section.record.changesRequested', { name: person(request.by, true), date: timeElement(request.at) })),
    h('blockquote', { class: 'change-request__note', dir: 'auto' }, request.note),
  )
}
