import { SECTION_ID_PATTERN } from '../shared/limits.js'

/** A place in the app, as the URL hash names it. */
export type Route = { name: 'home' } | { name: 'section'; sectionId: string } | { name: 'notFound' }

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
  return { name: 'notFound' }
}

/** The hash of the home route. */
export const homeHref = '#/'

/** The hash of a section's page. */
export function sectionHref(sectionId: string): string {
  return `#/sections/${encodeURIComponent(sectionId)}`
}
