import type { PrimitiveType } from 'intl-messageformat'
import type { Child } from '../dom.js'
import { t } from '../i18n/i18n.js'
import type { MessageKey } from '../i18n/english.js'

// Private-use characters mark where an element goes in a formatted message.
const OPEN = '\uE000'
const CLOSE = '\uE001'
const MARK = /\uE000([^\uE001]*)\uE001/gu

/**
 * The message `key` with elements in some of its placeholders, e.g. a live
 * `<time>` in "Recorded by {name}, {time}": the sentence is translated
 * whole, and the elements are put where the language places them.
 */
export function sentence(key: MessageKey, values: Record<string, PrimitiveType>, elements: Record<string, Node>): Child[] {
  const marked: Record<string, PrimitiveType> = { ...values }
  for (const name of Object.keys(elements)) marked[name] = `${OPEN}${name}${CLOSE}`
  const text = t(key, marked)
  const parts: Child[] = []
  let last = 0
  for (const match of text.matchAll(MARK)) {
    if (match.index > last) parts.push(text.slice(last, match.index))
    parts.push(elements[match[1]!] ?? '')
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return parts
}

/**
 * User text (a name, a title, a quote) set inside a translated sentence,
 * isolated so that Arabic in an English sentence, or English in an Arabic
 * one, keeps its own direction without reordering the words around it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`
}

/** `text` cut to at most `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text
}
