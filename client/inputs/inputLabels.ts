import type { InputKind, InputStatus } from '../../shared/inputs.js'
import { h } from '../dom.js'

const KIND_LABELS: Record<InputKind, string> = {
  breakout_output: 'Break-out output',
  guiding_question: 'Guiding question',
  commitment: 'Commitment',
  trend: 'Trend',
  challenge: 'Challenge',
  survey_finding: 'Survey finding',
  pledge: 'Pledge',
  submission: 'Submission',
}

const STATUS_LABELS: Record<InputStatus, string> = {
  open: 'Open',
  addressed: 'Addressed',
  deferred: 'Deferred',
}

/** The words for a kind of conference input, e.g. "Break-out output". */
export function kindLabel(kind: InputKind): string {
  return KIND_LABELS[kind]
}

/** The word for an input's status. */
export function inputStatusLabel(status: InputStatus): string {
  return STATUS_LABELS[status]
}

/** A small label naming an input's kind; `data-kind` only helps scanning. */
export function kindTag(kind: InputKind): HTMLSpanElement {
  return h('span', { class: 'kind-tag', 'data-kind': kind }, kindLabel(kind))
}

/** A badge naming an input's status in words. */
export function inputStatusBadge(status: InputStatus): HTMLSpanElement {
  return h('span', { class: 'input-status', 'data-status': status }, inputStatusLabel(status))
}
