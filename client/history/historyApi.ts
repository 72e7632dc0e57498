import type { CompareView, RestoreView, VersionView } from '../../shared/versions.js'
import { request } from '../api.js'

const sectionPath = (sectionId: string): string => `/api/sections/${encodeURIComponent(sectionId)}`

/** `GET /api/sections/:id/versions`: the section's versions, newest first. */
export const fetchVersions = (sectionId: string): Promise<VersionView[]> => request<VersionView[]>('GET', `${sectionPath(sectionId)}/versions`)

/** `POST /api/sections/:id/versions`: names the text as it is now. */
export const nameVersion = (sectionId: string, name: string): Promise<VersionView> =>
  request<VersionView>('POST', `${sectionPath(sectionId)}/versions`, { name })

/** `GET /api/sections/:id/compare`: `from` against `to` (a version id or `current`), attributed. */
export const compareVersions = (sectionId: string, from: string, to: string): Promise<CompareView> =>
  request<CompareView>('GET', `${sectionPath(sectionId)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)

/** `POST /api/sections/:id/versions/:versionId/restore`: brings the version's text back as a new change. */
export const restoreVersion = (sectionId: string, versionId: string): Promise<RestoreView> =>
  request<RestoreView>('POST', `${sectionPath(sectionId)}/versions/${encodeURIComponent(versionId)}/restore`)
