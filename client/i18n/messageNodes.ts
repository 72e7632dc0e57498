import type { PrimitiveType } from 'intl-messageformat'
import type { MessageKey } from './english.js'
import { t } from './i18n.js'

// Private-use characters that stand for an element while the message is formatted.
const OPEN = '\uE000'
const CLOSE = '\uE001'
const PLACE = /\uE000([^\uE001]*)\uE001/gu

/**
 * The message `key` with elements in some of its placeholders, as nodes to
 * append: `messageNodes('section.record.approvedBy', { name: strong, date: time })`
 * gives the sentence translated whole, in the interface language's own word
 * order, with the `<strong>` and `<time>` where that language puts them.
 * Other values are formatted as `t` formats them; user text given as a
 * string goes through `isolate` (bidi.ts), and as an element in a `<bdi>`.
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
