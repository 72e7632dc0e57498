import type { InputProblem, InputProblemReason } from '../shared/api.js'
import { DEFAULT_LOCALE } from '../shared/locales.js'
import { ApiError } from './api.js'
import type { MessageKey } from './i18n/english.js'
import { currentLocale, t } from './i18n/i18n.js'

/** What a form found wrong before sending anything; its message is shown as it is. */
export class FormProblem extends Error {}

// What each reason is called, with the field's label and without one.
const REASONS: Record<InputProblemReason, { named: MessageKey; unnamed: MessageKey }> = {
  required: { named: 'errors.invalidInput.required', unnamed: 'errors.invalidInput.requiredUnnamed' },
  too_long: { named: 'errors.invalidInput.tooLong', unnamed: 'errors.invalidInput.tooLongUnnamed' },
  too_short: { named: 'errors.invalidInput.tooShort', unnamed: 'errors.invalidInput.tooShortUnnamed' },
  too_many: { named: 'errors.invalidInput.tooMany', unnamed: 'errors.invalidInput.tooManyUnnamed' },
  too_few: { named: 'errors.invalidInput.tooFew', unnamed: 'errors.invalidInput.tooFewUnnamed' },
  too_big: { named: 'errors.invalidInput.tooBig', unnamed: 'errors.invalidInput.tooBigUnnamed' },
  too_small: { named: 'errors.invalidInput.tooSmall', unnamed: 'errors.invalidInput.tooSmallUnnamed' },
  invalid_format: { named: 'errors.invalidInput.invalidFormat', unnamed: 'errors.invalidInput.invalidFormatUnnamed' },
  invalid_value: { named: 'errors.invalidInput.invalidValue', unnamed: 'errors.invalidInput.invalidValueUnnamed' },
  unexpected: { named: 'errors.invalidInput.unexpected', unnamed: 'errors.invalidInput.unexpected' },
  // Ids the user picked from a list, or a choice that no field can correct: the same words with or without a label.
  not_found: { named: 'errors.invalidInput.notFound', unnamed: 'errors.invalidInput.notFound' },
  out_of_date: { named: 'errors.invalidInput.outOfDate', unnamed: 'errors.invalidInput.outOfDate' },
  spans_paragraphs: { named: 'errors.spans_paragraphs', unnamed: 'errors.spans_paragraphs' },
}

/** What is wrong with a field, in the interface language; `label` is the field's name as the form shows it. */
export function describeInputProblem(detail: InputProblem, label?: string): string {
  if (detail.reason === 'invalid_format' && detail.format === 'email') return t('errors.invalidInput.email')
  const keys = Object.hasOwn(REASONS, detail.reason) ? REASONS[detail.reason] : REASONS.invalid_value
  const limit = detail.limit ?? 0
  return label ? t(keys.named, { field: label, limit }) : t(keys.unnamed, { limit })
}

/**
 * The words for a failed request, fit to show next to the form that sent it,
 * in the interface language. The server names the failing field (`field`)
 * and says what is wrong with it (`detail`); `fields` turns the field's
 * name into the label the user sees (e.g. `{ title: t('…titleLabel') }`).
 */
export function describeProblem(error: unknown, fields: Record<string, string> = {}): string {
  if (error instanceof FormProblem) return error.message
  if (!(error instanceof ApiError)) return t('errors.unexpected')
  const field = error.field ?? /^([\w.]+): /.exec(error.message)?.[1]
  const label = field && Object.hasOwn(fields, field) ? fields[field] : undefined
  if (error.code === 'invalid_input' && error.detail) return describeInputProblem(error.detail, label)
  if (currentLocale() !== DEFAULT_LOCALE) {
    // The message is already the catalog's, by code; a known field is still worth naming.
    if (error.code === 'invalid_input') return label ? t('errors.invalidInput.invalidValue', { field: label }) : error.message
    return error.message
  }
  // English: the server's own words, its field name replaced with the form's label.
  let text = error.message.trim()
  if (field && text.startsWith(`${field}: `)) {
    text = label ? `${label} ${text.slice(field.length + 2)}` : text.slice(field.length + 2)
  }
  const capital = text.charAt(0).toUpperCase() + text.slice(1)
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`
}
