import type { ApiErrorBody, DocumentSummary, DocumentView, PreferencesRequest, UserView } from '../shared/api.js'

/**
 * A failed API call. `message` is always fit to show to the user: the
 * server's own message when it sent one, otherwise a plain sentence chosen
 * from the status. `status` is 0 when the server could not be reached.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
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

const NETWORK_MESSAGE = 'Drafting Room cannot be reached. Check your connection and try again.'

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please sign in again.'
  if (status === 403) return 'You do not have access to this.'
  if (status === 404) return 'This could not be found. It may have been removed.'
  if (status >= 500) return 'Something went wrong on the server. Please try again in a moment.'
  return 'The request could not be completed. Please try again.'
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false
  const error = (value as { error?: unknown }).error
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string'
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
    throw new ApiError(0, 'network', NETWORK_MESSAGE)
  }
  if (response.status === 204) return undefined as T
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    // A proxy's HTML error page or an empty body: report by status below.
  }
  if (!response.ok) {
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed.error.code, parsed.error.message, parsed.error.field)
    throw new ApiError(response.status, 'http_error', fallbackMessage(response.status))
  }
  if (parsed === null) throw new ApiError(response.status, 'bad_response', 'The server sent an answer Drafting Room does not understand.')
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
