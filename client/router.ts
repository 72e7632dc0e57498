import { SECTION_ID_PATTERN } from '../shared/limits.js'

/** A place in the app, as the URL hash names it. */
export type Route =
  | { name: 'home' }
  | { name: 'section'; sectionId: string }
  | { name: 'overview' }
  | { name: 'document' }
  | { name: 'admin'; tab: AdminTab }
  | { name: 'invite'; token: string }
  | { name: 'inputs' }
  | { name: 'coverage' }
  | { name: 'dispositions' }
  | { name: 'notFound' }

/** The pages of the administration area. */
export type AdminTab = 'users' | 'sections' | 'audit'

// Invite tokens are 32 random bytes in base64url.
const INVITE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/

/**
 * Reads a hash such as `#/sections/abc`. The app routes by hash so that the
 * server can serve one page for every path and a reload keeps the place.
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '')
  if (path === '' || path === '/') return { name: 'home' }
  const match = /^\/sections\/([^/]+)\/?$/.exec(path)
  if (match) {
    const sectionId = decodeURIComponent(match[1]!)
    if (SECTION_ID_PATTERN.test(sectionId)) return { name: 'section', sectionId }
  }
  if (/^\/overview\/?$/.test(path)) return { name: 'overview' }
  if (/^\/document\/?$/.test(path)) return { name: 'document' }
  const report = /^\/(inputs|coverage|dispositions)\/?$/.exec(path)
  if (report) return { name: report[1] as 'inputs' | 'coverage' | 'dispositions' }
  const admin = /^\/admin(?:\/(users|sections|audit))?\/?$/.exec(path)
  if (admin) return { name: 'admin', tab: (admin[1] as AdminTab | undefined) ?? 'users' }
  const invite = /^\/invite\/([^/]+)\/?$/.exec(path)
  if (invite && INVITE_TOKEN_PATTERN.test(invite[1]!)) return { name: 'invite', token: invite[1]! }
  return { name: 'notFound' }
}

/** The hash of the home route. */
export const homeHref = '#/'

/** The hash of a section's page. */
export function sectionHref(sectionId: string): string {
  return `#/sections/${encodeURIComponent(sectionId)}`
}

/** The hash of the overview page for leadership. */
export const overviewHref = '#/overview'

/** The hash of the whole-document view (all sections, read-only, for reading and printing). */
export const documentHref = '#/document'

/** The hash of the conference input library. */
export const inputsHref = '#/inputs'

/** The hash of the coverage report (inputs × sections). */
export const coverageHref = '#/coverage'

/** The hash of the disposition table (what became of each comment). */
export const dispositionsHref = '#/dispositions'

/** The hash of a page of the administration area. */
export function adminHref(tab: AdminTab): string {
  return `#/admin/${tab}`
}
