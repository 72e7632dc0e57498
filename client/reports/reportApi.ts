import type { CoverageReport, DispositionRow } from '../../shared/reports.js'
import { request } from '../api.js'

const documentPath = (documentId: string, report: string): string => `/api/documents/${encodeURIComponent(documentId)}/${report}`

/** `GET /api/documents/:id/coverage`. */
export const fetchCoverage = (documentId: string): Promise<CoverageReport> =>
  request<CoverageReport>('GET', documentPath(documentId, 'coverage'))

/** Where the coverage report downloads as CSV. */
export const coverageCsvHref = (documentId: string): string => `${documentPath(documentId, 'coverage')}?format=csv`

/** `GET /api/documents/:id/dispositions`: one row per thread. */
export const fetchDispositions = (documentId: string): Promise<DispositionRow[]> =>
  request<DispositionRow[]>('GET', documentPath(documentId, 'dispositions'))

/** Where the disposition table downloads as CSV, filtered like the page. */
export function dispositionsCsvHref(documentId: string, filters: { organisation: string; section: string }): string {
  const params = new URLSearchParams({ format: 'csv' })
  if (filters.organisation) params.set('organisation', filters.organisation)
  if (filters.section) params.set('section', filters.section)
  return `${documentPath(documentId, 'dispositions')}?${params.toString()}`
}
