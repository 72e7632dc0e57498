import { ApiError } from './api.js'

/** What a form found wrong before sending anything; its message is shown as it is. */
export class FormProblem extends Error {}

/**
 * The words for a failed request, fit to show next to the form that sent it.
 * The server names the failing field first (`body: must be at most 5000
 * characters`); `fields` turns that name into the label the user sees.
 */
export function describeProblem(error: unknown, fields: Record<string, string> = {}): string {
  if (error instanceof FormProblem) return error.message
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.'
  let text = error.message.trim()
  const field = error.field ?? /^([\w.]+): /.exec(text)?.[1]
  if (field && text.startsWith(`${field}: `)) {
    const label = fields[field]
    text = label ? `${label} ${text.slice(field.length + 2)}` : text.slice(field.length + 2)
  }
  const capital = text.charAt(0).toUpperCase() + text.slice(1)
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`
}
