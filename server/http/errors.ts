import type { ErrorRequestHandler, RequestHandler } from 'express'
import { z } from 'zod'
import type { ApiErrorBody } from '../../shared/api.js'

/** An error the API reports to the client as `{error: {code, message}}` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
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
 * field, e.g. `email: Invalid email address`.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  // An unexpected key is named by itself, since its issue sits on the parent.
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path
  const field = path.length > 0 ? path.join('.') : 'body'
  throw new ApiError(400, 'invalid_input', `${field}: ${issue.message}`, field)
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
    const body = (status: number, code: string, message: string, field?: string): void => {
      const payload: ApiErrorBody = { error: { code, message, ...(field ? { field } : {}) } }
      response.status(status).json(payload)
    }
    if (error instanceof ApiError) return body(error.status, error.code, error.message, error.field)
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
