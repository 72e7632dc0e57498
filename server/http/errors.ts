import type { ErrorRequestHandler, RequestHandler } from 'express'
import { z } from 'zod'
import type { ApiErrorBody, InputProblem } from '../../shared/api.js'

/**
 * An error the API reports to the client as `{error: {code, message}}` with
 * `status`; `field` names the input at fault, `detail` says what is wrong
 * with it in terms the client can put in the user's language.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly detail?: InputProblem,
  ) {
    super(message)
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`)
export const forbidden = (message = 'You are not allowed to do this'): ApiError =>
  new ApiError(403, 'forbidden', message)
export const unauthorized = (): ApiError => new ApiError(401, 'unauthorized', 'Sign in first')

/**
 * Parses `value` with `schema`, or throws a 400 that names the first failing
 * field, e.g. `email: Invalid email address`, with what is wrong with it as
 * `detail` (e.g. `{reason: 'too_long', limit: 200}`).
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  // An unexpected key is named by itself, since its issue sits on the parent.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path
  const field = path.length > 0 ? path.join('.') : 'body'
  throw new ApiError(400, 'invalid_input', `${field}: ${issue.message}`, field, inputProblem(issue, valueAt(value, issue.path)))
}

// The value at `path` in `value`, or undefined where there is none.
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

const LENGTH_ORIGINS = new Set(['string', 'file'])
const COUNT_ORIGINS = new Set(['array', 'set'])

/** What is wrong, from a zod issue and the value it is about. */
function inputProblem(issue: z.core.$ZodIssue, input: unknown): InputProblem {
  const limit = (bound: number | bigint): number => Number(bound)
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined || input === null ? { reason: 'required' } : { reason: 'invalid_value' }
    case 'too_big':
      if (LENGTH_ORIGINS.has(issue.origin)) return { reason: 'too_long', limit: limit(issue.maximum) }
      if (COUNT_ORIGINS.has(issue.origin)) return { reason: 'too_many', limit: limit(issue.maximum) }
      return { reason: 'too_big', limit: limit(issue.maximum) }
    case 'too_small':
      // At least one character (after trimming) or one item: it must be there at all.
      if (Number(issue.minimum) <= 1 && issue.inclusive !== false && (LENGTH_ORIGINS.has(issue.origin) || COUNT_ORIGINS.has(issue.origin))) {
        return { reason: 'required' }
      }
      if (LENGTH_ORIGINS.has(issue.origin)) return { reason: 'too_short', limit: limit(issue.minimum) }
      if (COUNT_ORIGINS.has(issue.origin)) return { reason: 'too_few', limit: limit(issue.minimum) }
      return { reason: 'too_small', limit: limit(issue.minimum) }
    case 'invalid_format':
      return { reason: 'invalid_format', format: issue.format }
    case 'unrecognized_keys':
      return { reason: 'unexpected' }
    default:
      return { reason: 'invalid_value' }
  }
}

/** Unknown API routes answer a JSON 404 rather than Express's HTML page. */
export const apiNotFound: RequestHandler = (request) => {
  throw new ApiError(404, 'not_found', `No route ${request.method} ${request.originalUrl.split('?')[0]}`)
}

/**
 * The last middleware: every error becomes a JSON body with a fitting status.
 * Only unexpected errors are logged, and their details never reach the client.
 */
export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    const body = (status: number, code: string, message: string, field?: string, detail?: InputProblem): void => {
      const payload: ApiErrorBody = { error: { code, message, ...(field ? { field } : {}), ...(detail ? { detail } : {}) } }
      response.status(status).json(payload)
    }
    if (error instanceof ApiError) return body(error.status, error.code, error.message, error.field, error.detail)
    const bodyParserType = (error as { type?: string }).type
    if (bodyParserType === 'entity.too.large') return body(413, 'too_large', 'The request body is too large')
    if (bodyParserType === 'entity.parse.failed') return body(400, 'invalid_json', 'The request body is not valid JSON', 'body')
    const status = (error as { status?: number }).status
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return body(status, 'bad_request', 'The request could not be understood')
    }
    log('Unexpected error while handling a request', error)
    body(500, 'internal', 'Something went wrong on the server; nothing was changed')
  }
}
