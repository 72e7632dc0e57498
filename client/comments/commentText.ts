import { safeHref } from '../../shared/links.js'
import { h } from '../dom.js'

/** A run of a comment body: plain text, a link, or a mention of a known person. */
export type BodyPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'mention'; text: string }

// Bare web and mail addresses; what follows is checked by `safeHref`.
const LINK = /\b(?:https?:\/\/|mailto:)[^\s<>"]+/giu
// Punctuation that ends a sentence rather than the address it follows.
const TRAILING = /[.,;:!?'’”)\]]+$/u
const WORD_CHAR = /[\p{L}\p{N}]/u

function linkEnd(candidate: string): string {
  const trimmed = candidate.replace(TRAILING, '')
  // Keep a closing parenthesis that belongs to the address, as in Wikipedia links.
  const opens = (trimmed.match(/\(/g) ?? []).length
  const closes = (trimmed.match(/\)/g) ?? []).length
  if (opens > closes && candidate.slice(trimmed.length).startsWith(')')) return `${trimmed})`
  return trimmed
}

function mentionsIn(text: string, names: readonly string[]): BodyPart[] {
  // Longest names first, so "@Ana Maria Lopez" is not read as "@Ana Maria" (the server's rule).
  const byLength = [...new Set(names)].filter((name) => name.trim() !== '').sort((a, b) => b.length - a.length)
  const parts: BodyPart[] = []
  const lower = text.toLowerCase()
  let plainStart = 0
  let at = lower.indexOf('@')
  while (at >= 0) {
    const before = text[at - 1]
    const name = before !== undefined && WORD_CHAR.test(before) ? undefined : byLength.find((candidate) => {
      const end = at + 1 + candidate.length
      const after = text[end]
      return lower.startsWith(candidate.toLowerCase(), at + 1) && (after === undefined || !WORD_CHAR.test(after))
    })
    if (name) {
      if (at > plainStart) parts.push({ kind: 'text', text: text.slice(plainStart, at) })
      parts.push({ kind: 'mention', text: text.slice(at, at + 1 + name.length) })
      plainStart = at + 1 + name.length
      at = lower.indexOf('@', plainStart)
    } else {
      at = lower.indexOf('@', at + 1)
    }
  }
  if (plainStart < text.length) parts.push({ kind: 'text', text: text.slice(plainStart) })
  return parts
}

/**
 * Splits a plain-text comment body into text, links and mentions. Links are
 * bare `http(s)://` and `mailto:` addresses that `safeHref` accepts; mentions
 * are `@Full Name` of one of `names`. Nothing is ever read as markup.
 */
export function parseCommentBody(body: string, names: readonly string[]): BodyPart[] {
  const parts: BodyPart[] = []
  let plainStart = 0
  for (const match of body.matchAll(LINK)) {
    const text = linkEnd(match[0])
    const href = safeHref(text)
    if (!href) continue
    parts.push(...mentionsIn(body.slice(plainStart, match.index), names))
    parts.push({ kind: 'link', text, href })
    plainStart = match.index + text.length
  }
  parts.push(...mentionsIn(body.slice(plainStart), names))
  return parts
}

/**
 * A comment body as DOM: text nodes, `<a>` for safe links (opening in a new
 * tab, without referrer) and `<span class="mention">` for mentions. Built
 * with `createTextNode`/`h` only, so `<img onerror=…>` stays text.
 */
export function renderCommentBody(body: string, names: readonly string[]): DocumentFragment {
  const fragment = document.createDocumentFragment()
  for (const part of parseCommentBody(body, names)) {
    if (part.kind === 'text') fragment.append(document.createTextNode(part.text))
    else if (part.kind === 'link') fragment.append(h('a', { href: part.href, target: '_blank', rel: 'noopener noreferrer nofollow', dir: 'auto' }, part.text))
    // Isolated with its own direction, so "@Lena Karlsson" keeps its "@" in front inside Arabic text.
    else fragment.append(h('span', { class: 'mention', dir: 'auto' }, part.text))
  }
  return fragment
}
