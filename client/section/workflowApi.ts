import type { SectionView } from '../../shared/api.js'
import { request } from '../api.js'

const sectionPath = (sectionId: string, step: string): string => `/api/sections/${encodeURIComponent(sectionId)}/${step}`

/** `POST /api/sections/:id/submit` (drafters): drafting → in review. */
export const submitSection = (sectionId: string): Promise<SectionView> => request<SectionView>('POST', sectionPath(sectionId, 'submit'))

/** `POST /api/sections/:id/approve` (approvers): in review → approved, locking the exact text. */
export const approveSection = (sectionId: string): Promise<SectionView> => request<SectionView>('POST', sectionPath(sectionId, 'approve'))

/** `POST /api/sections/:id/request-changes` (approvers): in review → drafting, with a note for the drafters. */
export const requestChanges = (sectionId: string, note: string): Promise<SectionView> =>
  request<SectionView>('POST', sectionPath(sectionId, 'request-changes'), { note })

/** `POST /api/sections/:id/reopen` (approvers): approved → drafting, with the reason. */
export const reopenSection = (sectionId: string, reason: string): Promise<SectionView> =>
  request<SectionView>('POST', sectionPath(sectionId, 'reopen'), { reason })
