import type { InputKind, InputStatus } from '../../shared/inputs.js'
import { h } from '../dom.js'
import { t } from '../i18n/i18n.js'

/** The words for a kind of conference input, e.g. "Break-out output". */
export function kindLabel(kind: InputKind): string {
  return t(`inputs.kind.${kind}` as const)
}

/** The word for an input's status. */
export function inputStatusLabel(status: InputStatus): string {
  return t(`inputs.status.${status}` as const)
}

/** A small label naming an input's kind; `data-kind` only helps scanning. */
export function kindTag(kind: InputKind): HTMLSpanElement {
  return h('span', { class: 'kind-tag', 'data-kind': kind }, kindLabel(kind))
}

/** A badge naming an input's status in words. */
export function inputStatusBadge(status: InputStatus): HTMLSpanElement {
  return h('span', { class: 'input-status', 'data-status': status }, inputStatusLabel(status))
}
