import type { Role } from '../../shared/roles.js'
import { h } from '../dom.js'

const ROLE_LABELS: Record<Role, string> = {
  drafter: 'Drafter',
  reviewer: 'Reviewer',
  approver: 'Approver',
  admin: 'Administrator',
}

/** The word shown for a role. */
export function roleLabel(role: Role): string {
  return ROLE_LABELS[role]
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
    { class: `avatar avatar--${size}`, 'aria-hidden': 'true', title: `${person.name}, ${person.organisation}` },
    initials(person.name),
  )
  element.style.backgroundColor = safeColor(person.color)
  return element
}
