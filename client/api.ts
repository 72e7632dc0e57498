import type { ApiErrorBody, DocumentSummary, DocumentView, InputProblem, PreferencesRequest, UserView } from '../shared/api.js'
import { DEFAULT_LOCALE } from '../shared/locales.js'
import { english, type MessageKey } from './i18n/english.js'
import { currentLocale, t } from './i18n/i18n.js'

/**
 * A failed API call. `message` is always fit to show to the user, in the
 * interface language: in English the server's own message when it sent one
 * (it names what is at fault), in other languages the catalog's message for
 * the error's `code`; otherwise a plain sentence chosen from the status.
 * `status` is 0 when the server could not be reached. `field` names the
 * input at fault and `detail` says what is wrong with it (`invalid_input`);
 * `describeProblem` in problems.ts puts both into words.
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
    this.name = 'ApiError'
  }

  /** The request never reached the server (offline, DNS, server down). */
  get isNetworkError(): boolean {
    return this.status === 0
  }

  /** The session is missing or expired; the user must sign in again. */
  get isUnauthorized(): boolean {
    return this.status === 401
  }
}

/** The error for a request that never reached the server. */
export function networkError(): ApiError {
  return new ApiError(0, 'network', t('errors.network'))
}

/** The catalog's message for a server error code (`errors.<code>`), or null when it has none. */
export function codeMessage(code: string): string | null {
  return Object.hasOwn(english.errors, code) ? t(`errors.${code}` as MessageKey) : null
}

function statusMessage(status: number): string {
  if (status === 401) return t('errors.unauthorized')
  if (status === 403) return t('errors.forbidden')
  if (status === 404) return t('errors.not_found')
  if (status === 413) return t('errors.too_large')
  if (status >= 500) return t('errors.http.server')
  return t('errors.http.other')
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const error = (value as { error?: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}

function isInputProblem(value: unknown): value is InputProblem {
  return typeof value === 'object' && value !== null && typeof (value as { reason?: unknown }).reason === 'string'
}

/**
 * The `ApiError` for a failed response with status `status` and parsed body
 * `body` (anything: a proxy's error page parses to nothing). Its message is
 * in the interface language; raw server English never reaches a user who
 * reads another language.
 */
export function errorFromResponse(status: number, body: unknown): ApiError {
  if (!isErrorBody(body)) return new ApiError(status, 'http_error', statusMessage(status))
  const { code, message, field, detail } = body.error
  const shown = currentLocale() === DEFAULT_LOCALE && message.trim() !== '' ? message : (codeMessage(code) ?? statusMessage(status))
  return new ApiError(status, code, shown, typeof field === 'string' ? field : undefined, isInputProblem(detail) ? detail : undefined)
}

/**
 * Calls the JSON API at `path` and returns its parsed body, or throws an
 * `ApiError` whose message can be shown as is (never raw JSON).
 */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw networkError()
  }
  if (response.status === 204) return undefined as T
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    // A proxy's HTML error page or an empty body: report by status below.
  }
  if (!response.ok) throw errorFromResponse(response.status, parsed)
  if (parsed === null) throw new ApiError(response.status, 'bad_response', t('errors.badResponse'))
  return parsed as T
}

/** `GET /api/me`: the signed-in user; throws a 401 `ApiError` without a session. */
export const fetchMe = (): Promise<UserView> => request<UserView>('GET', '/api/me')
export const savePreferences = (preferences: PreferencesRequest): Promise<UserView> => request<UserView>('PATCH', '/api/me', preferences)

/** `POST /api/session`: signs in and returns the user; the session cookie is set by the server. */
export const signIn = (email: string, password: string): Promise<UserView> =>
  request<UserView>('POST', '/api/session', { email, password })

/** `DELETE /api/session`: ends the session. */
export const signOut = (): Promise<void> => request<void>('DELETE', '/api/session')

/** `GET /api/documents`. */
export const fetchDocuments = (): Promise<DocumentSummary[]> => request<DocumentSummary[]>('GET', '/api/documents')

/** `GET /api/documents/:id`: the document with its sections in order. */
export const fetchDocument = (id: string): Promise<DocumentView> =>
  request<DocumentView>('GET', `/api/documents/${encodeURIComponent(id)}`)
