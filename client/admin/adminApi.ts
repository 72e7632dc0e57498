import type { AdminUserView, AuditEntryView, DeletedSectionView, DocumentView, InviteCreatedView, SectionView } from '../../shared/api.js'
import type { Role } from '../../shared/roles.js'
import { request } from '../api.js'

const id = encodeURIComponent

/** `GET /api/users`: everyone with an account, active or not. */
export const fetchUsers = (): Promise<AdminUserView[]> => request<AdminUserView[]>('GET', '/api/users')

/** What an administrator fills in to invite someone. */
export interface NewUser {
  email: string
  name: string
  organisation: string
  role: Role
}

/** `POST /api/users`: creates the account and its one-time set-password link. */
export const inviteUser = (user: NewUser): Promise<InviteCreatedView> => request<InviteCreatedView>('POST', '/api/users', user)

/** `POST /api/users/:id/invite`: a new link for someone who has not set a password yet; older links stop working. */
export const newInviteLink = (userId: string): Promise<InviteCreatedView> => request<InviteCreatedView>('POST', `/api/users/${id(userId)}/invite`)

/** `PATCH /api/users/:id`: role, active, name or organisation. */
export const updateUser = (userId: string, changes: { role?: Role; active?: boolean }): Promise<AdminUserView> =>
  request<AdminUserView>('PATCH', `/api/users/${id(userId)}`, changes)

/** `POST /api/documents/:id/sections`: a new, empty section at `position` (0-based), or at the end. */
export const createSection = (documentId: string, title: string, position?: number): Promise<SectionView> =>
  request<SectionView>('POST', `/api/documents/${id(documentId)}/sections`, position === undefined ? { title } : { title, position })

/** `PATCH /api/sections/:id`: renames a section. */
export const renameSection = (sectionId: string, title: string): Promise<SectionView> =>
  request<SectionView>('PATCH', `/api/sections/${id(sectionId)}`, { title })

/** `PUT /api/documents/:id/section-order`: every section id of the document, in the new order. */
export const reorderSections = (documentId: string, sectionIds: string[]): Promise<DocumentView> =>
  request<DocumentView>('PUT', `/api/documents/${id(documentId)}/section-order`, { sectionIds })

/** `DELETE /api/sections/:id`: removes a section from the document; its text is kept for restoring. */
export const deleteSection = (sectionId: string): Promise<void> => request<void>('DELETE', `/api/sections/${id(sectionId)}`)

/** `GET /api/documents/:id/deleted-sections`. */
export const fetchDeletedSections = (documentId: string): Promise<DeletedSectionView[]> =>
  request<DeletedSectionView[]>('GET', `/api/documents/${id(documentId)}/deleted-sections`)

/** `POST /api/sections/:id/restore`: puts a deleted section back, at the end of its document. */
export const restoreSection = (sectionId: string): Promise<SectionView> => request<SectionView>('POST', `/api/sections/${id(sectionId)}/restore`)

/** Filters of the audit log; dates are ISO moments. */
export interface AuditFilter {
  action?: string
  since?: string
  until?: string
  limit: number
}

/** `GET /api/audit`: entries matching `filter`, newest first. */
export function fetchAudit(filter: AuditFilter): Promise<AuditEntryView[]> {
  const query = new URLSearchParams({ limit: String(filter.limit) })
  if (filter.action) query.set('action', filter.action)
  if (filter.since) query.set('since', filter.since)
  if (filter.until) query.set('until', filter.until)
  return request<AuditEntryView[]>('GET', `/api/audit?${query.toString()}`)
}
