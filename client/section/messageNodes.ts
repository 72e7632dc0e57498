import type { PrimitiveType } from 'intl-messageformat'
import { directionOf } from '../../shared/locales.js'
import type { MessageKey } from '../i18n/english.js'
import { currentLocale, t } from '../i18n/i18n.js'

// Private-use characters that stand for an element while the message is formatted.
const OPEN = '\uE000'
const CLOSE = '\uE001'
const PLACE = /\uE000([^\uE001]*)\uE001/g

/**
 * The message `key` with elements in some of its placeholders, as nodes to
 * append: `messageNodes('section.record.approvedBy', { name: strong, date: time })`
 * gives the sentence in the interface language's own word order, with the
 * `<strong>` and `<time>` where that language puts them.
 */
export function messageNodes(key: MessageKey, values: Record<string, PrimitiveType | Node>): (Node | string)[] {
  const plain: Record<string, PrimitiveType> = {}
  const nodes = new Map<string, Node>()
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Node) {
      nodes.set(name, value)
      plain[name] = `${OPEN}${name}${CLOSE}`
    } else {
      plain[name] = value
    }
  }
  const text = t(key, plain)
  const parts: (Node | string)[] = []
  let last = 0
  for (const match of text.matchAll(PLACE)) {
    if (match.index > last) parts.push(text.slice(last, match.index))
    parts.push(nodes.get(match[1]!) ?? '')
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return parts
}

/**
 * `text` from the user (a title, a file name, a version's name) ready to go
 * into a message's placeholder where the message is a plain string (a
 * dialog title, a notice, an accessible name). In a right-to-left interface
 * it is isolated (U+2068…U+2069), so that a Latin title keeps its quotation
 * marks and the question mark after it where they belong; in a
 * left-to-right one it is left as it is. Elements use `<bdi>` instead.
 */
export function isolate(text: string): string {
  return directionOf(currentLocale()) === 'rtl' ? `\u2068${text}\u2069` : text
}
