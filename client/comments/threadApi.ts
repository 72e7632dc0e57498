import type { Anchor } from '../../shared/anchors.js'
import type { PersonView } from '../../shared/inputs.js'
import type { Disposition, ThreadView } from '../../shared/threads.js'
import { request } from '../api.js'

const threadPath = (threadId: string, rest = ''): string => `/api/threads/${encodeURIComponent(threadId)}${rest}`

/** `GET /api/sections/:id/threads`: every thread of a section, resolved ones included. */
export const fetchThreads = (sectionId: string): Promise<ThreadView[]> =>
  request<ThreadView[]>('GET', `/api/sections/${encodeURIComponent(sectionId)}/threads`)

/** `GET /api/people`: everyone a comment can mention. */
export const fetchPeople = (): Promise<PersonView[]> => request<PersonView[]>('GET', '/api/people')

/** What starting a thread sends: the anchored text, the first comment, linked inputs, a suggested replacement. */
export interface NewThread {
  anchor: Anchor
  body: string
  inputIds: string[]
  /** Reviewers only; the range must lie within one paragraph. */
  suggestion?: string
}

/** `POST /api/sections/:id/threads`. */
export const createThread = (sectionId: string, thread: NewThread): Promise<ThreadView> =>
  request<ThreadView>('POST', `/api/sections/${encodeURIComponent(sectionId)}/threads`, thread)

/** `POST /api/threads/:id/comments`: a reply. */
export const replyToThread = (threadId: string, body: string): Promise<ThreadView> =>
  request<ThreadView>('POST', threadPath(threadId, '/comments'), { body })

/** `PATCH /api/threads/:id/comments/:commentId`: changes one's own comment. */
export const editComment = (threadId: string, commentId: string, body: string): Promise<ThreadView> =>
  request<ThreadView>('PATCH', threadPath(threadId, `/comments/${encodeURIComponent(commentId)}`), { body })

/** `DELETE /api/threads/:id/comments/:commentId`: deletes one's own comment (its place stays). */
export const deleteComment = (threadId: string, commentId: string): Promise<ThreadView> =>
  request<ThreadView>('DELETE', threadPath(threadId, `/comments/${encodeURIComponent(commentId)}`))

/** `POST /api/threads/:id/resolve` or `/reopen`. */
export const setThreadResolved = (threadId: string, resolved: boolean): Promise<ThreadView> =>
  request<ThreadView>('POST', threadPath(threadId, resolved ? '/resolve' : '/reopen'))

/** `PUT /api/threads/:id/inputs`: the conference inputs a thread answers. */
export const setThreadInputs = (threadId: string, inputIds: string[]): Promise<ThreadView> =>
  request<ThreadView>('PUT', threadPath(threadId, '/inputs'), { inputIds })

/** `POST /api/threads/:id/suggestion/accept` (drafters): the server applies the text as the drafter's edit. */
export const acceptSuggestion = (threadId: string): Promise<ThreadView> =>
  request<ThreadView>('POST', threadPath(threadId, '/suggestion/accept'))

/** `POST /api/threads/:id/suggestion/reject` (drafters), with an optional reason. */
export const rejectSuggestion = (threadId: string, rationale: string): Promise<ThreadView> =>
  request<ThreadView>('POST', threadPath(threadId, '/suggestion/reject'), { rationale })

/** `PUT /api/threads/:id/disposition` (drafters): what became of the thread. */
export const recordDisposition = (threadId: string, value: Disposition, rationale: string): Promise<ThreadView> =>
  request<ThreadView>('PUT', threadPath(threadId, '/disposition'), { value, rationale })
