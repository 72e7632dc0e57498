/** Link protocols a document, a comment or an export may carry. */
export const ALLOWED_LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const

/**
 * The normalised form of `href` if it is a link we allow (http, https, mailto),
 * otherwise null. Control characters and whitespace are stripped first, since
 * browsers ignore them and `java\tscript:` would otherwise slip through.
 */
export function safeHref(href: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  if (cleaned === '' || cleaned.length > 2048) return null
  let url: URL
  try {
    url = new URL(cleaned)
  } catch {
    return null
  }
  return (ALLOWED_LINK_PROTOCOLS as readonly string[]).includes(url.protocol) ? url.href : null
}
