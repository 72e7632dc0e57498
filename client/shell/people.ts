import type { Role } from '../../shared/roles.js'
import { h } from '../dom.js'
import type { MessageKey } from '../i18n/english.js'
import { t } from '../i18n/i18n.js'

const ROLE_LABELS: Record<Role, MessageKey> = {
  drafter: 'common.role.drafter',
  reviewer: 'common.role.reviewer',
  approver: 'common.role.approver',
  admin: 'common.role.admin',
}

/** The word shown for a role, in the interface language. */
export function roleLabel(role: Role): string {
  return t(ROLE_LABELS[role])
}

/** Up to two initials of a name, e.g. "Lena Karlsson" → "LK". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '')
  const first = words[0]?.[0] ?? '?'
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : ''
  return (first + last).toUpperCase()
}

// Only #rrggbb reaches a style; anything else gets a neutral grey.
function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#5b6470'
}

/**
 * A round avatar with a person's initials on their colour. It is decorative
 * (`aria-hidden`): the caller names the person in text next to it.
 */
export function avatar(person: { name: string; organisation: string; color: string }, size: 'small' | 'regular' = 'regular'): HTMLSpanElement {
  const element = h(
    'span',
    { class: `avatar avatar--${size}`, 'aria-hidden': 'true', title: t('shell.personWithOrganisation', { name: person.name, organisation: person.organisation }) },
    initials(person.name),
  )
  element.style.backgroundColor = safeColor(person.color)
  return element
}
