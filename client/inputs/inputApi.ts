import type { InputKind, InputStatus, InputView } from '../../shared/inputs.js'
import { request } from '../api.js'

const inputPath = (inputId: string, rest = ''): string => `/api/inputs/${encodeURIComponent(inputId)}${rest}`

/** Filters of `GET /api/inputs`; empty values are left out. */
export interface InputQuery {
  documentId: string
  q?: string
  kind?: InputKind | ''
  source?: string
  status?: InputStatus | ''
}

/** `GET /api/inputs`: the inputs of a document matching every given filter. */
export function fetchInputs(query: InputQuery): Promise<InputView[]> {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value)
  return request<InputView[]>('GET', `/api/inputs?${params.toString()}`)
}

/** The editable fields of an input. */
export interface InputFields {
  kind: InputKind
  source: string
  title: string
  text: string
  tags: string[]
}

/** `POST /api/inputs` (drafters, reviewers, admins). */
export const createInput = (documentId: string, fields: InputFields): Promise<InputView> =>
  request<InputView>('POST', '/api/inputs', { documentId, ...fields })

/** `PATCH /api/inputs/:id` (admins). */
export const updateInput = (inputId: string, fields: Partial<InputFields>): Promise<InputView> =>
  request<InputView>('PATCH', inputPath(inputId), fields)

/** `PUT /api/inputs/:id/status` (drafters, admins); a deferred input needs a reason. */
export const setInputStatus = (inputId: string, status: InputStatus, reason?: string): Promise<InputView> =>
  request<InputView>('PUT', inputPath(inputId, '/status'), status === 'deferred' ? { status, reason } : { status })

/** `PUT /api/inputs/:id/addressed-in` (drafters, admins): sections that address it, besides linked threads. */
export const setAddressedIn = (inputId: string, sectionIds: string[]): Promise<InputView> =>
  request<InputView>('PUT', inputPath(inputId, '/addressed-in'), { sectionIds })

/** `POST /api/inputs/:id/merge` (admins): folds a duplicate into `into`, whose view is returned. */
export const mergeInput = (inputId: string, into: string): Promise<InputView> =>
  request<InputView>('POST', inputPath(inputId, '/merge'), { into })
